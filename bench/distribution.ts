/**
 * Distribution benchmark (`npm run bench:distribution -- --json [--trace FILE] [--cloud-seed N] [--cloud-seeds K]`).
 *
 * Workload (fixed, seeded): 20 versions × 25 regions, image sizes 20–500 GiB drawn from the
 * seed, source regions rotating over four regions, all published at t=0; default fault rates
 * 5 % throttling and 1 % transient errors on every call. Imagenest runs with its real engine,
 * store (in-memory PGlite) and simulator on the discrete-event clock.
 *
 * Baseline, in the same process on a fresh database: what Packer's ami_regions does: every
 * copy of a version is requested at once as soon as its source is ready (the cloud queues what
 * exceeds five per region), and each image is polled alone every 15 s. Its CopyImage calls are
 * real; its polls are counted rather than issued, because their outcome is fixed by the copy
 * timeline: a poll at t sees Available iff t ≥ the simulator's finish time and the call is not
 * throttled (drawn at the same seeded rates as the simulator's).
 *
 * Figures come from the simulator's own record of every copy (requested, started, finished)
 * and the moment Imagenest recorded it Available (detected).
 *
 * `--cloud-seed N` draws the cloud's randomness (copy speeds within ±20 %, start latencies,
 * throttling and transient faults) from another seed, the workload staying the same;
 * `--cloud-seeds K` also runs Imagenest under K further draws and reports their ratios, since
 * one draw of a few hundred hours-long copies says little about a scheduler on its own.
 * `lower_bound_with_releases_s` is a tighter bound given for insight: it also counts that no
 * copy can start before its version's ingest finished.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import * as packages from '../src/app/packages.ts';
import { cloudMarketplaceCatalog } from '../src/cloud/marketplace-catalog.ts';
import type { AppDeps } from '../src/app/deps.ts';
import { randomIds } from '../src/app/ids.ts';
import { VirtualClock } from '../src/cloud/simulator/clocks.ts';
import { seededUnit } from '../src/cloud/simulator/model.ts';
import { CloudSimulator, NO_FAULTS, type SimFaults } from '../src/cloud/simulator/simulator.ts';
import { openSimDatabase } from '../src/cloud/simulator/sim-migrations.ts';
import type { SimImageRow } from '../src/cloud/simulator/sim-schema.ts';
import { CloudError } from '../src/cloud/provider.ts';
import { REGIONS } from '../src/domain/regions.ts';
import { drive, EventHeapQueue } from '../src/distribution/discrete-event.ts';
import { DistributionEngine } from '../src/distribution/engine.ts';
import { RegionWakeups } from '../src/distribution/wakeups.ts';
import { migrate, openStore, type Store } from '../src/store/database.ts';
import { insertAccount } from '../src/store/accounts-repo.ts';
import { hashToken } from '../src/app/ids.ts';

const SEED = 20261127;
const VERSIONS = 20;
const REGION_COUNT = 25;
const SIZES_GIB = { min: 20, max: 500 };
const SOURCES = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'];
const FAULTS: SimFaults = { ...NO_FAULTS, throttleRate: 0.05, transientRate: 0.01 };
const DIST = 'imagenest-distribution';
const SUPPLIER = 'acc-bench-supplier';
const BASELINE_POLL_MS = 15_000;

interface CopyTrace {
  imageId: string;
  version: string;
  region: string;
  kind: 'ingest' | 'copy';
  sizeGiB: number;
  requestedAt: number;
  startedAt: number;
  finishedAt: number;
  detectedAt: number;
}

interface Figures {
  deliveries: number;
  makespan_s: number;
  lower_bound_s: number;
  makespan_ratio: number;
  lower_bound_with_releases_s: number;
  makespan_ratio_with_releases: number;
  api_calls: number;
  api_calls_per_delivery: number;
  throttled_calls: number;
  detection_lag_p50_s: number;
  detection_lag_p95_s: number;
  max_running_per_region: number;
}

const workload = Array.from({ length: VERSIONS }, (_, i) => ({
  name: `bench_pkg_${String(i).padStart(2, '0')}`,
  sizeGiB: Math.round(SIZES_GIB.min + seededUnit(SEED, 'size', i) * (SIZES_GIB.max - SIZES_GIB.min)),
  sourceRegion: SOURCES[i % SOURCES.length]!,
  regions: REGIONS.slice(0, REGION_COUNT).map((r) => r.id),
}));

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Recomputes makespan, lower bound and per-region concurrency from copy traces alone. */
function figures(traces: CopyTrace[], calls: number, throttled: number): Figures {
  const copies = traces.filter((t) => t.kind === 'copy');
  // Trace times are relative to the publish instant.
  const makespan = Math.max(...copies.map((t) => t.detectedAt));
  // Longest chain: a version's ingest (request → finish) then its slowest copy (request latency + duration).
  const chain = Math.max(
    ...copies.map((c) => {
      const ingest = traces.find((t) => t.kind === 'ingest' && t.version === c.version)!;
      const copyWork = c.finishedAt - c.startedAt + (c.startedAt - c.requestedAt > 0 ? Math.min(60, c.startedAt - c.requestedAt) : 0);
      return ingest.finishedAt - ingest.requestedAt + copyWork;
    }),
  );
  // Each image once: a source region's copy is its ingested image, listed in both roles.
  const images = [...new Map(traces.map((t) => [t.imageId, t])).values()];
  const byRegion = new Map<string, number>();
  for (const t of images) byRegion.set(t.region, (byRegion.get(t.region) ?? 0) + (t.finishedAt - t.startedAt));
  const regionBound = Math.max(...[...byRegion.values()].map((s) => s / 5));
  const lower = Math.max(chain, regionBound);
  // A tighter bound, for insight only: no copy starts before its version's ingest finished, so
  // a region's k busy slots hold, besides the copies' durations, at least the k earliest of
  // those release times (k ≤ 5; the least over k is taken).
  const releaseOf = (t: CopyTrace) =>
    traces.some((o) => o.imageId === t.imageId && o.kind === 'ingest') ? t.requestedAt : traces.find((o) => o.kind === 'ingest' && o.version === t.version)!.finishedAt;
  const releaseBound = Math.max(
    ...[...new Set(images.map((t) => t.region))].map((region) => {
      const mine = images.filter((t) => t.region === region);
      const work = mine.reduce((sum, t) => sum + (t.finishedAt - t.startedAt), 0);
      const releases = mine.map(releaseOf).sort((a, b) => a - b);
      let best = Infinity;
      for (let k = 1; k <= Math.min(5, mine.length); k++) best = Math.min(best, (work + releases.slice(0, k).reduce((a, b) => a + b, 0)) / k);
      return best;
    }),
  );
  const lowerWithReleases = Math.max(chain, releaseBound);
  let maxRunning = 0;
  for (const t of images) {
    const n = images.filter((o) => o.region === t.region && o.startedAt <= t.startedAt && o.finishedAt > t.startedAt).length;
    maxRunning = Math.max(maxRunning, n);
  }
  const lags = copies.map((t) => t.detectedAt - t.finishedAt);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    deliveries: copies.length,
    makespan_s: r(makespan),
    lower_bound_s: r(lower),
    makespan_ratio: r(makespan / lower),
    lower_bound_with_releases_s: r(lowerWithReleases),
    makespan_ratio_with_releases: r(makespan / lowerWithReleases),
    api_calls: calls,
    api_calls_per_delivery: r(calls / copies.length),
    throttled_calls: throttled,
    detection_lag_p50_s: r(quantile(lags, 0.5)),
    detection_lag_p95_s: r(quantile(lags, 0.95)),
    max_running_per_region: maxRunning,
  };
}

async function freshStore(): Promise<Store> {
  const store = await openStore({ kind: 'pglite', dataDir: null });
  await migrate(store.db);
  return store;
}

function counting(sim: CloudSimulator) {
  const c = { calls: 0, throttled: 0, byAction: {} as Record<string, number> };
  sim.listeners.push((call) => {
    c.calls++;
    c.byAction[call.action] = (c.byAction[call.action] ?? 0) + 1;
    if (call.outcome === 'Throttling.User') c.throttled++;
  });
  return c;
}

function traceOf(rows: SimImageRow[], versionOf: (row: SimImageRow) => string, detected: (row: SimImageRow) => number, t0: number): CopyTrace[] {
  return rows.map((r) => ({
    imageId: r.image_id,
    version: versionOf(r),
    region: r.region,
    kind: r.source_region === r.region && r.source_image_id !== null && r.name.endsWith('-ingest') ? 'ingest' : 'copy',
    sizeGiB: r.size_gib,
    requestedAt: (r.requested_at_ms - t0) / 1000,
    startedAt: (r.start_at_ms - t0) / 1000,
    finishedAt: (r.finish_at_ms - t0) / 1000,
    detectedAt: (detected(r) - t0) / 1000,
  }));
}

async function runImagenest(cloudSeed: number, relay = true): Promise<{ figures: Figures; traces: CopyTrace[]; passes: number; callsByAction: Record<string, number> }> {
  const store = await freshStore();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, cloudSeed);
  await sim.setFaults(FAULTS);
  const queue = new EventHeapQueue();
  const wakeups = new RegionWakeups(clock, queue);
  const engine = new DistributionEngine({
    db: store.db,
    cloud: sim,
    clock,
    wakeups,
    distributionAccount: DIST,
    workerId: 'bench',
    log: pino({ level: 'silent' }),
    relay,
    random: (() => {
      let n = 0;
      return () => seededUnit(cloudSeed, 'jitter', n++);
    })(),
  });
  // Seeded IDs too, so that a run is reproducible: IDs order rows and derive ClientTokens.
  let idN = 0;
  const ids = { id: (prefix: string) => `${prefix}-${createHash('sha256').update(`${cloudSeed}:${idN++}`).digest('hex').slice(0, 20)}`, token: randomIds.token };
  // The sources are made just below and are Available: the publish-time look at them is left out,
  // so that it draws neither the simulator's seeded faults nor calls the figures count.
  const sourceImages = { inspect: async () => ({ state: 'usable' as const, sizeGiB: 0 }) };
  const deps: AppDeps = { db: store.db, clock: { now: () => clock.now() }, ids, wakeups, sourceImages, marketplace: cloudMarketplaceCatalog(sim, DIST) };
  await store.db.transaction().execute((trx) => insertAccount(trx, { id: SUPPLIER, name: 'bench', role: 'supplier', createdAt: clock.now() }, hashToken('bench')));
  const caller = { accountId: SUPPLIER, role: 'supplier' as const };
  const sources: string[] = [];
  for (const w of workload) sources.push((await sim.createImage({ account: SUPPLIER, regionId: w.sourceRegion, sizeGiB: w.sizeGiB })).imageId);
  const counter = counting(sim);
  const t0 = clock.nowMs();
  for (const [i, w] of workload.entries()) {
    await packages.createPackage(deps, caller, {
      name: w.name,
      description: 'benchmark workload package',
      version: { name: 'v1_0', content: { sourceRegion: w.sourceRegion, imageId: sources[i]!, regions: w.regions } },
    });
    await packages.publish(deps, caller, w.name);
  }
  const passes = await drive(engine, queue, clock, { done: async () => !(await engine.hasUnfinishedWork()), maxSimMs: 7 * 24 * 3_600_000 });
  const deliveries = await store.db
    .selectFrom('deliveries as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .select(['d.image_id', 'd.kind', 'd.state', 'd.detected_at_ms', 'p.name'])
    // Ordered, so the trace's source-region lines come in one order whatever the rows' physical order.
    .orderBy('p.name')
    .orderBy('d.region')
    .orderBy('d.kind')
    .execute();
  const failed = deliveries.filter((d) => d.state !== 'Available');
  if (failed.length > 0) throw new Error(`${failed.length} deliveries did not end Available`);
  const byImage = new Map(deliveries.filter((d) => d.image_id).map((d) => [`${d.kind}:${d.image_id}`, d]));
  const rows = await sim.copyTimeline(DIST);
  const traces = traceOf(
    rows,
    (r) => r.name.split('-v')[0]!,
    (r) => (byImage.get(`copy:${r.image_id}`) ?? byImage.get(`ingest:${r.image_id}`))?.detected_at_ms ?? r.finish_at_ms,
    t0,
  );
  // Copies of the source region are served by the ingested image: one row, two roles.
  const extra: CopyTrace[] = [];
  for (const d of deliveries.filter((x) => x.kind === 'copy')) {
    const row = rows.find((r) => r.image_id === d.image_id);
    if (row && row.name.endsWith('-ingest')) {
      const t = traceOf([row], () => d.name, () => d.detected_at_ms ?? row.finish_at_ms, t0)[0]!;
      extra.push({ ...t, kind: 'copy' });
    }
  }
  await store.close();
  return { figures: figures([...traces, ...extra], counter.calls, counter.throttled), traces: [...traces, ...extra], passes, callsByAction: counter.byAction };
}

async function runBaseline(cloudSeed: number): Promise<{ figures: Figures; traces: CopyTrace[] }> {
  const store = await freshStore();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, cloudSeed + 1);
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
  const copy = async (req: Parameters<CloudSimulator['copyImage']>[0]): Promise<string> => (await retrying(() => sim.copyImage(req))).imageId;
  // Event list by simulated time: each version's ingest, then all its copies at once.
  const detected = new Map<string, number>();
  const ingests: { version: string; imageId: string; readyMs: number; w: (typeof workload)[number] }[] = [];
  for (const [i, w] of workload.entries()) {
    await retrying(() => sim.modifyImageSharePermission({ account: SUPPLIER, regionId: w.sourceRegion, imageId: sources[i]!, addAccounts: [DIST], removeAccounts: [] }));
    const imageId = await copy({ account: DIST, sourceRegionId: w.sourceRegion, imageId: sources[i]!, destinationRegionId: w.sourceRegion, clientToken: `b-ingest-${i}`, name: `${w.name}-v1-ingest`, tags: [] });
    const row = (await sim.copyTimeline(DIST)).find((r) => r.image_id === imageId)!;
    const seen = pollUntil(clock.nowMs(), row.finish_at_ms);
    detected.set(imageId, seen);
    ingests.push({ version: w.name, imageId, readyMs: seen, w });
  }
  ingests.sort((a, b) => a.readyMs - b.readyMs);
  for (const ing of ingests) {
    clock.advanceTo(ing.readyMs);
    for (const region of ing.w.regions) {
      if (region === ing.w.sourceRegion) continue;
      const imageId = await copy({ account: DIST, sourceRegionId: ing.w.sourceRegion, imageId: ing.imageId, destinationRegionId: region, clientToken: `b-${ing.version}-${region}`, name: `${ing.version}-v1-${region}`, tags: [] });
      const row = (await sim.copyTimeline(DIST)).find((r) => r.image_id === imageId)!;
      detected.set(imageId, pollUntil(clock.nowMs(), row.finish_at_ms));
    }
  }
  const rows = await sim.copyTimeline(DIST);
  const traces = traceOf(rows, (r) => r.name.split('-v')[0]!, (r) => detected.get(r.image_id)!, t0);
  const extra = traces.filter((t) => t.kind === 'ingest' && workload.find((w) => w.name === t.version)!.regions.includes(t.region)).map((t) => ({ ...t, kind: 'copy' as const }));
  await store.close();
  const all = [...traces, ...extra];
  return { figures: figures(all, counter.calls + polls, counter.throttled + pollThrottles), traces: all };
}

async function main(): Promise<void> {
  const usage = 'usage: bench:distribution [--json] [--trace FILE] [--cloud-seed N] [--cloud-seeds COUNT] [--relay on|off]\n';
  let values;
  try {
    ({ values } = parseArgs({ options: { json: { type: 'boolean' }, trace: { type: 'string' }, 'cloud-seed': { type: 'string' }, 'cloud-seeds': { type: 'string' }, relay: { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  const json = values.json ?? false;
  const traceFile = values.trace;
  const cloudSeed = Number(values['cloud-seed'] ?? SEED);
  const draws = Number(values['cloud-seeds'] ?? 0);
  if (!Number.isInteger(cloudSeed) || !Number.isInteger(draws) || draws < 0) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const started = performance.now();
  const relay = values.relay !== 'off';
  const imagenest = await runImagenest(cloudSeed, relay);
  if (!json) process.stderr.write(`imagenest: ${JSON.stringify(imagenest.figures)}\n`);
  const baseline = await runBaseline(cloudSeed);
  // The same workload under other draws of the cloud's randomness (copy speeds, latencies, faults).
  const others: { cloud_seed: number; makespan_ratio: number; api_calls_per_delivery: number; detection_lag_p95_s: number }[] = [];
  for (let k = 1; k <= draws; k++) {
    const f = (await runImagenest(cloudSeed + k, relay)).figures;
    others.push({ cloud_seed: cloudSeed + k, makespan_ratio: f.makespan_ratio, api_calls_per_delivery: f.api_calls_per_delivery, detection_lag_p95_s: f.detection_lag_p95_s });
    if (!json) process.stderr.write(`cloud seed ${cloudSeed + k}: ${JSON.stringify(f)}\n`);
  }
  const ratios = [imagenest.figures.makespan_ratio, ...others.map((o) => o.makespan_ratio)];
  const result = {
    benchmark: 'distribution',
    workload: {
      versions: VERSIONS,
      regions: REGION_COUNT,
      size_gib: SIZES_GIB,
      source_regions: SOURCES,
      faults: { throttle_rate: FAULTS.throttleRate, transient_rate: FAULTS.transientRate },
      seed: SEED,
      cloud_seed: cloudSeed,
      clock: 'discrete-event (simulated seconds)',
      relay,
    },
    ...imagenest.figures,
    region_passes: imagenest.passes,
    api_calls_by_action: imagenest.callsByAction,
    baseline: { description: 'Packer-like: all copies requested at once, each image polled alone every 15 s', ...baseline.figures },
    ...(draws > 0
      ? {
          other_cloud_draws: {
            runs: others,
            makespan_ratio_mean: Math.round((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 1000) / 1000,
            makespan_ratio_max: Math.max(...ratios),
            share_within_1_05: Math.round((ratios.filter((r) => r <= 1.05).length / ratios.length) * 1000) / 1000,
          },
        }
      : {}),
    targets: { makespan_ratio: 1.05, api_calls_per_delivery: 4, detection_lag_p95_s: 60 },
    meets_targets:
      imagenest.figures.makespan_ratio <= 1.05 && imagenest.figures.api_calls_per_delivery <= 4 && imagenest.figures.detection_lag_p95_s <= 60,
    wall_time_s: Math.round((performance.now() - started) / 100) / 10,
  };
  if (traceFile) {
    const lines = imagenest.traces
      .filter((t) => t.kind === 'copy')
      .map((t) => JSON.stringify({ version: t.version, region: t.region, sizeGiB: t.sizeGiB, requestedAt: t.requestedAt, startedAt: t.startedAt, finishedAt: t.finishedAt, detectedAt: t.detectedAt, kind: t.kind }));
    const ingestLines = imagenest.traces
      .filter((t) => t.kind === 'ingest')
      .map((t) => JSON.stringify({ version: t.version, region: t.region, sizeGiB: t.sizeGiB, requestedAt: t.requestedAt, startedAt: t.startedAt, finishedAt: t.finishedAt, detectedAt: t.detectedAt, kind: t.kind }));
    await writeFile(traceFile, [...ingestLines, ...lines].join('\n') + '\n');
  }
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
}

await main();
