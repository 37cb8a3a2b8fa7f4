/**
 * One run of Imagenest on a workload: its real engine, store (in-memory PGlite) and simulator on
 * the discrete-event clock, from a fresh database, with every ID and random draw seeded.
 */
import { createHash } from 'node:crypto';
import pino from 'pino';
import * as packages from '../../src/app/packages.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import { hashToken, randomIds } from '../../src/app/ids.ts';
import { cloudMarketplaceCatalog } from '../../src/cloud/marketplace-catalog.ts';
import { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import { seededUnit } from '../../src/cloud/simulator/model.ts';
import type { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import type { SimImageRow } from '../../src/cloud/simulator/sim-schema.ts';
import { drive, EventHeapQueue } from '../../src/distribution/discrete-event.ts';
import { DistributionEngine } from '../../src/distribution/engine.ts';
import { RegionWakeups } from '../../src/distribution/wakeups.ts';
import { insertAccount } from '../../src/store/accounts-repo.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { figures, type Figures } from './figures.ts';
import { makeSimulator, type SimSettings } from './sim-options.ts';
import { recordedSource, traceOf, type CopyTrace, type DeliveryRecord } from './trace.ts';
import { DIST, FAULTS, SUPPLIER, type VersionSpec } from './workload.ts';

export interface RunOptions {
  draw: number;
  cloudSeed: number;
  workload: readonly VersionSpec[];
  /** Passed to the engine; undefined keeps its default. */
  relay?: boolean;
  sim: SimSettings;
  engine?: EngineSettings;
}

/** Engine options the benchmark may set (undefined: the engine's default). */
export interface EngineSettings {
  copiesOutPerRegion?: number | null;
}

export interface RunResult {
  figures: Figures;
  traces: CopyTrace[];
  /** Every copy the cloud ran (failed and cancelled ones too). */
  rows: SimImageRow[];
  passes: number;
  callsByAction: Record<string, number>;
  sourceMismatches: number;
  recordedSources: number;
}

export async function freshStore(): Promise<Store> {
  const store = await openStore({ kind: 'pglite', dataDir: null });
  await migrate(store.db);
  return store;
}

export function counting(sim: CloudSimulator): { calls: number; throttled: number; byAction: Record<string, number> } {
  const c = { calls: 0, throttled: 0, byAction: {} as Record<string, number> };
  sim.listeners.push((call) => {
    c.calls++;
    c.byAction[call.action] = (c.byAction[call.action] ?? 0) + 1;
    if (call.outcome === 'Throttling.User') c.throttled++;
  });
  return c;
}

/** The simulated clock every run starts from. */
export function simClock(): VirtualClock {
  return new VirtualClock(Date.UTC(2026, 0, 1));
}

async function recordedDeliveries(store: Store): Promise<DeliveryRecord[]> {
  const rows = await store.db
    .selectFrom('deliveries as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .selectAll('d')
    .select('p.name as package_name')
    // Ordered, so the trace's lines come in one order whatever the rows' physical order.
    .orderBy('p.name')
    .orderBy('d.region')
    .orderBy('d.kind')
    .execute();
  const failed = rows.filter((d) => d.state !== 'Available');
  if (failed.length > 0) throw new Error(`${failed.length} deliveries did not end Available`);
  return rows.map((d) => {
    const source = recordedSource(d as unknown as Record<string, unknown>);
    return {
      version: d.package_name,
      region: d.region,
      kind: d.kind === 'ingest' ? 'ingest' : 'copy',
      imageId: d.image_id!,
      detectedAtMs: d.detected_at_ms,
      copySourceRegion: source.region,
      copySourceImageId: source.imageId,
    };
  });
}

export async function runImagenest(o: RunOptions): Promise<RunResult> {
  const store = await freshStore();
  const clock = simClock();
  const sim = makeSimulator(await openSimDatabase(store.db), clock, o.cloudSeed, o.sim);
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
    random: (() => {
      let n = 0;
      return () => seededUnit(o.cloudSeed, 'jitter', n++);
    })(),
    ...(o.relay === undefined ? {} : { relay: o.relay }),
    ...(o.engine?.copiesOutPerRegion === undefined ? {} : { copiesOutPerRegion: o.engine.copiesOutPerRegion }),
  });
  // Seeded IDs too, so that a run is reproducible: IDs order rows and derive ClientTokens.
  let idN = 0;
  const ids = { id: (prefix: string) => `${prefix}-${createHash('sha256').update(`${o.cloudSeed}:${idN++}`).digest('hex').slice(0, 20)}`, token: randomIds.token };
  // The sources are made just below and are Available: the publish-time look at them is left out,
  // so that it draws neither the simulator's seeded faults nor calls the figures count.
  const sourceImages = { inspect: async () => ({ state: 'usable' as const, sizeGiB: 0 }) };
  const deps: AppDeps = { db: store.db, clock: { now: () => clock.now() }, ids, wakeups, sourceImages, marketplace: cloudMarketplaceCatalog(sim, DIST) };
  await store.db.transaction().execute((trx) => insertAccount(trx, { id: SUPPLIER, name: 'bench', role: 'supplier', createdAt: clock.now() }, hashToken('bench')));
  const caller = { accountId: SUPPLIER, role: 'supplier' as const };
  const sources: string[] = [];
  for (const w of o.workload) sources.push((await sim.createImage({ account: SUPPLIER, regionId: w.sourceRegion, sizeGiB: w.sizeGiB })).imageId);
  const counter = counting(sim);
  const t0 = clock.nowMs();
  for (const [i, w] of o.workload.entries()) {
    await packages.createPackage(deps, caller, {
      name: w.name,
      description: 'benchmark workload package',
      version: { name: 'v1_0', content: { sourceRegion: w.sourceRegion, imageId: sources[i]!, regions: [...w.regions] } },
    });
    await packages.publish(deps, caller, w.name);
  }
  const passes = await drive(engine, queue, clock, { done: async () => !(await engine.hasUnfinishedWork()), maxSimMs: 7 * 24 * 3_600_000 });
  const deliveries = await recordedDeliveries(store);
  const rows = await sim.copyTimeline(DIST);
  await store.close();
  const { traces, sourceMismatches, recordedSources } = traceOf(o.draw, deliveries, rows, t0);
  return { figures: figures(traces, rows, counter.calls, counter.throttled), traces, rows, passes, callsByAction: counter.byAction, sourceMismatches, recordedSources };
}
