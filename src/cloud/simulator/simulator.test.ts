/** The CloudProvider contract, checked on the simulator: the ECS rules distribution relies on (SPEC §9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../../../test/support/stores.ts';
import type { Store } from '../../store/database.ts';
import { CloudError } from '../provider.ts';
import { VirtualClock } from './clocks.ts';
import { copyStatusAt, copyTiming, queuedStart } from './model.ts';
import { CloudSimulator } from './simulator.ts';
import { findRegion } from '../../domain/regions.ts';

let store: Store;
let clock: VirtualClock;
let sim: CloudSimulator;
beforeAll(async () => {
  store = await pgliteBackend.open();
  clock = new VirtualClock();
  sim = new CloudSimulator(store.db, clock, 3);
});
afterAll(async () => store?.close());

async function errorOf(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CloudError) return err;
    throw err;
  }
  throw new Error('expected a CloudError');
}

describe('simulator model', () => {
  it('makes 20 GiB inside China take minutes and 500 GiB across continents take hours', () => {
    const hz = findRegion('cn-hangzhou')!;
    const near = copyTiming(1, 'a', 20, hz, findRegion('cn-shanghai')!);
    const far = copyTiming(1, 'b', 500, hz, findRegion('eu-central-1')!);
    expect(near.durationMs / 60_000).toBeGreaterThan(2);
    expect(near.durationMs / 60_000).toBeLessThan(10);
    expect(far.durationMs / 3_600_000).toBeGreaterThan(3);
    expect(far.durationMs / 3_600_000).toBeLessThan(7);
  });

  it('queues a sixth copy until one of five running ends', () => {
    const running = [1, 2, 3, 4, 5].map((i) => ({ requestedAtMs: 0, startAtMs: 0, endAtMs: i * 1000 }));
    expect(queuedStart(running.slice(0, 4), 10)).toBe(10);
    expect(queuedStart(running, 10)).toBe(1000);
  });

  it('reports Waiting, Creating with whole percents, Available, or CreateFailed', () => {
    const c = { startAtMs: 100, finishAtMs: 1100, failAtMs: null };
    expect(copyStatusAt(c, 50)).toEqual({ status: 'Waiting', progressPct: 0 });
    expect(copyStatusAt(c, 675)).toEqual({ status: 'Creating', progressPct: 57 });
    expect(copyStatusAt(c, 1100)).toEqual({ status: 'Available', progressPct: 100 });
    expect(copyStatusAt({ ...c, failAtMs: 600 }, 700).status).toBe('CreateFailed');
  });
});

describe('CloudProvider contract (simulator)', () => {
  it('copies idempotently by ClientToken, and refuses the same token for another request', async () => {
    const src = await sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const req = { account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: 'tok-1', name: 'x', tags: [] };
    const a = await sim.copyImage(req);
    const b = await sim.copyImage(req);
    expect(b.imageId).toBe(a.imageId);
    expect((await errorOf(sim.copyImage({ ...req, destinationRegionId: 'cn-shanghai' }))).code).toBe('IdempotentParameterMismatch');
    expect((await errorOf(sim.copyImage({ ...req, clientToken: 'x'.repeat(65) }))).code).toBe('InvalidParameter.ClientToken');
  });

  it('lets a shared image be copied only within its region', async () => {
    const src = await sim.createImage({ account: 'supplier', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const base = { account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, name: 'x', tags: [] };
    expect((await errorOf(sim.copyImage({ ...base, destinationRegionId: 'cn-hangzhou', clientToken: 'in-1' }))).kind).toBe('notFound');
    await sim.modifyImageSharePermission({ account: 'supplier', regionId: 'cn-hangzhou', imageId: src.imageId, addAccounts: ['dist'], removeAccounts: [] });
    expect((await errorOf(sim.copyImage({ ...base, destinationRegionId: 'cn-beijing', clientToken: 'x-1' }))).code).toBe('InvalidImageId.SharedImageCrossRegion');
    await expect(sim.copyImage({ ...base, destinationRegionId: 'cn-hangzhou', clientToken: 'in-2' })).resolves.toHaveProperty('imageId');
  });

  it('limits DescribeImages to 100 IDs and share changes to 1–10 accounts', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `m-${i}`);
    expect((await errorOf(sim.describeImages({ account: 'dist', regionId: 'cn-hangzhou', imageIds: ids }))).kind).toBe('permanent');
    const src = await sim.createImage({ account: 'supplier', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const eleven = Array.from({ length: 11 }, (_, i) => `acc-${i}`);
    const req = { account: 'supplier', regionId: 'cn-hangzhou', imageId: src.imageId, removeAccounts: [] };
    expect((await errorOf(sim.modifyImageSharePermission({ ...req, addAccounts: eleven }))).kind).toBe('permanent');
    expect((await errorOf(sim.modifyImageSharePermission({ ...req, addAccounts: [] }))).kind).toBe('permanent');
  });

  it('finds copies by tag, and every region has the public system images', async () => {
    const src = await sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const { imageId } = await sim.copyImage({ account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'us-east-1', clientToken: 'tag-1', name: 'x', tags: [{ key: 'imagenest:delivery', value: 'dlv-9' }] });
    const found = await sim.describeImages({ account: 'dist', regionId: 'us-east-1', tag: { key: 'imagenest:delivery', value: 'dlv-9' } });
    expect(found.map((i) => i.imageId)).toEqual([imageId]);
    const pub = await sim.describeImages({ account: 'anyone', regionId: 'me-east-1', imageIds: ['centos_7_9_x64_20G_alibase_20240403.vhd'] });
    expect(pub).toEqual([expect.objectContaining({ status: 'Available', isPublic: true })]);
  });

  it('answers CopyImage beyond about 1,000 calls a minute with Throttling.User', async () => {
    const src = await sim.createImage({ account: 'burst', regionId: 'cn-hangzhou', sizeGiB: 1 });
    let throttled = 0;
    for (let i = 0; i < 1010; i++) {
      try {
        await sim.copyImage({ account: 'burst', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: `b-${i}`, name: 'x', tags: [] });
      } catch (err) {
        expect((err as CloudError).code).toBe('Throttling.User');
        throttled++;
      }
    }
    expect(throttled).toBeGreaterThanOrEqual(9);
    expect(throttled).toBeLessThanOrEqual(11);
    clock.advanceBy(60_000);
    await expect(sim.copyImage({ account: 'burst', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: 'after', name: 'x', tags: [] })).resolves.toBeDefined();
  });

  it('cancels a running copy and moves the queue up; refuses to delete a running copy', async () => {
    const src = await sim.createImage({ account: 'q', regionId: 'cn-hangzhou', sizeGiB: 400 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await sim.copyImage({ account: 'q', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'eu-west-1', clientToken: `q-${i}`, name: 'x', tags: [] })).imageId);
    }
    clock.advanceBy(120_000);
    const before = await sim.describeImages({ account: 'q', regionId: 'eu-west-1', imageIds: ids });
    expect(before.filter((i) => i.status === 'Creating')).toHaveLength(5);
    expect(before.find((i) => i.imageId === ids[5])!.status).toBe('Waiting');
    expect((await errorOf(sim.deleteImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[0]! }))).code).toBe('IncorrectImageStatus');
    await sim.cancelCopyImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[0]! });
    clock.advanceBy(1_000);
    const after = await sim.describeImages({ account: 'q', regionId: 'eu-west-1', imageIds: ids });
    expect(after.map((i) => i.imageId)).not.toContain(ids[0]);
    expect(after.find((i) => i.imageId === ids[5])!.status).toBe('Creating');
  });
});
