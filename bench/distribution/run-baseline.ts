/**
 * The naive direct baseline, in the same process on a fresh database: what Packer's
 * ami_regions does. Every copy of a version is requested at once as soon as its source is ready
 * (the cloud queues what exceeds five per region), and each image is polled alone every 15 s.
 * Its CopyImage calls are real; its polls are counted rather than issued, because their outcome
 * is fixed by the copy timeline: a poll at t sees Available iff t ≥ the simulator's finish time
 * and the call is not throttled (drawn at the same seeded rates as the simulator's).
 */
import { seededUnit } from '../../src/cloud/simulator/model.ts';
import type { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import { CloudError } from '../../src/cloud/provider.ts';
import { figures, type Figures } from './figures.ts';
import { counting, freshStore, simClock } from './run-imagenest.ts';
import { makeSimulator, type SimSettings } from './sim-options.ts';
import { traceOf, type DeliveryRecord } from './trace.ts';
import { DIST, FAULTS, SUPPLIER, type VersionSpec } from './workload.ts';

const BASELINE_POLL_MS = 15_000;

export async function runBaseline(cloudSeed: number, workload: readonly VersionSpec[], settings: SimSettings): Promise<{ figures: Figures }> {
  const store = await freshStore();
  const clock = simClock();
  const sim = makeSimulator(await openSimDatabase(store.db), clock, cloudSeed + 1, settings);
  await sim.setFaults(FAULTS);
  const sources: string[] = [];
  for (const w of workload) sources.push((await sim.createImage({ account: SUPPLIER, regionId: w.sourceRegion, sizeGiB: w.sizeGiB })).imageId);
  const counter = counting(sim);
  let polls = 0;
  let pollThrottles = 0;
  let drawN = 0;
  const t0 = clock.nowMs();
  /** Polls one image every 15 s from `fromMs` until it is seen Available; returns when. */
  const pollUntil = (fromMs: number, finishMs: number): number => {
    for (let t = fromMs + BASELINE_POLL_MS; ; t += BASELINE_POLL_MS) {
      polls++;
      const u = seededUnit(cloudSeed, 'baseline-poll', drawN++);
      if (u < FAULTS.throttleRate) pollThrottles++;
      else if (u >= FAULTS.throttleRate + FAULTS.transientRate && t >= finishMs) return t;
    }
  };
  /** Packer's way with a throttled or failed call: wait a poll interval and call again. */
  const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof CloudError) || (err.kind !== 'throttled' && err.kind !== 'transient')) throw err;
        clock.advanceBy(BASELINE_POLL_MS);
      }
    }
  };
  const finishOf = async (imageId: string) => (await sim.copyTimeline(DIST)).find((r) => r.image_id === imageId)!.finish_at_ms;
  const copy = async (req: Parameters<CloudSimulator['copyImage']>[0]): Promise<string> => (await retrying(() => sim.copyImage(req))).imageId;
  const deliveries: DeliveryRecord[] = [];
  const record = (version: string, region: string, kind: 'ingest' | 'copy', imageId: string, detectedAtMs: number) =>
    deliveries.push({ version, region, kind, imageId, detectedAtMs, copySourceRegion: null, copySourceImageId: null });
  // Event list by simulated time: each version's ingest, then all its copies at once.
  const ingests: { imageId: string; readyMs: number; w: VersionSpec }[] = [];
  for (const [i, w] of workload.entries()) {
    await retrying(() => sim.modifyImageSharePermission({ account: SUPPLIER, regionId: w.sourceRegion, imageId: sources[i]!, addAccounts: [DIST], removeAccounts: [] }));
    const imageId = await copy({ account: DIST, sourceRegionId: w.sourceRegion, imageId: sources[i]!, destinationRegionId: w.sourceRegion, clientToken: `b-ingest-${i}`, name: `${w.name}-v1-ingest`, tags: [] });
    const seen = pollUntil(clock.nowMs(), await finishOf(imageId));
    record(w.name, w.sourceRegion, 'ingest', imageId, seen);
    if (w.regions.includes(w.sourceRegion)) record(w.name, w.sourceRegion, 'copy', imageId, seen);
    ingests.push({ imageId, readyMs: seen, w });
  }
  ingests.sort((a, b) => a.readyMs - b.readyMs);
  for (const ing of ingests) {
    clock.advanceTo(ing.readyMs);
    for (const region of ing.w.regions) {
      if (region === ing.w.sourceRegion) continue;
      const imageId = await copy({ account: DIST, sourceRegionId: ing.w.sourceRegion, imageId: ing.imageId, destinationRegionId: region, clientToken: `b-${ing.w.name}-${region}`, name: `${ing.w.name}-v1-${region}`, tags: [] });
      record(ing.w.name, region, 'copy', imageId, pollUntil(clock.nowMs(), await finishOf(imageId)));
    }
  }
  const rows = await sim.copyTimeline(DIST);
  await store.close();
  const { traces } = traceOf(0, deliveries, rows, t0);
  return { figures: figures(traces, rows, counter.calls + polls, counter.throttled + pollThrottles) };
}
