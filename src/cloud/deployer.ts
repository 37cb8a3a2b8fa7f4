/**
 * The Deployer port: runs a resolved service template in a consumer's account and releases what
 * it made. Adapters: simulator/deployer.ts (embedded), alibaba/ros-deployer.ts (ROS stacks).
 *
 * Shape: `start` then `poll`. A cloud that deploys synchronously (the simulator) answers the
 * outcome from `start`; one that deploys asynchronously (ROS `CreateStack`, then `GetStack`) answers
 * `running` with an opaque handle, which the control plane stores with the instance and hands to
 * `poll` until the outcome is final. Both calls are safe to repeat: `start` is keyed by the
 * instance ID, `poll` only reads. A failure is data (a stable code and a message for the
 * consumer), never an exception; an exception means the deployer itself could not be reached.
 */

/** One template file as deployed: image IDs already spliced in. */
export interface TemplateFile {
  name: string;
  text: string;
}

export interface DeployRequest {
  /** Idempotency key: a repeated start of the same instance finds the first deployment. */
  instanceId: string;
  /** The account whose cloud the resources run in (the consumer's). */
  account: string;
  region: string;
  deployType: 'ros' | 'terraform';
  template: { files: readonly TemplateFile[] };
  parameters: Readonly<Record<string, string>>;
}

/** A cloud resource a deployment made; the control plane keeps them only to release them. */
export interface DeployedResource {
  resourceId: string;
  resourceType: string;
  /** The template's name for it (ROS logical ID, Terraform resource name). */
  logicalId: string;
  /** The image it runs, when the cloud says (ROS lists a stack's resources without it). */
  imageId?: string;
}

export interface DeployEvent {
  type: string;
  message: string;
}

/** Codes a deployment fails with (what the consumer sees on the instance). */
export const DeployFailureCode = {
  /** An image of the template does not exist in the deployment's region. */
  IMAGE_NOT_FOUND_IN_REGION: 'IMAGE_NOT_FOUND_IN_REGION',
  /** The image exists but is neither owned by, shared with nor public to the account. */
  IMAGE_NOT_SHARED: 'IMAGE_NOT_SHARED',
  /** The template cannot be run as given (syntax, an image value that is not a literal). */
  TEMPLATE_UNSUPPORTED: 'TEMPLATE_UNSUPPORTED',
  /** Releasing a resource failed. */
  DESTROY_FAILED: 'DESTROY_FAILED',
  /** The cloud failed the deployment for another reason (quota, capacity, a parameter); the message is the cloud's. */
  DEPLOY_FAILED: 'DEPLOY_FAILED',
} as const;
export type DeployFailureCode = (typeof DeployFailureCode)[keyof typeof DeployFailureCode];

export type DeployStatus =
  | { state: 'running'; handle: string; events: DeployEvent[] }
  | { state: 'succeeded'; resources: DeployedResource[]; events: DeployEvent[] }
  | { state: 'failed'; code: DeployFailureCode; message: string; events: DeployEvent[] };

export type DestroyResult = { ok: true } | { ok: false; code: DeployFailureCode; message: string };

export interface Deployer {
  start(req: DeployRequest): Promise<DeployStatus>;
  /** The state of a deployment `start` answered `running` for. */
  poll(req: { account: string; region: string; handle: string }): Promise<DeployStatus>;
  /**
   * Releases what a deployment made (what is already gone is skipped): the resources `poll` or
   * `start` answered, and the handle of a deployment that ran asynchronously (a ROS stack is
   * deleted by its ID, whether it succeeded or failed).
   */
  destroy(req: { account: string; region: string; resources: readonly DeployedResource[]; handle?: string | undefined }): Promise<DestroyResult>;
}
