/**
 * What the ROS deployer asks of ROS and how it reads the answer, as pure functions: the stack's
 * name and template for a deployment (a ROS template as is; Terraform files under ROS's managed
 * Terraform transform), which stack statuses are final, and which deployment failure a stack's
 * status reason names.
 */
import type { DeployFailureCode, DeployRequest } from '../deployer.ts';

export const ROS_TEMPLATE_VERSION = '2015-09-01';
/** ROS's managed Terraform: a stack whose `Workspace` holds the .tf files by name. */
export const TERRAFORM_TRANSFORM = 'Aliyun::Terraform-v1.5';
const STACK_PREFIX = 'imagenest-';

/**
 * The ECS code a failed resource names for an image the account may not use. Real ECS answers
 * `InvalidImageId.NotFound` for a missing image and for one not shared alike; the emulator says
 * which (this code for not shared), so its oracle's verdict reaches the consumer.
 */
export const ECS_IMAGE_NOT_FOUND = 'InvalidImageId.NotFound';
export const ECS_IMAGE_NOT_SHARED = 'InvalidImageId.NotShared';

/** A stack per instance, named after it (ROS: a letter first, then letters, digits, `-`, `_`). */
export function stackNameFor(instanceId: string): string {
  return `${STACK_PREFIX}${instanceId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The instance a stack was made for, from its name; undefined for a stack Imagenest did not name. */
export function instanceIdOfStack(stackName: string): string | undefined {
  return stackName.startsWith(STACK_PREFIX) ? stackName.slice(STACK_PREFIX.length) : undefined;
}

export type StackTemplate = { ok: true; body: string } | { ok: false; message: string };

/** The TemplateBody of a deployment's stack. */
export function stackTemplateFor(req: Pick<DeployRequest, 'deployType' | 'template'>): StackTemplate {
  const files = req.template.files;
  if (req.deployType === 'terraform') {
    const workspace = Object.fromEntries(files.map((f) => [f.name, f.text]));
    return { ok: true, body: JSON.stringify({ ROSTemplateFormatVersion: ROS_TEMPLATE_VERSION, Transform: TERRAFORM_TRANSFORM, Workspace: workspace }, null, 2) };
  }
  if (files.length !== 1) return { ok: false, message: `a ROS service deploys one template file; this one has ${files.length}` };
  return { ok: true, body: files[0]!.text };
}

export type StackPhase = 'running' | 'succeeded' | 'failed';

/** Where a create stands, from ROS's stack status. */
export function stackPhase(status: string): StackPhase {
  if (status === 'CREATE_IN_PROGRESS') return 'running';
  if (status === 'CREATE_COMPLETE') return 'succeeded';
  // CREATE_FAILED, CREATE_ROLLBACK_*, ROLLBACK_*, DELETE_* (deleted behind Imagenest's back), …
  return 'failed';
}

/** The deployment failure a stack's (or a failed resource's) status reason names. */
export function failureCodeOf(reasons: readonly string[]): DeployFailureCode {
  const all = reasons.join('\n');
  if (all.includes(ECS_IMAGE_NOT_SHARED)) return 'IMAGE_NOT_SHARED';
  if (all.includes(ECS_IMAGE_NOT_FOUND) || all.includes('InvalidImage.NotFound')) return 'IMAGE_NOT_FOUND_IN_REGION';
  return 'DEPLOY_FAILED';
}

/** ROS codes that refuse the template itself at CreateStack: a failure of the deployment, not of the call. */
export function isTemplateRefusal(code: string): boolean {
  return code === 'StackValidationFailed' || code.startsWith('InvalidTemplate') || code.startsWith('InvalidParameter') || code === 'TemplateNotFound' || code === 'InvalidSchema';
}
