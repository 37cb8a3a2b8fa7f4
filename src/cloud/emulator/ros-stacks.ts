/**
 * The emulator's ROS stacks: what CreateStack, GetStack, ListStackEvents, ListStackResources and
 * DeleteStack act on. A stack runs its template's ECS resources through a Deployer — in
 * `imagenest emulator`, the simulator's, the same oracle as the embedded simulator (an image
 * missing in the region, or not shared with the stack's account, fails the stack). A ROS
 * template is deployed as is; a stack of the managed Terraform transform deploys the `.tf` files
 * of its `Workspace`. Creation takes `createMs` of the cloud's (emulated) time: until then the
 * stack is CREATE_IN_PROGRESS, then CREATE_COMPLETE, or CREATE_FAILED (ROLLBACK_COMPLETE unless
 * DisableRollback) with the failed resource's ECS code in its reason.
 *
 * Stacks live in the emulator's memory (the resources they made live in the simulator's database).
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { ECS_IMAGE_NOT_FOUND, ECS_IMAGE_NOT_SHARED, TERRAFORM_TRANSFORM } from '../alibaba/ros-stack.ts';
import type { DeployedResource, Deployer, DeployFailureCode, TemplateFile } from '../deployer.ts';
import { RpcError } from './rpc-envelope.ts';

export interface StackEvent {
  eventId: string;
  logicalResourceId: string;
  physicalResourceId: string;
  resourceType: string;
  status: string;
  statusReason: string;
  atMs: number;
}

export interface Stack {
  stackId: string;
  stackName: string;
  account: string;
  region: string;
  deployType: 'ros' | 'terraform';
  files: TemplateFile[];
  parameters: Record<string, string>;
  disableRollback: boolean;
  createdAtMs: number;
  status: string;
  statusReason: string;
  /** Oldest first. */
  events: StackEvent[];
  resources: DeployedResource[];
}

export interface CreateStackInput {
  account: string;
  region: string;
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  clientToken?: string | undefined;
  disableRollback: boolean;
}

const STACK_TYPE = 'ALIYUN::ROS::Stack';
/** What the oracle's verdict is called in ECS's words, inside a failed resource's reason. */
const ECS_CODE: Partial<Record<DeployFailureCode, string>> = {
  IMAGE_NOT_FOUND_IN_REGION: ECS_IMAGE_NOT_FOUND,
  IMAGE_NOT_SHARED: ECS_IMAGE_NOT_SHARED,
  TEMPLATE_UNSUPPORTED: 'InvalidTemplate',
};

/** The files a TemplateBody deploys, or ROS's refusal of it. */
export function stackFiles(templateBody: string): { deployType: 'ros' | 'terraform'; files: TemplateFile[] } {
  let doc: unknown;
  try {
    doc = parse(templateBody, { uniqueKeys: false, logLevel: 'silent' });
  } catch (err) {
    throw new RpcError('InvalidTemplate', `the template is neither JSON nor YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || !('ROSTemplateFormatVersion' in doc)) {
    throw new RpcError('InvalidTemplate', 'the template must be a map with ROSTemplateFormatVersion');
  }
  const t = doc as { Transform?: unknown; Workspace?: unknown };
  if (t.Transform === undefined) return { deployType: 'ros', files: [{ name: templateBody.trimStart().startsWith('{') ? 'template.json' : 'template.yaml', text: templateBody }] };
  if (t.Transform !== TERRAFORM_TRANSFORM) throw new RpcError('InvalidTemplate', `Transform ${JSON.stringify(t.Transform)} is not supported; supported: ${TERRAFORM_TRANSFORM}`);
  const ws = t.Workspace;
  if (typeof ws !== 'object' || ws === null || Object.values(ws).some((v) => typeof v !== 'string')) {
    throw new RpcError('InvalidTemplate', `a ${TERRAFORM_TRANSFORM} template needs Workspace: a map of file name to file content`);
  }
  const files = Object.entries(ws as Record<string, string>)
    .filter(([name]) => name.endsWith('.tf') || name.endsWith('.tf.json'))
    .map(([name, text]) => ({ name, text }));
  if (files.length === 0) throw new RpcError('InvalidTemplate', 'the Workspace has no .tf file');
  return { deployType: 'terraform', files };
}

export class EmulatedStacks {
  readonly #stacks = new Map<string, Stack>();
  /** `account \n clientToken` → stack ID: a repeated CreateStack finds the first stack. */
  readonly #tokens = new Map<string, string>();
  readonly #settling = new Map<string, Promise<void>>();

  constructor(
    private readonly deployer: Deployer,
    private readonly clock: { nowMs(): number },
    private readonly createMs = 60_000,
  ) {}

  create(input: CreateStackInput): Stack {
    const tokenKey = input.clientToken ? `${input.account}\n${input.clientToken}` : undefined;
    const known = tokenKey ? this.#tokens.get(tokenKey) : undefined;
    if (known && this.#stacks.has(known)) return this.#stacks.get(known)!;
    if (!/^[A-Za-z][-_A-Za-z0-9]{0,254}$/.test(input.stackName)) {
      throw new RpcError('InvalidParameter', `StackName ${JSON.stringify(input.stackName)} must start with a letter and hold only letters, digits, - and _ (at most 255)`);
    }
    for (const s of this.#stacks.values()) {
      if (s.account === input.account && s.region === input.region && s.stackName === input.stackName) {
        throw new RpcError('StackExists', `the Stack (${input.stackName}) already exists`, 409);
      }
    }
    const { deployType, files } = stackFiles(input.templateBody);
    const now = this.clock.nowMs();
    const stack: Stack = {
      stackId: randomUUID(),
      stackName: input.stackName,
      account: input.account,
      region: input.region,
      deployType,
      files,
      parameters: input.parameters,
      disableRollback: input.disableRollback,
      createdAtMs: now,
      status: 'CREATE_IN_PROGRESS',
      statusReason: 'Stack CREATE started',
      events: [],
      resources: [],
    };
    this.#event(stack, { logicalResourceId: stack.stackName, physicalResourceId: stack.stackId, resourceType: STACK_TYPE, status: 'CREATE_IN_PROGRESS', statusReason: 'Stack CREATE started' });
    this.#stacks.set(stack.stackId, stack);
    if (tokenKey) this.#tokens.set(tokenKey, stack.stackId);
    return stack;
  }

  /** The caller's stack in the region, brought up to the emulated time; StackNotFound otherwise. */
  async get(account: string, region: string, stackId: string): Promise<Stack> {
    const stack = this.#stacks.get(stackId);
    if (!stack || stack.account !== account || stack.region !== region) throw new RpcError('StackNotFound', `the Stack (${stackId}) could not be found`, 404);
    if (stack.status === 'CREATE_IN_PROGRESS' && this.clock.nowMs() >= stack.createdAtMs + this.createMs) {
      // Concurrent reads of a stack that is due settle it once.
      let settling = this.#settling.get(stackId);
      if (!settling) {
        settling = this.#settle(stack).finally(() => this.#settling.delete(stackId));
        this.#settling.set(stackId, settling);
      }
      await settling;
    }
    return stack;
  }

  /** Releases what the stack made and forgets it. */
  async delete(account: string, region: string, stackId: string): Promise<void> {
    const stack = await this.get(account, region, stackId);
    const released = await this.deployer.destroy({ account, region, resources: stack.resources, handle: stack.stackId });
    if (!released.ok) throw new RpcError('StackDeleteFailed', released.message, 500);
    this.#stacks.delete(stackId);
  }

  /** The stack whose resources a deployment ID (the stack ID) names, for the emulator's read route. */
  byId(stackId: string): Stack | undefined {
    return this.#stacks.get(stackId);
  }

  async #settle(stack: Stack): Promise<void> {
    const r = await this.deployer.start({
      instanceId: stack.stackId,
      account: stack.account,
      region: stack.region,
      deployType: stack.deployType,
      template: { files: stack.files },
      parameters: stack.parameters,
    });
    if (r.state === 'running') return; // The simulator's deployer answers at once; another deployer is asked again next read.
    if (r.state === 'succeeded') {
      stack.resources = r.resources;
      for (const res of r.resources) {
        const base = { logicalResourceId: res.logicalId, physicalResourceId: res.resourceId, resourceType: res.resourceType };
        this.#event(stack, { ...base, status: 'CREATE_IN_PROGRESS', statusReason: 'state changed' });
        this.#event(stack, { ...base, status: 'CREATE_COMPLETE', statusReason: 'state changed' });
      }
      stack.status = 'CREATE_COMPLETE';
      stack.statusReason = 'Stack CREATE completed successfully';
    } else {
      const reason = `Resource CREATE failed: ${ECS_CODE[r.code] ?? r.code}: ${r.message}`;
      stack.status = stack.disableRollback ? 'CREATE_FAILED' : 'ROLLBACK_COMPLETE';
      stack.statusReason = reason;
      this.#event(stack, { logicalResourceId: stack.stackName, physicalResourceId: stack.stackId, resourceType: STACK_TYPE, status: 'CREATE_FAILED', statusReason: reason });
      if (!stack.disableRollback) {
        // Nothing was made (the oracle is all or nothing): the rollback has nothing to delete.
        this.#event(stack, { logicalResourceId: stack.stackName, physicalResourceId: stack.stackId, resourceType: STACK_TYPE, status: 'ROLLBACK_COMPLETE', statusReason: 'Stack ROLLBACK completed successfully' });
      }
      return;
    }
    this.#event(stack, { logicalResourceId: stack.stackName, physicalResourceId: stack.stackId, resourceType: STACK_TYPE, status: stack.status, statusReason: stack.statusReason });
  }

  #event(stack: Stack, e: Omit<StackEvent, 'eventId' | 'atMs'>): void {
    stack.events.push({ ...e, eventId: randomUUID(), atMs: this.clock.nowMs() });
  }
}
