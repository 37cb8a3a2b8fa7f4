/**
 * The emulator's instance actions through the official SDK: RunInstances from an image the
 * account may use in the region (and ECS's refusal otherwise), DescribeInstances, DeleteInstances,
 * and CreateImage from an instance, Creating, then Available in emulated time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmulatorRig, type EmulatorRig } from '../../../test/support/emulator-rig.ts';
import { $Ecs } from '../alibaba/sdk.ts';
import { INSTANCE_START_MS, imageCreationMs } from '../simulator/model.ts';

const SYSTEM_IMAGE = 'aliyun_3_x64_20G_alibase_20240528.vhd';
let rig: EmulatorRig;

beforeAll(async () => {
  rig = await openEmulatorRig(['vendor', 'consumer', 'other']);
});
afterAll(async () => rig?.close());

/** The ECS error code (and HTTP status) the SDK threw with. */
async function refusal(p: Promise<unknown>): Promise<[number, string]> {
  try {
    await p;
  } catch (err) {
    const e = err as { statusCode?: number; data?: { Code?: string } };
    return [e.statusCode ?? 0, e.data?.Code ?? ''];
  }
  throw new Error('expected the call to be refused');
}

function run(account: string, over: Partial<ConstructorParameters<typeof $Ecs.RunInstancesRequest>[0]> = {}) {
  return rig.sdk(account).runInstances(new $Ecs.RunInstancesRequest({ regionId: 'cn-hangzhou', imageId: SYSTEM_IMAGE, instanceType: 'ecs.g7.large', securityGroupId: 'sg-1', ...over }));
}

async function describeInstances(account: string, regionId: string, instanceIds?: string[]) {
  const res = await rig.sdk(account).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, ...(instanceIds ? { instanceIds: JSON.stringify(instanceIds) } : {}) }));
  return res.body!;
}

describe('RunInstances, DescribeInstances, DeleteInstances', () => {
  it('runs instances from a public system image: Pending, then Running', async () => {
    const res = await run('vendor', { amount: 2, instanceName: 'web' });
    const ids = res.body!.instanceIdSets!.instanceIdSet!;
    expect(ids).toHaveLength(2);
    const seen = await describeInstances('vendor', 'cn-hangzhou', ids);
    expect(seen.totalCount).toBe(2);
    expect(seen.instances!.instance!.map((i) => [i.instanceId, i.status, i.imageId, i.instanceType, i.instanceName])).toEqual(
      ids.map((id) => [id, 'Pending', SYSTEM_IMAGE, 'ecs.g7.large', 'web']),
    );
    rig.clock.advanceBy(INSTANCE_START_MS);
    expect((await describeInstances('vendor', 'cn-hangzhou', ids)).instances!.instance!.map((i) => i.status)).toEqual(['Running', 'Running']);
    // Another account, another region: none of them.
    expect((await describeInstances('other', 'cn-hangzhou', ids)).totalCount).toBe(0);
    expect((await describeInstances('vendor', 'cn-beijing', ids)).totalCount).toBe(0);
  });

  it('answers the same instances to the same ClientToken, and refuses it for another request', async () => {
    const a = await run('vendor', { clientToken: 'run-once' });
    const b = await run('vendor', { clientToken: 'run-once' });
    expect(b.body!.instanceIdSets!.instanceIdSet).toEqual(a.body!.instanceIdSets!.instanceIdSet);
    expect(await refusal(run('vendor', { clientToken: 'run-once', amount: 3 }))).toEqual([400, 'IdempotentParameterMismatch']);
  });

  it('refuses, as ECS does, an image that is not in the region or not usable by the account, and runs it once shared', async () => {
    const own = await rig.sim.createImage({ account: 'vendor', regionId: 'cn-hangzhou', sizeGiB: 30 });
    await expect(run('vendor', { imageId: own.imageId })).resolves.toBeDefined();
    expect(await refusal(run('vendor', { imageId: own.imageId, regionId: 'cn-shanghai' }))).toEqual([404, 'InvalidImageId.NotFound']);
    expect(await refusal(run('consumer', { imageId: own.imageId }))).toEqual([404, 'InvalidImageId.NotFound']);
    expect(await refusal(run('consumer', { imageId: 'm-doesnotexist' }))).toEqual([404, 'InvalidImageId.NotFound']);
    await rig.cloud.modifyImageSharePermission({ account: 'vendor', regionId: 'cn-hangzhou', imageId: own.imageId, addAccounts: ['consumer'], removeAccounts: [] });
    await expect(run('consumer', { imageId: own.imageId })).resolves.toBeDefined();
    await rig.cloud.modifyImageSharePermission({ account: 'vendor', regionId: 'cn-hangzhou', imageId: own.imageId, addAccounts: [], removeAccounts: ['consumer'] });
    expect(await refusal(run('consumer', { imageId: own.imageId }))).toEqual([404, 'InvalidImageId.NotFound']);
    await rig.cloud.deleteImage({ account: 'vendor', regionId: 'cn-hangzhou', imageId: own.imageId });
    expect(await refusal(run('vendor', { imageId: own.imageId }))).toEqual([404, 'InvalidImageId.NotFound']);
    expect(await refusal(run('vendor', { instanceType: undefined }))).toEqual([400, 'MissingParameter']);
  });

  it('releases a running instance only with Force, and then no longer knows it', async () => {
    const [id] = (await run('vendor')).body!.instanceIdSets!.instanceIdSet!;
    const del = (account: string, force?: boolean) => rig.sdk(account).deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: 'cn-hangzhou', instanceId: [id!], force }));
    expect(await refusal(del('vendor'))).toEqual([403, 'IncorrectInstanceStatus']);
    expect(await refusal(del('other', true))).toEqual([404, 'InvalidInstanceId.NotFound']);
    await del('vendor', true);
    expect((await describeInstances('vendor', 'cn-hangzhou', [id!])).totalCount).toBe(0);
    expect(await refusal(del('vendor', true))).toEqual([404, 'InvalidInstanceId.NotFound']);
  });

  it('pages DescribeInstances (10 by default) and reads InstanceIds as a JSON array', async () => {
    await run('other', { amount: 12 });
    const first = await describeInstances('other', 'cn-hangzhou');
    expect([first.totalCount, first.pageSize, first.instances!.instance!.length]).toEqual([12, 10, 10]);
    const second = await rig.sdk('other').describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageNumber: 2 }));
    expect(second.body!.instances!.instance).toHaveLength(2);
    expect(await refusal(rig.sdk('other').describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: 'i-1,i-2' })))).toEqual([400, 'InvalidInstanceIds.Malformed']);
  });
});

describe('CreateImage from an instance', () => {
  it('makes the caller an image of a Running instance: Creating, then Available in emulated time', async () => {
    const [id] = (await run('vendor')).body!.instanceIdSets!.instanceIdSet!;
    const create = (account: string, clientToken?: string) =>
      rig.sdk(account).createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', instanceId: id, imageName: 'vendor-app-v1', clientToken }));
    expect(await refusal(create('vendor'))).toEqual([400, 'IncorrectInstanceStatus']);
    rig.clock.advanceBy(INSTANCE_START_MS);
    expect(await refusal(create('other'))).toEqual([404, 'InvalidInstanceId.NotFound']);
    const imageId = (await create('vendor', 'image-once')).body!.imageId!;
    expect((await create('vendor', 'image-once')).body!.imageId).toBe(imageId);
    const look = async () =>
      (await rig.sdk('vendor').describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', imageId, status: 'Creating,Available' }))).body!.images!.image![0]!;
    expect(await look()).toMatchObject({ imageId, imageName: 'vendor-app-v1', status: 'Creating', imageOwnerAlias: 'self', size: 20 });
    // Not usable while Creating: not to copy, not to run.
    expect(await refusal(run('vendor', { imageId }))).toEqual([404, 'InvalidImageId.NotFound']);
    rig.clock.advanceBy(imageCreationMs(20));
    expect(await look()).toMatchObject({ status: 'Available', progress: '100%' });
    await expect(run('vendor', { imageId })).resolves.toBeDefined();
  });

  it('asks for an instance (or, the liberty, a size) when given neither', async () => {
    expect(await refusal(rig.sdk('vendor').createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou' })))).toEqual([400, 'MissingParameter']);
  });
});
