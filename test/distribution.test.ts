/** Distribution end to end in one process, on the discrete-event clock: the real engine, store and simulator. */
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as distribution from '../src/app/distribution.ts';
import * as packages from '../src/app/packages.ts';
import type { CloudProvider } from '../src/cloud/provider.ts';
import type { Store } from '../src/store/database.ts';
import { drive } from '../src/distribution/discrete-event.ts';
import { pgliteBackend } from './support/stores.ts';
import { distributedImages, makeRig, type Rig } from './support/distribution-rig.ts';
import { withCalls } from './support/cloud-wrap.ts';
import * as cancelledVersions from '../src/store/migrations/0008-cancelled-versions.ts';

const TEN = ['cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'cn-hongkong', 'ap-southeast-1', 'ap-northeast-1', 'us-west-1', 'us-east-1', 'eu-central-1', 'me-east-1'];

let store: Store;
beforeEach(async () => {
  store = await pgliteBackend.open();
});
afterEach(async () => store?.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error('expected a failure');
}

/** The cloud `c` with its CopyImage replaced. */
function withCopyImage(c: CloudProvider, copyImage: CloudProvider['copyImage']): CloudProvider {
  return withCalls(c, { copyImage });
}

/**
 * The version 'app' is Available with exactly one image per delivery: `regions` copies, and the
 * ingested image, kept in the source region (not a target here) for as long as the version lives.
 */
async function expectDeliveredOnce(rig: Rig, regions: number): Promise<void> {
  expect((await rig.status('app')).state).toBe('Available');
  const images = await distributedImages(rig.sim);
  expect([...images.values()].every((l) => l.length === 1)).toBe(true);
  expect([...images.values()].flat()).toHaveLength(regions + 1);
}

/** A 400 GiB version published to three regions, run until the near region is done and the far ones are still copying. */
async function halfDistributed(): Promise<Rig> {
  const rig = await makeRig(store);
  await rig.publish('app', { regions: ['cn-beijing', 'us-east-1', 'eu-central-1'], sizeGiB: 400 });
  await drive(rig.engine, rig.queue, rig.clock, {
    maxSimMs: 48 * 3_600_000,
    done: async () => (await rig.status('app')).regions.some((r) => r.state === 'Available'),
  });
  expect((await rig.status('app')).regions.map((r) => r.state).sort()).toEqual(['Available', 'Copying', 'Copying']);
  return rig;
}

describe('distribution', () => {
  it('copies a version to every region, one copy each, and hands out image IDs only when Available', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: TEN, sizeGiB: 40 });
    expect(await codeOf(distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'cn-beijing'))).toBe('REGION_NOT_AVAILABLE');
    await rig.settle();
    const s = await rig.status('app');
    expect(s.state).toBe('Available');
    expect(s.regions.map((r) => [r.region, r.state, r.progress])).toEqual([...TEN].sort().map((r) => [r, 'Available', 100]));
    // Exactly one image per region in the distribution account; the ingested image in
    // cn-hangzhou (not a target) is kept: it serves the source region.
    const images = await distributedImages(rig.sim);
    expect([...images.values()].every((list) => list.length === 1)).toBe(true);
    expect([...images.values()].flat().map((x) => x.split(':')[0]).sort()).toEqual([...TEN, 'cn-hangzhou'].sort());
    const ingest = await distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'cn-hangzhou');
    expect([...images.values()].flat()).toContain(`cn-hangzhou:${ingest.imageId}`);
    const id = await distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'eu-central-1');
    expect(id.imageId).toBe(s.regions.find((r) => r.region === 'eu-central-1')!.imageId);
    expect(await codeOf(distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'eu-west-1'))).toBe('REGION_NOT_AVAILABLE');
    const pkgStatus = (await rig.deps.db.selectFrom('versions').select('state').executeTakeFirstOrThrow()).state;
    expect(pkgStatus).toBe('Available');
    const events = s.events.map((e) => e.type);
    expect(events[0]).toBe('Published');
    expect(events.filter((t) => t === 'CopyAvailable')).toHaveLength(10);
    expect(events.at(-1)).toBe('VersionAvailable');
  });

  it('serves the source region with the ingested image itself', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: ['cn-hangzhou', 'cn-beijing'], sizeGiB: 20 });
    await rig.settle();
    const s = await rig.status('app');
    expect(s.state).toBe('Available');
    const images = [...(await distributedImages(rig.sim)).values()].flat();
    expect(images.map((x) => x.split(':')[0]).sort()).toEqual(['cn-beijing', 'cn-hangzhou']);
  });

  it('never runs more than five copies into one region', async () => {
    const rig = await makeRig(store);
    for (let i = 0; i < 4; i++) await rig.publish(`app_${i}`, { regions: ['eu-central-1', 'cn-beijing'], sizeGiB: 100 + i * 50, sourceRegion: i % 2 ? 'cn-shanghai' : 'cn-hangzhou' });
    for (let i = 0; i < 4; i++) await rig.publish(`more_${i}`, { regions: ['eu-central-1'], sizeGiB: 60 });
    await rig.settle();
    const copies = await rig.sim.copyTimeline('imagenest-distribution');
    const into = copies.filter((c) => c.region === 'eu-central-1');
    expect(into).toHaveLength(8);
    // At every copy start, count the copies running in the region then (the simulator's own times).
    for (const c of into) {
      const running = into.filter((o) => o.start_at_ms <= c.start_at_ms && o.end_at_ms > c.start_at_ms).length;
      expect(running).toBeLessThanOrEqual(5);
      // And none waited in the cloud's queue: Imagenest never asks for a sixth.
      expect(c.start_at_ms - c.requested_at_ms).toBeLessThanOrEqual(60_000);
    }
  });

  it('sees every finished copy within 40 s of the cloud finishing it, with few DescribeImages calls', async () => {
    const rig = await makeRig(store);
    const calls: string[] = [];
    rig.sim.listeners.push((c) => calls.push(c.action));
    for (let i = 0; i < 3; i++) await rig.publish(`app_${i}`, { regions: TEN, sizeGiB: 60 + i * 200, sourceRegion: i === 1 ? 'cn-shanghai' : 'cn-hangzhou' });
    // What is counted is the engine's looks; publishing's own look at each source image is not one.
    calls.length = 0;
    await rig.settle();
    const finished = new Map((await rig.sim.copyTimeline('imagenest-distribution')).map((c) => [c.image_id, c.finish_at_ms]));
    const rows = await rig.store.db.selectFrom('deliveries').select(['kind', 'image_id', 'detected_at_ms', 'region']).where('state', '=', 'Available').execute();
    expect(rows).toHaveLength(33);
    for (const r of rows) {
      // A source region's delivery is the ingested image, seen when the ingest was.
      const lagMs = r.detected_at_ms! - finished.get(r.image_id!)!;
      expect(lagMs, `${r.kind} into ${r.region}`).toBeGreaterThanOrEqual(0);
      expect(lagMs, `${r.kind} into ${r.region}`).toBeLessThanOrEqual(40_000 + 1_000);
    }
    // One look per region per poll covers every copy there: at most three looks per copy (2.85
    // while the engine planned with the simulator's own speeds; 3.00 since it starts from a
    // prior that is not the simulator's truth and learns the speeds as copies finish).
    expect(calls.filter((a) => a === 'DescribeImages').length / 33).toBeLessThanOrEqual(3);
  });

  it('fails a region’s copy of a version whose ingest failed at once, even while its five slots are busy for hours', async () => {
    const rig = await makeRig(store);
    for (let i = 0; i < 5; i++) await rig.publish(`big_${i}`, { regions: ['us-west-1'], sizeGiB: 500 });
    const running = () => store.db.selectFrom('deliveries').select('id').where('region', '=', 'us-west-1').where('state', '=', 'Copying').where('image_id', 'is not', null).execute();
    await drive(rig.engine, rig.queue, rig.clock, { done: async () => (await running()).length === 5, maxSimMs: 6 * 3_600_000 });
    await rig.setFaults({ regionFailureRate: { 'cn-shanghai': 1 } });
    await rig.publish('doomed', { regions: ['us-west-1'], sizeGiB: 20, sourceRegion: 'cn-shanghai' });
    const doomed = async () => (await distribution.versionStatus(rig.deps, rig.supplier, 'doomed', '1')).state;
    await drive(rig.engine, rig.queue, rig.clock, { done: async () => (await doomed()) === 'Failed', maxSimMs: 3_600_000 });
    expect(await doomed()).toBe('Failed');
    const s = await distribution.versionStatus(rig.deps, rig.supplier, 'doomed', '1');
    expect(s.regions.find((r) => r.region === 'us-west-1')?.error?.code).toBe('INGEST_FAILED');
    // The five big copies still run: the verdict did not wait for a slot.
    expect(await running()).toHaveLength(5);
  });

  it('completes under 30% throttling and 5% transient errors, reporting no failure', async () => {
    const rig = await makeRig(store);
    await rig.setFaults({ throttleRate: 0.3, transientRate: 0.05 });
    await rig.publish('app', { regions: TEN, sizeGiB: 40 });
    await rig.settle();
    const s = await rig.status('app');
    expect(s.state).toBe('Available');
    expect(s.regions.every((r) => r.state === 'Available' && r.error === null)).toBe(true);
    expect([...(await distributedImages(rig.sim)).values()].every((l) => l.length === 1)).toBe(true);
  });

  it('fails only the region whose copies fail, with the cloud’s error, and a retry after the fault brings it to Available', async () => {
    const rig = await makeRig(store);
    await rig.setFaults({ regionFailureRate: { 'eu-central-1': 1 } });
    await rig.publish('app', { regions: TEN, sizeGiB: 40 });
    await rig.settle();
    let s = await rig.status('app');
    expect(s.state).toBe('PartiallyAvailable');
    const eu = s.regions.find((r) => r.region === 'eu-central-1')!;
    expect(eu.state).toBe('Failed');
    expect(eu.error).toEqual({ code: 'COPY_FAILED', cloudCode: 'CreateFailed', message: expect.stringContaining('eu-central-1') });
    expect(s.regions.filter((r) => r.state === 'Available')).toHaveLength(9);
    expect(await codeOf(distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'eu-central-1'))).toBe('REGION_NOT_AVAILABLE');
    // Retrying an Available region is refused; the content stays locked throughout.
    expect(await codeOf(distribution.retry(rig.deps, rig.supplier, 'app', '1', 'cn-beijing'))).toBe('INVALID_STATE_TRANSITION');

    await rig.setFaults({});
    const retried = await distribution.retry(rig.deps, rig.supplier, 'app', '1');
    expect(retried.state).toBe('Delivering');
    await rig.settle();
    s = await rig.status('app');
    expect(s.state).toBe('Available');
    expect(s.regions.every((r) => r.state === 'Available')).toBe(true);
    const images = await distributedImages(rig.sim);
    // Ten copies and the ingested image, kept for the source region.
    expect([...images.values()].flat()).toHaveLength(11);
  });

  it('repeats a CopyImage whose answer was lost with the same ClientToken: the cloud makes no second copy', async () => {
    let crashes = 0;
    // The call succeeds in the cloud but fails to the caller, before the image ID reaches the database.
    const wrap = (c: CloudProvider) =>
      withCopyImage(c, async (r) => {
        const out = await c.copyImage(r);
        if (crashes < 4) {
          crashes++;
          throw new Error('simulated crash after CopyImage');
        }
        return out;
      });
    const rig = await makeRig(store, { wrapCloud: wrap });
    await rig.publish('app', { regions: TEN.slice(0, 5), sizeGiB: 30 });
    await rig.settle();
    expect(crashes).toBe(4);
    await expectDeliveredOnce(rig, 5);
  });

  it('finds a copy whose result was never stored by its delivery tag, when the ClientToken no longer deduplicates', async () => {
    class WorkerDied extends Error {}
    let crashes = 0;
    let copyCalls = 0;
    // Each call gets a token of its own, as if the cloud had forgotten the first: only the
    // engine's lookup by delivery tag can find a copy made before the worker died.
    const wrap = (c: CloudProvider) => withCopyImage(c, (r) => c.copyImage({ ...r, clientToken: `${r.clientToken}-${++copyCalls}` }));
    const rig = await makeRig(store, {
      wrapCloud: wrap,
      // The worker dies after CopyImage returned, before the image ID is stored: the row stays
      // Copying without an image, as a killed process leaves it.
      failpoint: () => {
        if (crashes < 4) {
          crashes++;
          throw new WorkerDied();
        }
      },
    });
    await rig.publish('app', { regions: TEN.slice(0, 5), sizeGiB: 30 });
    for (;;) {
      try {
        await rig.settle();
        break;
      } catch (err) {
        if (!(err instanceof WorkerDied)) throw err;
      }
    }
    expect(crashes).toBe(4);
    // One ingest and five copies, each asked for once: the four lost ones were found, not redone.
    expect(copyCalls).toBe(6);
    await expectDeliveredOnce(rig, 5);
  });

  it('shows the ingest as its own phase, and each region’s progress and expected end from the engine’s estimate, moving between its readings', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: ['cn-beijing', 'eu-central-1'], sizeGiB: 400 });
    await drive(rig.engine, rig.queue, rig.clock, { maxSimMs: 48 * 3_600_000, done: async () => (await rig.status('app')).ingest?.state === 'Copying' });
    let s = await rig.status('app');
    expect(s.asOf).toBe(rig.clock.now().toISOString());
    expect(s.ingest).toMatchObject({ region: 'cn-hangzhou', state: 'Copying', finishedAt: null });
    const ingestEnd = Date.parse(s.ingest!.expectedFinishAt!);
    expect(ingestEnd).toBeGreaterThan(rig.clock.nowMs());
    // Waiting for the ingest: expected to end after it, at 0 %.
    for (const r of s.regions) {
      expect(r).toMatchObject({ state: 'Pending', estimatedProgress: 0 });
      expect(Date.parse(r.expectedFinishAt!)).toBeGreaterThan(ingestEnd);
    }
    // Far from the near region: the intercontinental copy is expected last.
    const end = (region: string) => Date.parse(s.regions.find((r) => r.region === region)!.expectedFinishAt!);
    expect(end('eu-central-1')).toBeGreaterThan(end('cn-beijing'));

    await drive(rig.engine, rig.queue, rig.clock, { maxSimMs: 48 * 3_600_000, done: async () => (await rig.status('app')).regions.some((r) => r.state === 'Copying' && r.progress > 0) });
    s = await rig.status('app');
    expect(s.ingest).toMatchObject({ state: 'Available', estimatedProgress: 100, expectedFinishAt: null });
    const copying = s.regions.find((r) => r.state === 'Copying' && r.progress > 0)!;
    // Between two of the engine's readings the cloud's figure stands still; the estimate does not.
    rig.clock.advanceBy((Date.parse(copying.expectedFinishAt!) - rig.clock.nowMs()) / 2);
    const later = (await rig.status('app')).regions.find((r) => r.region === copying.region)!;
    expect(later.progress).toBe(copying.progress);
    expect(later.estimatedProgress).toBeGreaterThan(copying.estimatedProgress);
    expect(later.estimatedProgress).toBeLessThan(100);
    await rig.settle();
    s = await rig.status('app');
    expect(s.regions.map((r) => [r.estimatedProgress, r.expectedFinishAt])).toEqual([[100, null], [100, null]]);
  });

  it('cancels: running copies are cancelled, finished ones deleted, nothing left behind', async () => {
    const rig = await halfDistributed();
    await distribution.cancel(rig.deps, rig.supplier, 'app', '1');
    await rig.settle();
    const after = await rig.status('app');
    expect(after.regions.every((r) => r.state === 'Cancelled')).toBe(true);
    expect(after.state).toBe('Cancelled');
    expect(after.events.map((e) => e.type)).toContain('VersionCancelled');
    expect((await packages.getPackage(rig.deps, rig.supplier, 'app')).status).toBe('Cancelled');
    expect([...(await distributedImages(rig.sim)).values()].flat()).toEqual([]);
    // A cancelled version is retried like a failed one.
    expect((await distribution.retry(rig.deps, rig.supplier, 'app', '1', 'cn-beijing')).state).toBe('Delivering');
    await rig.settle();
    expect((await rig.status('app')).state).toBe('PartiallyAvailable');
  });

  it('migrates versions settled Failed with every region cancelled (before Cancelled was a state) to Cancelled, and no other', async () => {
    const rig = await halfDistributed();
    await distribution.cancel(rig.deps, rig.supplier, 'app', '1');
    await rig.settle();
    await rig.setFaults({ regionFailureRate: { 'us-east-1': 1 } });
    await rig.publish('failing', { regions: ['us-east-1'], sizeGiB: 20 });
    await rig.settle();
    expect((await rig.status('failing')).state).toBe('Failed');
    await store.db.updateTable('versions').set({ state: 'Failed' }).where('state', '=', 'Cancelled').execute();
    await cancelledVersions.up(store.db as Kysely<unknown>);
    expect((await rig.status('app')).state).toBe('Cancelled');
    expect((await rig.status('failing')).state).toBe('Failed');
  });

  it('deletes a version by removing its regional copies first, then the version; image IDs and retries are refused meanwhile', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: ['cn-hangzhou', 'cn-beijing', 'us-east-1'], sizeGiB: 40 });
    await rig.settle();
    expect((await rig.status('app')).state).toBe('Available');
    expect([...(await distributedImages(rig.sim)).values()].flat()).toHaveLength(3);

    const outcome = await packages.deleteVersion(rig.deps, rig.supplier, 'app', '1');
    expect(outcome).toEqual({ state: 'Deleting', regions: ['cn-beijing', 'cn-hangzhou', 'us-east-1'] });
    expect((await packages.getVersion(rig.deps, rig.supplier, 'app', '1')).deleteRequestedAt).not.toBeNull();
    expect(await codeOf(distribution.imageId(rig.deps, rig.supplier, 'app', '1', 'cn-beijing'))).toBe('REGION_NOT_AVAILABLE');
    expect(await codeOf(distribution.retry(rig.deps, rig.supplier, 'app', '1'))).toBe('INVALID_STATE_TRANSITION');
    // Asking again changes nothing and says the same.
    expect(await packages.deleteVersion(rig.deps, rig.supplier, 'app', '1')).toEqual(outcome);

    await rig.settle();
    expect(await codeOf(packages.getVersion(rig.deps, rig.supplier, 'app', '1'))).toBe('NOT_FOUND');
    expect(await rig.sim.ownedImages('imagenest-distribution')).toEqual([]);
    // The package stays, without the version.
    expect((await packages.getPackage(rig.deps, rig.supplier, 'app')).versions).toEqual([]);
  });

  it('deletes a package in the middle of its distribution: copies cancelled or deleted, then the package; changes refused meanwhile', async () => {
    const rig = await halfDistributed();
    const next = await rig.sim.createImage({ account: rig.supplier.accountId, regionId: 'cn-hangzhou', sizeGiB: 20 });
    await packages.saveVersion(rig.deps, rig.supplier, 'app', 'draft', { name: 'v2_0', content: { sourceRegion: 'cn-hangzhou', imageId: next.imageId, regions: ['cn-beijing'] } });

    const outcome = await packages.deletePackage(rig.deps, rig.supplier, 'app');
    expect(outcome.state).toBe('Deleting');
    // The draft had nothing in the cloud: gone at once.
    expect(await codeOf(packages.getVersion(rig.deps, rig.supplier, 'app', 'draft'))).toBe('NOT_FOUND');
    expect((await packages.getPackage(rig.deps, rig.supplier, 'app')).deleteRequestedAt).not.toBeNull();
    expect(await codeOf(packages.saveVersion(rig.deps, rig.supplier, 'app', 'draft', { name: 'v3_0' }))).toBe('CONFLICT');
    expect(await codeOf(packages.updatePackage(rig.deps, rig.supplier, 'app', { description: 'still here?' }))).toBe('CONFLICT');

    await rig.settle();
    expect(await codeOf(packages.getPackage(rig.deps, rig.supplier, 'app'))).toBe('NOT_FOUND');
    expect(await rig.sim.ownedImages('imagenest-distribution')).toEqual([]);
    expect(await rig.store.db.selectFrom('deliveries').select('id').execute()).toEqual([]);
  });

  it('finishes a deletion whose last copy went before the version did (a worker died in between): the sweep deletes it', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: ['cn-beijing'], sizeGiB: 20 });
    await rig.settle();
    // What a crash right after the last cancellation leaves: every delivery Cancelled, the version still marked.
    const v = await packages.getVersion(rig.deps, rig.supplier, 'app', '1');
    await distribution.cancel(rig.deps, rig.supplier, 'app', '1');
    await rig.settle();
    await rig.store.db.updateTable('versions').set({ delete_requested_at: new Date() }).where('id', '=', v.id).execute();
    // Nothing deletes it until the sweep comes.
    expect((await packages.getVersion(rig.deps, rig.supplier, 'app', '1')).id).toBe(v.id);
    await rig.engine.sweep(60_000);
    expect(await codeOf(packages.getVersion(rig.deps, rig.supplier, 'app', '1'))).toBe('NOT_FOUND');
  });

  it('settles a version whose last region finished in a pass that died before settling it: the sweep does', async () => {
    const rig = await makeRig(store);
    await rig.publish('app', { regions: ['cn-beijing', 'cn-shanghai'], sizeGiB: 20 });
    await rig.settle();
    expect((await rig.status('app')).state).toBe('Available');
    // What a crash between the last delivery's verdict and the version's settling leaves.
    const v = await packages.getVersion(rig.deps, rig.supplier, 'app', '1');
    await rig.store.db.updateTable('versions').set({ state: 'Delivering' }).where('id', '=', v.id).execute();
    expect((await rig.status('app')).state).toBe('Delivering');
    await rig.engine.sweep(60_000);
    expect((await rig.status('app')).state).toBe('Available');
  });

  it('purges a version marked for deletion only once its last regional copy is gone, and only the versions asked for', async () => {
    const rig = await makeRig(store);
    for (const name of ['app', 'other', 'third']) await rig.publish(name, { regions: ['cn-beijing'], sizeGiB: 20 });
    await rig.settle();
    const [v, other, third] = await Promise.all(['app', 'other', 'third'].map((n) => packages.getVersion(rig.deps, rig.supplier, n, '1')));
    const mark = (id: string) => rig.store.db.updateTable('versions').set({ delete_requested_at: new Date() }).where('id', '=', id).execute();
    const exists = async (name: string) => (await codeOf(packages.getVersion(rig.deps, rig.supplier, name, '1')).catch(() => 'FOUND')) !== 'NOT_FOUND';
    // Marked while its copy in cn-beijing is live: kept; once the pass has removed the copy, gone.
    await mark(v!.id);
    expect(await rig.engine.purgeDeleted([v!.id])).toEqual([]);
    expect(await rig.engine.purgeDeleted()).toEqual([]);
    expect(await exists('app')).toBe(true);
    await distribution.cancel(rig.deps, rig.supplier, 'app', '1');
    await rig.settle();
    expect(await exists('app')).toBe(false);
    // Two versions without copies, both marked: an empty list purges none, a list only its own.
    for (const name of ['other', 'third']) await distribution.cancel(rig.deps, rig.supplier, name, '1');
    await rig.settle();
    await mark(other!.id);
    await mark(third!.id);
    expect(await rig.engine.purgeDeleted([])).toEqual([]);
    expect(await exists('other')).toBe(true);
    expect(await rig.engine.purgeDeleted([other!.id])).toEqual([other!.id]);
    expect([await exists('other'), await exists('third')]).toEqual([false, true]);
    // Without a list, every purgeable version.
    expect(await rig.engine.purgeDeleted()).toEqual([third!.id]);
    expect(await exists('third')).toBe(false);
  });
});
