/**
 * The ROS HTTP API (version 2019-09-10), as `@alicloud/ros20190910` speaks it: RPC style like ECS
 * (action and version in headers, ACS3-HMAC-SHA256), with `TemplateBody` in a form body. The
 * emulator serves it on the ECS API's port: a request is ROS's when its x-acs-version is ROS's.
 * CreateStack, GetStack, ListStackEvents, ListStackResources and DeleteStack over the emulator's
 * stacks (ros-stacks.ts), with ROS's answer shapes and error codes (StackNotFound, StackExists,
 * InvalidTemplate, MissingParameter).
 *
 * Besides the API, `GET /emulator/instances` (HTTP Basic with an access key ID and secret) lists
 * what runs in that key's account with the stack each resource belongs to: what a test reads as
 * the cloud's truth where ECS's own DescribeInstances is not served.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { SimInstanceRecord } from '../simulator-port.ts';
import { positiveInt as intParam, required as requiredParam } from './ecs-params.ts';
import { RpcError, signedRpcHandler, type RpcAction } from './rpc-envelope.ts';
import type { EmulatedStacks, Stack, StackEvent } from './ros-stacks.ts';

export const ROS_API_VERSION = '2019-09-10';

export interface RosEmulatorOptions {
  stacks: EmulatedStacks;
  /** Access key ID → secret; the ID is also the account the request acts as. */
  accessKeys: ReadonlyMap<string, string>;
  /** What runs in an account (the simulator's record), for the read route. */
  describeInstances(req: { account: string }): Promise<SimInstanceRecord[]>;
  nowMs?: () => number;
}

/** ROS prints times as UTC without a zone letter, to the second. */
function rosTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `Name.N.Key` / `Name.N.Value` pairs (the SDK's flattening of a list of objects). */
function pairs(p: URLSearchParams, name: string, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = new RegExp(`^${name}\\.(\\d+)\\.${key}$`);
  for (const [k, v] of p) {
    const m = re.exec(k);
    if (m) out[v] = p.get(`${name}.${m[1]}.${value}`) ?? '';
  }
  return out;
}

function stackJson(s: Stack) {
  return {
    StackId: s.stackId,
    StackName: s.stackName,
    RegionId: s.region,
    Status: s.status,
    StatusReason: s.statusReason,
    CreateTime: rosTime(s.createdAtMs),
    DisableRollback: s.disableRollback,
    Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    Outputs: [],
  };
}

function eventJson(s: Stack, e: StackEvent) {
  return {
    EventId: e.eventId,
    StackId: s.stackId,
    StackName: s.stackName,
    LogicalResourceId: e.logicalResourceId,
    PhysicalResourceId: e.physicalResourceId,
    ResourceType: e.resourceType,
    Status: e.status,
    StatusReason: e.statusReason,
    CreateTime: rosTime(e.atMs),
  };
}

export function rosEmulatorApi(options: RosEmulatorOptions): Hono {
  const { stacks } = options;
  const target = (p: URLSearchParams, account: string) => stacks.get(account, requiredParam(p, 'RegionId'), requiredParam(p, 'StackId'));
  const actions: Record<string, RpcAction> = {
    async CreateStack(p, account) {
      const rollback = p.get('DisableRollback');
      if (rollback !== null && rollback !== 'true' && rollback !== 'false') throw new RpcError('InvalidParameter', `DisableRollback must be true or false; got ${rollback}`);
      if (p.has('TemplateURL') || p.has('TemplateId')) throw new RpcError('InvalidParameter', 'the emulator takes the template as TemplateBody only');
      const stack = stacks.create({
        account,
        region: requiredParam(p, 'RegionId'),
        stackName: requiredParam(p, 'StackName'),
        templateBody: requiredParam(p, 'TemplateBody'),
        parameters: pairs(p, 'Parameters', 'ParameterKey', 'ParameterValue'),
        clientToken: p.get('ClientToken') ?? undefined,
        disableRollback: rollback === 'true',
      });
      return { StackId: stack.stackId };
    },
    async GetStack(p, account) {
      return stackJson(await target(p, account));
    },
    async ListStackEvents(p, account) {
      const stack = await target(p, account);
      const pageSize = intParam(p, 'PageSize', 10, 50);
      const pageNumber = intParam(p, 'PageNumber', 1, 1_000_000);
      // Newest first, as ROS lists them.
      const all = [...stack.events].reverse();
      const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
      return { Events: page.map((e) => eventJson(stack, e)), PageNumber: pageNumber, PageSize: pageSize, TotalCount: all.length };
    },
    async ListStackResources(p, account) {
      const stack = await target(p, account);
      const at = rosTime(stack.createdAtMs);
      return {
        Resources: stack.resources.map((r) => ({
          StackId: stack.stackId,
          StackName: stack.stackName,
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.resourceId,
          ResourceType: r.resourceType,
          Status: 'CREATE_COMPLETE',
          StatusReason: 'state changed',
          CreateTime: at,
          UpdateTime: at,
        })),
      };
    },
    async DeleteStack(p, account) {
      await stacks.delete(account, requiredParam(p, 'RegionId'), requiredParam(p, 'StackId'));
      return {};
    },
  };

  const app = new Hono();
  app.all('/', signedRpcHandler({ version: ROS_API_VERSION, hostId: 'ros.emulator.imagenest', actions, accessKeys: options.accessKeys, ...(options.nowMs ? { nowMs: options.nowMs } : {}) }));
  app.get('/emulator/instances', async (c) => {
    const account = basicAccount(c.req.header('authorization'), options.accessKeys);
    if (!account) return c.json({ Code: 'InvalidAccessKeyId.NotFound', Message: 'give an access key ID and its secret as HTTP Basic credentials' }, 401);
    const items = (await options.describeInstances({ account })).map((r) => ({ ...r, stackName: stacks.byId(r.deploymentId)?.stackName ?? null }));
    return c.json({ items });
  });
  return app;
}

/** The account whose `ID:SECRET` the Basic credentials carry, when they match. */
function basicAccount(header: string | undefined, keys: ReadonlyMap<string, string>): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i <= 0) return undefined;
  const id = decoded.slice(0, i);
  const secret = keys.get(id);
  const given = Buffer.from(decoded.slice(i + 1));
  return secret !== undefined && given.length === Buffer.byteLength(secret) && timingSafeEqual(given, Buffer.from(secret)) ? id : undefined;
}
