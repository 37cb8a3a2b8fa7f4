/** The ROS deployer (official SDK) over the emulator's ROS API, over HTTP: the Deployer contract, and what only ROS has. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployerContract, deployRequest, type DeployerRig } from '../../../test/support/deployer-contract.ts';
import { errorOf } from '../../../test/support/cloud-contract.ts';
import { pgliteBackend } from '../../../test/support/stores.ts';
import { rosEmulatorApi } from '../emulator/ros-api.ts';
import { EmulatedStacks } from '../emulator/ros-stacks.ts';
import { VirtualClock } from '../simulator/clocks.ts';
import { SimulatorDeployer } from '../simulator/deployer.ts';
import { openSimDatabase } from '../simulator/sim-migrations.ts';
import { CloudSimulator } from '../simulator/simulator.ts';
import { RosDeployer } from './ros-deployer.ts';
import { $Ros } from './ros-sdk.ts';
import { $OpenApiUtil } from './sdk.ts';

const ACCOUNTS = ['acc-ros', 'acc-tf', 'acc-miss', 'acc-vendor', 'acc-buyer', 'acc-idem', 'acc-rm', 'acc-x'];
const secretOf = (account: string) => `secret-of-${account}`;

type RosRig = DeployerRig & { endpoint: string };

async function openRosRig(): Promise<RosRig> {
  const store = await pgliteBackend.open();
  const clock = new VirtualClock();
  const db = await openSimDatabase(store.db);
  const oracle = new SimulatorDeployer(db, clock);
  const api = rosEmulatorApi({ stacks: new EmulatedStacks(oracle, clock), accessKeys: new Map(ACCOUNTS.map((a) => [a, secretOf(a)])), describeInstances: (req) => oracle.describeInstances(req) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deployer: new RosDeployer({ endpoint, credentialsFor: (account) => ({ accessKeyId: account, accessKeySecret: secretOf(account) }) }),
    sim: new CloudSimulator(db, clock, 5),
    clock,
    endpoint,
    running: (account) => oracle.describeInstances({ account }),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

deployerContract('ROS deployer → emulator ROS API over HTTP', openRosRig);

describe('ROS deployer: what only ROS has', () => {
  let rig: RosRig;
  beforeAll(async () => {
    rig = await openRosRig();
  });
  afterAll(async () => rig?.close());
  const sdk = (account: string) =>
    new $Ros.default(new $OpenApiUtil.Config({ accessKeyId: account, accessKeySecret: secretOf(account), endpoint: rig.endpoint.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' }));

  it('answers running with the stack ID, is CREATE_IN_PROGRESS until the emulated time passes, then surfaces the stack events', async () => {
    const img = await rig.sim.createImage({ account: 'acc-x', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const req = deployRequest('acc-x', 'cn-hangzhou', 'ros', { web: img.imageId, db: img.imageId });
    const first = await rig.deployer.start(req);
    expect(first.state).toBe('running');
    if (first.state !== 'running') return;
    const stack = await sdk('acc-x').getStack(new $Ros.GetStackRequest({ regionId: 'cn-hangzhou', stackId: first.handle }));
    expect([stack.body?.status, stack.body?.stackName]).toEqual(['CREATE_IN_PROGRESS', `imagenest-${req.instanceId}`]);
    expect(stack.body?.parameters?.map((p) => [p.parameterKey, p.parameterValue])).toEqual([['Size', 's']]);
    expect(await rig.deployer.poll({ account: 'acc-x', region: 'cn-hangzhou', handle: first.handle })).toMatchObject({ state: 'running', events: [] });
    rig.clock.advanceBy(60_000);
    const done = await rig.deployer.poll({ account: 'acc-x', region: 'cn-hangzhou', handle: first.handle });
    expect(done.state).toBe('succeeded');
    expect(done.events.map((e) => e.type)).toEqual(['StackCreateInProgress', 'StackCreateInProgress', 'StackCreateComplete', 'StackCreateInProgress', 'StackCreateComplete', 'StackCreateComplete']);
    expect(done.events[2]!.message).toMatch(/^(Web|Db) \(ALIYUN::ECS::Instance(Group)?\) CREATE_COMPLETE/);
  });

  it('fails with the stack status reason and the failed events, in the account only', async () => {
    const img = await rig.sim.createImage({ account: 'acc-vendor', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const req = deployRequest('acc-x', 'cn-hangzhou', 'terraform', { web: img.imageId, db: img.imageId });
    const first = await rig.deployer.start(req);
    rig.clock.advanceBy(60_000);
    const failed = await rig.deployer.poll({ account: 'acc-x', region: 'cn-hangzhou', handle: first.state === 'running' ? first.handle : '' });
    expect(failed).toMatchObject({ state: 'failed', code: 'IMAGE_NOT_SHARED' });
    expect(failed.state === 'failed' && failed.message).toMatch(/is ROLLBACK_COMPLETE: Resource CREATE failed: InvalidImageId\.NotShared/);
    expect(failed.events.map((e) => e.type)).toEqual(['StackCreateInProgress', 'StackCreateFailed', 'StackRollbackComplete']);
    // Another account does not see the stack.
    expect(await rig.deployer.poll({ account: 'acc-vendor', region: 'cn-hangzhou', handle: first.state === 'running' ? first.handle : '' })).toMatchObject({ state: 'failed', code: 'DEPLOY_FAILED' });
  });

  it('refuses a template ROS cannot read as a failure of the deployment, not of the call', async () => {
    const req = { ...deployRequest('acc-x', 'cn-hangzhou', 'ros', { web: 'm-1', db: 'm-2' }), template: { files: [{ name: 'template.yaml', text: 'Resources: [' }] } };
    expect(await rig.deployer.start(req)).toMatchObject({ state: 'failed', code: 'TEMPLATE_UNSUPPORTED' });
  });

  it('throws when the consumer\'s keys are refused (wrong secret, unknown key, none configured)', async () => {
    const req = deployRequest('acc-x', 'cn-hangzhou', 'ros', { web: 'm-1', db: 'm-2' });
    const wrong = new RosDeployer({ endpoint: rig.endpoint, credentialsFor: () => ({ accessKeyId: 'acc-x', accessKeySecret: 'not-the-secret' }) });
    expect(await errorOf(wrong.start(req))).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const unknown = new RosDeployer({ endpoint: rig.endpoint, credentialsFor: () => ({ accessKeyId: 'nobody', accessKeySecret: 'x' }) });
    expect(await errorOf(unknown.start(req))).toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    const none = new RosDeployer({ endpoint: rig.endpoint, credentialsFor: () => undefined });
    const err = await errorOf(none.start(req));
    expect([err.code, err.message]).toEqual(['InvalidAccessKeyId.NotFound', expect.stringContaining('acc-x')]);
    expect(await rig.running('acc-x')).toSatisfy((rows: { deploymentId: string }[]) => rows.every((r) => !r.deploymentId.includes(req.instanceId)));
  });
});
