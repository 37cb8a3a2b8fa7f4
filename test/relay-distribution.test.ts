/**
 * Relay distribution in one process, on the discrete-event clock: the real engine, store and
 * simulator. Copies into a far area start from its entry region once that holds the version;
 * an entry that fails never strands its area; a worker dying right after an entry's CopyImage
 * leaves nothing copied twice; cancelling a version mid-relay stops the relayed copies before their
 * sources go.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as distribution from '../src/app/distribution.ts';
import type { Store } from '../src/store/database.ts';
import { pgliteBackend } from './support/stores.ts';
import { drive } from '../src/distribution/discrete-event.ts';
import type { CloudProvider } from '../src/cloud/provider.ts';
import { distributedImages, makeRig, type Rig, type RigOptions } from './support/distribution-rig.ts';

const AMERICAS = ['us-east-1', 'us-west-1', 'na-south-1'];
const REGIONS = ['cn-beijing', ...AMERICAS];
/** Six large versions: enough queued work in each far region that relaying pays. */
const VERSIONS = [300, 260, 220, 200, 180, 160];

let store: Store;
beforeEach(async () => {
  store = await pgliteBackend.open();
});
afterEach(async () => store?.close());

async function publishAll(rig: Rig): Promise<void> {
  for (const [i, sizeGiB] of VERSIONS.entries()) await rig.publish(`app_${i}`, { regions: REGIONS, sizeGiB });
}

/** Every copy as the cloud made it, with the delivery it was made for. */
async function copies(rig: Rig) {
  const rows = await store.db.selectFrom('deliveries').select(['id', 'version_id', 'region', 'kind', 'relay_from', 'copy_source_region', 'detected_at_ms', 'state']).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (await rig.sim.copyTimeline('imagenest-distribution')).map((img) => {
    const tag = (JSON.parse(typeof img.tags === 'string' ? img.tags : JSON.stringify(img.tags)) as { key: string; value: string }[]).find((t) => t.key === 'imagenest:delivery')!.value;
    return { img, delivery: byId.get(tag)!, rows };
  });
}

/** Every version Available, one image per delivery. */
async function expectAllDeliveredOnce(rig: Rig): Promise<void> {
  for (let i = 0; i < VERSIONS.length; i++) expect((await distribution.versionStatus(rig.deps, rig.supplier, `app_${i}`, '1')).state).toBe('Available');
  const images = await distributedImages(rig.sim);
  expect([...images.values()].every((l) => l.length === 1)).toBe(true);
}

async function settleThroughCrashes(rig: Rig, died: new () => Error): Promise<void> {
  for (;;) {
    try {
      await rig.settle(96);
      return;
    } catch (err) {
      if (!(err instanceof died)) throw err;
    }
  }
}

describe('relay distribution', () => {
  it('starts every relayed copy after its source copy was seen Available, and copies no (version, region) twice', async () => {
    const rig = await makeRig(store);
    await publishAll(rig);
    await rig.settle(96);
    await expectAllDeliveredOnce(rig);
    const made = await copies(rig);
    const relayed = made.filter(({ img, delivery }) => delivery.kind === 'copy' && img.source_region !== made.find((m) => m.delivery.kind === 'ingest' && m.delivery.version_id === delivery.version_id)!.img.region);
    expect(relayed.length).toBeGreaterThan(0);
    for (const { img, delivery, rows } of relayed) {
      const source = rows.find((r) => r.version_id === delivery.version_id && r.region === img.source_region && r.kind === 'copy')!;
      expect(source.state).toBe('Available');
      expect(img.requested_at_ms).toBeGreaterThanOrEqual(source.detected_at_ms!);
      // The delivery recorded the source it was started from.
      expect(delivery.copy_source_region).toBe(img.source_region);
    }
    // One cloud copy per (version, region).
    const keys = made.map(({ delivery }) => `${delivery.version_id}|${delivery.kind}|${delivery.region}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Status shows where each copy came from.
    const s = await rig.status('app_0');
    expect(s.regions.every((r) => r.sourceRegion !== null && r.sourceImageId !== null)).toBe(true);
  }, 300_000);

  it('with relay off copies every region straight from the ingest', async () => {
    const rig = await makeRig(store, { relay: false });
    await publishAll(rig);
    await rig.settle(96);
    await expectAllDeliveredOnce(rig);
    const made = await copies(rig);
    for (const { img, delivery } of made) {
      if (delivery.kind === 'copy') expect(img.source_region).toBe('cn-hangzhou');
    }
  }, 300_000);

  it('delivers an entry region’s area when every copy into the entry fails (another holder or direct), and a retry brings the entry to Available', async () => {
    const rig = await makeRig(store);
    await rig.setFaults({ regionFailureRate: { 'na-south-1': 1 } });
    await publishAll(rig);
    await rig.settle(96);
    const rows = await store.db.selectFrom('deliveries').selectAll().where('kind', '=', 'copy').execute();
    // na-south-1 was the entry of some versions: their other Americas regions were planned to copy from it.
    const stranded = rows.filter((r) => r.relay_from === 'na-south-1');
    expect(stranded.length).toBeGreaterThan(0);
    for (const r of stranded) {
      expect(r.state).toBe('Available');
      expect(r.copy_source_region).not.toBe('na-south-1');
    }
    for (const r of rows) expect(r.state).toBe(r.region === 'na-south-1' ? 'Failed' : 'Available');
    // The fault over, a retry of the failed region brings every version to Available.
    await rig.setFaults({});
    for (let i = 0; i < VERSIONS.length; i++) await distribution.retry(rig.deps, rig.supplier, `app_${i}`, '1', 'na-south-1');
    await rig.settle(96);
    await expectAllDeliveredOnce(rig);
  }, 300_000);

  it('survives a worker dying right after an entry copy’s CopyImage returned: found by its tag, never copied twice', async () => {
    class WorkerDied extends Error {}
    let crashes = 0;
    const options: RigOptions = {
      failpoint: (name) => {
        if (name === 'after-entry-copy-image' && crashes < 3) {
          crashes++;
          throw new WorkerDied();
        }
      },
    };
    const rig = await makeRig(store, options);
    await publishAll(rig);
    await settleThroughCrashes(rig, WorkerDied);
    expect(crashes).toBe(3);
    await expectAllDeliveredOnce(rig);
    const made = await copies(rig);
    const keys = made.map(({ delivery }) => `${delivery.version_id}|${delivery.kind}|${delivery.region}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 300_000);
  it('cancels a version mid-relay: each relayed copy is stopped before the image it copies from is deleted, and nothing is left', async () => {
    /** The cloud's cancel and delete calls, in order. */
    const calls: { op: 'cancel' | 'delete'; region: string; imageId: string }[] = [];
    const wrapCloud = (cloud: CloudProvider): CloudProvider =>
      new Proxy(cloud, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== 'cancelCopyImage' && prop !== 'deleteImage') return typeof v === 'function' ? v.bind(target) : v;
          return async (req: { regionId: string; imageId: string }) => {
            calls.push({ op: prop === 'cancelCopyImage' ? 'cancel' : 'delete', region: req.regionId, imageId: req.imageId });
            return (v as (r: typeof req) => Promise<void>).call(target, req);
          };
        },
      });
    const rig = await makeRig(store, { wrapCloud });
    await publishAll(rig);
    // Run until a copy runs from an entry region (not from the ingest) that a simultaneous wake-up
    // passes first (a cancellation wakes its regions at one instant, in name order): the order that would
    // delete the source under the running copy unless the engine holds it.
    const relayedRunning = async () => {
      const rows = await store.db.selectFrom('deliveries').select(['version_id', 'region', 'state', 'copy_source_region', 'source_region']).where('kind', '=', 'copy').execute();
      return rows.filter((r) => r.state === 'Copying' && r.copy_source_region !== null && r.copy_source_region !== r.source_region && r.copy_source_region < r.region);
    };
    await drive(rig.engine, rig.queue, rig.clock, { done: async () => (await relayedRunning()).length > 0, maxSimMs: 96 * 3_600_000 });
    const running = await relayedRunning();
    expect(running.length).toBeGreaterThan(0);
    const versionIds = [...new Set(running.map((r) => r.version_id))];
    const names = await store.db.selectFrom('versions as v').innerJoin('packages as p', 'p.id', 'v.package_id').select(['p.name', 'v.id']).where('v.id', 'in', versionIds).execute();
    for (const { name } of names) await distribution.cancel(rig.deps, rig.supplier, name, '1');
    await rig.settle(96);

    const rows = await store.db.selectFrom('deliveries').selectAll().where('version_id', 'in', versionIds).execute();
    for (const r of rows) expect(['Cancelled', 'Available', 'Failed']).toContain(r.state);
    expect(rows.some((r) => r.state === 'Cancelled')).toBe(true);
    // Each relayed copy that ran was stopped before its source image was deleted.
    const relayedImages = rows.filter((r) => r.kind === 'copy' && r.copy_source_image_id !== null && r.copy_source_region !== r.source_region && r.image_id !== null);
    expect(relayedImages.length).toBeGreaterThan(0);
    for (const r of relayedImages) {
      const stopped = calls.findIndex((c) => c.imageId === r.image_id);
      const sourceGone = calls.findIndex((c) => c.op === 'delete' && c.imageId === r.copy_source_image_id);
      expect(stopped).toBeGreaterThanOrEqual(0);
      if (sourceGone >= 0) expect(stopped).toBeLessThan(sourceGone);
    }
    // Nothing of the cancelled versions is left in the distribution account.
    const left = await distributedImages(rig.sim);
    for (const r of rows) expect(left.has(r.id)).toBe(false);
  }, 300_000);

  describe('with a cloud that also caps copies out of a source region (the simulator’s --source-cap 5)', () => {
    const FAR = ['cn-beijing', 'cn-shenzhen', 'ap-southeast-1', 'ap-northeast-1', 'eu-central-1', 'us-west-1', 'us-east-1', 'me-east-1'];
    /** The most copies the cloud had requested and not yet ended out of one source region at once. */
    async function mostOutOfOneSource(rig: Rig): Promise<number> {
      const made = await rig.sim.copyTimeline('imagenest-distribution');
      let most = 0;
      for (const c of made) {
        const out = made.filter((o) => o.source_region === c.source_region && o.requested_at_ms <= c.requested_at_ms && o.end_at_ms > c.requested_at_ms);
        most = Math.max(most, out.length);
      }
      return most;
    }
    async function run(copiesOutPerRegion?: number) {
      const rig = await makeRig(store, { sim: { sourceCap: 5 }, ...(copiesOutPerRegion === undefined ? {} : { copiesOutPerRegion }) });
      for (const [i, sizeGiB] of [120, 100, 80].entries()) await rig.publish(`app_${i}`, { regions: FAR, sizeGiB });
      await rig.settle(96);
      for (let i = 0; i < 3; i++) expect((await distribution.versionStatus(rig.deps, rig.supplier, `app_${i}`, '1')).state).toBe('Available');
      expect([...(await distributedImages(rig.sim)).values()].every((l) => l.length === 1)).toBe(true);
      return rig;
    }

    it('with --copies-out-per-region 5 never asks for a sixth copy out of a region, so none waits in the cloud behind the source’s five', async () => {
      const rig = await run(5);
      expect(await mostOutOfOneSource(rig)).toBeLessThanOrEqual(5);
      // A full source sent some copies to another holder than the one their route planned (relay_from).
      const rows = await store.db.selectFrom('deliveries').select(['copy_source_region', 'relay_from']).where('kind', '=', 'copy').execute();
      expect(rows.some((r) => r.relay_from !== null && r.copy_source_region !== r.relay_from)).toBe(true);
    }, 300_000);

    it('without the engine’s cap (its default), the same publish asks for more than five out of the ingest region (the case the cap is for)', async () => {
      const rig = await run();
      expect(await mostOutOfOneSource(rig)).toBeGreaterThan(5);
    }, 300_000);
  });
});
