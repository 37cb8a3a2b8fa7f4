/**
 * The Deployer over Alibaba Cloud ROS, through the official SDK (`@alicloud/ros20190910`): a
 * service instance is a stack in the consumer's account, created with the consumer's keys.
 * `start` is CreateStack (ClientToken = the instance ID, so a repeated start finds the first
 * stack) and answers `running` with the stack ID; `poll` is GetStack until the create is final,
 * then the stack's events (ListStackEvents) and, on success, its resources (ListStackResources);
 * `destroy` is DeleteStack (a stack already gone is fine). A ROS service's stack runs its
 * template; a Terraform service's stack runs its .tf files through ROS's managed Terraform.
 *
 * Failures follow the port: what the stack or the template failed on is data (a code and ROS's
 * own reason); an error of the call itself (keys refused, network, throttling) is thrown.
 */
import { CloudError } from '../provider.ts';
import type { DeployedResource, DeployEvent, Deployer, DeployRequest, DeployStatus, DestroyResult } from '../deployer.ts';
import type { CredentialsLookup } from './credentials-file.ts';
import { fromSdkError } from './ecs-errors.ts';
import { $Ros, type RosClient, type RosSdk } from './ros-sdk.ts';
import { failureCodeOf, isTemplateRefusal, stackNameFor, stackPhase, stackTemplateFor } from './ros-stack.ts';
import { SdkClients } from './sdk-config.ts';

export interface RosDeployerOptions {
  /** The credentials to call as `account` (the consumer); undefined: that account is not configured. */
  credentialsFor: CredentialsLookup;
  /** `host:port` or a URL; when set, every region's calls go to it (an emulator, a proxy). */
  endpoint?: string | undefined;
  /** Milliseconds before a call is abandoned. */
  timeoutMs?: number;
}

/** ListStackEvents pages read at most: a stack of a service template has far fewer events. */
const MAX_EVENT_PAGES = 10;
const EVENT_PAGE_SIZE = 50;

export class RosDeployer implements Deployer {
  readonly #sdk: SdkClients<RosClient>;

  constructor(options: RosDeployerOptions) {
    this.#sdk = new SdkClients({ ...options, make: (config) => new $Ros.default(config), whose: 'which deploys in its own account' });
  }

  async start(req: DeployRequest): Promise<DeployStatus> {
    const template = stackTemplateFor(req);
    if (!template.ok) return { state: 'failed', code: 'TEMPLATE_UNSUPPORTED', message: template.message, events: [] };
    const stackName = stackNameFor(req.instanceId);
    let stackId: string | undefined;
    try {
      const res = await this.client(req.account, req.region, 'CreateStack').createStack(
        new $Ros.CreateStackRequest({
          regionId: req.region,
          stackName,
          templateBody: template.body,
          clientToken: req.instanceId,
          parameters: Object.entries(req.parameters).map(([parameterKey, parameterValue]) => new $Ros.CreateStackRequestParameters({ parameterKey, parameterValue })),
        }),
      );
      stackId = res.body?.stackId;
    } catch (err) {
      const e = fromSdkError(err, 'CreateStack');
      if (isTemplateRefusal(e.code)) return { state: 'failed', code: 'TEMPLATE_UNSUPPORTED', message: `ROS refused the template (${e.code}): ${e.message}`, events: [] };
      throw e;
    }
    if (!stackId) throw new CloudError('transient', 'InvalidResponse', 'CreateStack answered without a StackId', 'CreateStack', 502);
    return { state: 'running', handle: stackId, events: [{ type: 'StackCreated', message: `ROS stack ${stackName} (${stackId}) is being created in ${req.region}` }] };
  }

  async poll(req: { account: string; region: string; handle: string }): Promise<DeployStatus> {
    let stack: RosSdk.GetStackResponseBody | undefined;
    try {
      stack = (await this.client(req.account, req.region, 'GetStack').getStack(new $Ros.GetStackRequest({ regionId: req.region, stackId: req.handle }))).body;
    } catch (err) {
      const e = fromSdkError(err, 'GetStack');
      if (e.code !== 'StackNotFound') throw e;
      return { state: 'failed', code: 'DEPLOY_FAILED', message: `the ROS stack ${req.handle} no longer exists in ${req.region}`, events: [] };
    }
    const status = stack?.status ?? '';
    const phase = stackPhase(status);
    if (phase === 'running') return { state: 'running', handle: req.handle, events: [] };
    const events = await this.stackEvents(req);
    if (phase === 'succeeded') return { state: 'succeeded', resources: await this.stackResources(req), events: events.map(toDeployEvent) };
    const reason = stack?.statusReason ?? '';
    const failedReasons = events.filter((e) => (e.status ?? '').endsWith('_FAILED')).map((e) => e.statusReason ?? '');
    return {
      state: 'failed',
      code: failureCodeOf([reason, ...failedReasons]),
      message: `ROS stack ${req.handle} is ${status}${reason ? `: ${reason}` : ''}`,
      events: events.map(toDeployEvent),
    };
  }

  async destroy(req: { account: string; region: string; resources: readonly DeployedResource[]; handle?: string | undefined }): Promise<DestroyResult> {
    // No stack was made (the template was refused before CreateStack): nothing to release.
    if (!req.handle) return { ok: true };
    try {
      await this.client(req.account, req.region, 'DeleteStack').deleteStack(new $Ros.DeleteStackRequest({ regionId: req.region, stackId: req.handle }));
      return { ok: true };
    } catch (err) {
      const e = fromSdkError(err, 'DeleteStack');
      if (e.code === 'StackNotFound') return { ok: true };
      if (e.kind === 'transient' || e.kind === 'throttled') throw e;
      return { ok: false, code: 'DESTROY_FAILED', message: `DeleteStack of ${req.handle} refused (${e.code}): ${e.message}` };
    }
  }

  private async stackEvents(req: { account: string; region: string; handle: string }): Promise<RosSdk.ListStackEventsResponseBodyEvents[]> {
    const out: RosSdk.ListStackEventsResponseBodyEvents[] = [];
    for (let page = 1; page <= MAX_EVENT_PAGES; page++) {
      const res = await this.call(req.account, req.region, 'ListStackEvents', (c) =>
        c.listStackEvents(new $Ros.ListStackEventsRequest({ regionId: req.region, stackId: req.handle, pageNumber: page, pageSize: EVENT_PAGE_SIZE })),
      );
      const batch = res.body?.events ?? [];
      out.push(...batch);
      if (batch.length < EVENT_PAGE_SIZE || out.length >= (res.body?.totalCount ?? 0)) break;
    }
    // ROS lists the newest first; the instance's timeline reads oldest first.
    return out.reverse();
  }

  private async stackResources(req: { account: string; region: string; handle: string }): Promise<DeployedResource[]> {
    const res = await this.call(req.account, req.region, 'ListStackResources', (c) => c.listStackResources(new $Ros.ListStackResourcesRequest({ regionId: req.region, stackId: req.handle })));
    return (res.body?.resources ?? []).map((r) => ({ resourceId: r.physicalResourceId ?? '', resourceType: r.resourceType ?? '', logicalId: r.logicalResourceId ?? '' }));
  }

  private call<T>(account: string, region: string, action: string, fn: (client: RosClient) => Promise<T>): Promise<T> {
    return this.#sdk.call(account, region, action, fn);
  }

  private client(account: string, region: string, action: string): RosClient {
    return this.#sdk.client(account, region, action);
  }
}

function toDeployEvent(e: RosSdk.ListStackEventsResponseBodyEvents): DeployEvent {
  const what = e.logicalResourceId && e.resourceType !== 'ALIYUN::ROS::Stack' ? `${e.logicalResourceId} (${e.resourceType})` : `stack ${e.stackName ?? e.stackId ?? ''}`;
  return { type: `Stack${pascal(e.status ?? 'EVENT')}`, message: `${what} ${e.status ?? ''}${e.statusReason ? `: ${e.statusReason}` : ''}` };
}

/** CREATE_FAILED → CreateFailed. */
function pascal(status: string): string {
  return status
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
