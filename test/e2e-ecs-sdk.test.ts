/**
 * Issue 14's acceptance, on a real process: the official ECS SDK alone, used directly against a
 * spawned `imagenest emulator`, does what a vendor does to make and publish a source image —
 * lists the regions, runs an instance from a system image, makes an image of it and waits for it
 * to be Available, copies it twice with one ClientToken and gets one image — and is refused for
 * a wrong secret as ECS refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $Ecs, $OpenApiUtil } from '../src/cloud/alibaba/sdk.ts';
import { startEmulatorProcess, type EmulatorProcess } from './support/server-process.ts';

const VENDOR = 'vendor-7';
const SECRET = 'vendor-secret';
const SYSTEM_IMAGE = 'ubuntu_22_04_x64_20G_alibase_20240130.vhd';
const ALL_STATUSES = 'Waiting,Creating,Available,UnAvailable,CreateFailed';

let emulator: EmulatorProcess;
beforeAll(async () => {
  // 600× emulated time: an instance starts, an image is made and copied within about a second.
  emulator = await startEmulatorProcess(['--port', '0', '--sim-speed', '600', '--access-key', `${VENDOR}:${SECRET}`]);
});
afterAll(async () => emulator?.stop());

const ecs = (secret = SECRET) =>
  new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId: VENDOR, accessKeySecret: secret, endpoint: emulator.url.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' }));

/** Asks again until `done` holds; the test's own timeout bounds it. */
async function until<T>(ask: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await ask();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the official ECS SDK against `imagenest emulator`', () => {
  it('lists the regions, runs an instance, makes an image of it, and copies it once for one ClientToken', async () => {
    const client = ecs();
    const regions = (await client.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!;
    expect(regions.length).toBeGreaterThanOrEqual(25);
    expect(regions.map((r) => r.regionId)).toEqual(expect.arrayContaining(['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'eu-central-1', 'us-east-1']));

    const run = await client.runInstances(
      new $Ecs.RunInstancesRequest({ regionId: 'cn-hangzhou', imageId: SYSTEM_IMAGE, instanceType: 'ecs.g7.large', securityGroupId: 'sg-vendor', instanceName: 'builder' }),
    );
    const [instanceId] = run.body!.instanceIdSets!.instanceIdSet!;
    const instance = await until(
      async () => (await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify([instanceId]) }))).body!.instances!.instance![0]!,
      (i) => i.status === 'Running',
    );
    expect(instance).toMatchObject({ instanceId, imageId: SYSTEM_IMAGE, instanceName: 'builder' });

    const imageId = (await client.createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', instanceId, imageName: 'vendor-app-1-0' }))).body!.imageId!;
    const describe = async (regionId: string, ids?: string) =>
      (await client.describeImages(new $Ecs.DescribeImagesRequest({ regionId, status: ALL_STATUSES, imageOwnerAlias: 'self', pageSize: 100, ...(ids ? { imageId: ids } : {}) }))).body!.images!.image ?? [];
    const first = (await describe('cn-hangzhou', imageId))[0]!;
    expect(first).toMatchObject({ imageId, status: 'Creating', imageName: 'vendor-app-1-0' });
    const made = await until(async () => (await describe('cn-hangzhou', imageId))[0]!, (i) => i.status === 'Available');
    expect(made).toMatchObject({ imageOwnerAlias: 'self', size: 20 });

    const copy = () =>
      client.copyImage(new $Ecs.CopyImageRequest({ regionId: 'cn-hangzhou', imageId, destinationRegionId: 'cn-shanghai', destinationImageName: 'vendor-app-1-0', clientToken: 'vendor-app-1-0-to-sh' }));
    const a = (await copy()).body!.imageId!;
    const b = (await copy()).body!.imageId!;
    expect(b).toBe(a);
    const copies = await until(() => describe('cn-shanghai'), (imgs) => imgs.every((i) => i.status === 'Available'));
    expect(copies.map((i) => i.imageId)).toEqual([a]);
  }, 120_000);

  it('refuses a request signed with a wrong secret: SignatureDoesNotMatch', async () => {
    const err = await ecs('not-the-secret')
      .describeRegions(new $Ecs.DescribeRegionsRequest({}))
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode?: number; data?: { Code?: string } },
      );
    expect([err?.statusCode, err?.data?.Code]).toEqual([400, 'SignatureDoesNotMatch']);
  });
});
