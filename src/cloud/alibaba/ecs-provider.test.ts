/**
 * The Alibaba adapter, through the official SDK over real HTTP, against the ECS emulator over a
 * simulator: the shared CloudProvider contract, then what only this path has — signatures,
 * ECS's defaults (Available-only listing, pages of 10), paging, and error typing.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { cloudProviderContract, errorOf } from '../../../test/support/cloud-contract.ts';
import { openEmulatorRig as openRig, secretOf, type EmulatorRig } from '../../../test/support/emulator-rig.ts';
import { AlibabaEcsProvider } from './ecs-provider.ts';
import { ecsErrorKind } from './ecs-errors.ts';
import { $Ecs } from './sdk.ts';

const ACCOUNTS = ['dist', 'supplier', 'anyone', 'burst', 'q'];
const openEmulatorRig = () => openRig(ACCOUNTS);

cloudProviderContract('Alibaba adapter → ECS emulator over HTTP', openEmulatorRig);

describe('Alibaba adapter: what only the HTTP path has', () => {
  let rig: EmulatorRig;
  beforeAll(async () => {
    rig = await openEmulatorRig();
  });
  afterAll(async () => rig?.close());

  it('is refused with a wrong secret, an unknown access key, or no signature', async () => {
    const wrong = new AlibabaEcsProvider({ endpoint: rig.endpoint, credentialsFor: () => ({ accessKeyId: 'dist', accessKeySecret: 'not-the-secret' }) });
    expect(await errorOf(wrong.describeRegions({ account: 'dist' }))).toMatchObject({ kind: 'permanent', code: 'SignatureDoesNotMatch' });
    const unknown = new AlibabaEcsProvider({ endpoint: rig.endpoint, credentialsFor: () => ({ accessKeyId: 'nobody', accessKeySecret: 'x' }) });
    expect(await errorOf(unknown.describeRegions({ account: 'nobody' }))).toMatchObject({ kind: 'permanent', code: 'InvalidAccessKeyId.NotFound' });
    const raw = await fetch(`${rig.endpoint}/?RegionId=cn-hangzhou`, { method: 'POST', headers: { 'x-acs-action': 'DescribeImages', 'x-acs-version': '2014-05-26' } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ Code: 'IncompleteSignature' });
  });

  it('names the account it has no credentials for, without calling the cloud', async () => {
    const partial = new AlibabaEcsProvider({ endpoint: rig.endpoint, credentialsFor: (a) => (a === 'dist' ? { accessKeyId: 'dist', accessKeySecret: secretOf('dist') } : undefined) });
    const err = await errorOf(partial.describeImages({ account: 'acc-supplier-7', regionId: 'cn-hangzhou', imageIds: ['m-1'] }));
    expect(err).toMatchObject({ kind: 'permanent', code: 'InvalidAccessKeyId.NotFound' });
    expect(err.message).toContain('acc-supplier-7');
  });

  it('sees copies in progress although ECS lists only Available images by default, and reads every page', async () => {
    const src = await rig.sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 30 });
    const tag = { key: 'imagenest:version', value: 'ver-paging' };
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push((await rig.cloud.copyImage({ account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'ap-southeast-1', clientToken: `page-${i}`, name: `p${i}`, tags: [tag] })).imageId);
    }
    // The SDK alone, as a careless client would call it: no Status, default page size.
    const sdk = rig.sdk('dist');
    const bare = await sdk.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'ap-southeast-1', tag: [new $Ecs.DescribeImagesRequestTag(tag)] }));
    expect(bare.body?.images?.image ?? []).toEqual([]);
    expect(bare.body?.totalCount).toBe(0);
    const seen = await rig.cloud.describeImages({ account: 'dist', regionId: 'ap-southeast-1', tag });
    expect(seen.map((i) => i.imageId).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((i) => i.status))).not.toContain('Available');
    const some = await sdk.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'ap-southeast-1', tag: [new $Ecs.DescribeImagesRequestTag(tag)], status: 'Waiting,Creating' }));
    expect(some.body?.images?.image).toHaveLength(10);
    expect(some.body?.totalCount).toBe(23);
  });

  it('types a refused connection as transient', async () => {
    const closed = new AlibabaEcsProvider({ endpoint: 'http://127.0.0.1:9', credentialsFor: () => ({ accessKeyId: 'dist', accessKeySecret: 'x' }), timeoutMs: 2_000 });
    expect(await errorOf(closed.describeRegions({ account: 'dist' }))).toMatchObject({ kind: 'transient', code: 'NetworkError' });
  });
});

describe('ecsErrorKind', () => {
  it('types ECS codes the way distribution must treat them', () => {
    expect(ecsErrorKind('Throttling.User', 400)).toBe('throttled');
    expect(ecsErrorKind('Throttling', 400)).toBe('throttled');
    expect(ecsErrorKind('Anything', 429)).toBe('throttled');
    expect(ecsErrorKind('InvalidImageId.NotFound', 404)).toBe('notFound');
    expect(ecsErrorKind('QuotaExceed.Image', 403)).toBe('quota');
    expect(ecsErrorKind('ServiceUnavailable', 503)).toBe('transient');
    expect(ecsErrorKind('InternalError', 500)).toBe('transient');
    expect(ecsErrorKind('NetworkError', undefined)).toBe('transient');
    expect(ecsErrorKind('InvalidImageId.SharedImageCrossRegion', 403)).toBe('permanent');
    expect(ecsErrorKind('IncorrectImageStatus', 403)).toBe('permanent');
    expect(ecsErrorKind('SignatureDoesNotMatch', 400)).toBe('permanent');
  });
});
