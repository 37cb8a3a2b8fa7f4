/**
 * One scale run: N versions × 25 regions published at once, driven to the end in
 * discrete-event time through the real engine and store, counting the engine's CPU time and SQL.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import * as packages from '../../src/app/packages.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import { hashToken, randomIds } from '../../src/app/ids.ts';
import { cloudMarketplaceCatalog } from '../../src/cloud/marketplace-catalog.ts';
import type { CloudProvider } from '../../src/cloud/provider.ts';
import { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import { seededUnit } from '../../src/cloud/simulator/model.ts';
import { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import { REGIONS } from '../../src/domain/regions.ts';
import { drive, EventHeapQueue } from '../../src/distribution/discrete-event.ts';
import { DistributionEngine } from '../../src/distribution/engine.ts';
import { RegionWakeups } from '../../src/distribution/wakeups.ts';
import { insertAccount } from '../../src/store/accounts-repo.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { DIST, FAULTS, SOURCES, SUPPLIER } from '../distribution/workload.ts';
import { SqlCounter, type ShapeCount } from './sql-counter.ts';

export const SCALE_SEED = 20261202;
export const SCALE_REGIONS = 25;
/** Small images keep 400 versions within days of simulated time; the engine's work per copy does not depend on size. */
export const SCALE_SIZES_GIB = { min: 10, max: 50 } as const;

export type ScaleTarget = { kind: 'pglite' } | { kind: 'postgres'; url: string };

export interface ScaleRun {
  versions: number;
  deliveries: number;
  passes: number;
  /** Every wake-up the engine was handed: passes run, and stale ones (a later wake-up replaced them) or deferred. */
  wakeups: { ran: number; superseded: number; deferred: number };
  simulated_hours: number;
  wall_s: number;
  engine_cpu_ms: number;
  /** Of engine_cpu_ms, the part spent inside the simulator's calls (the cloud, not the engine). */
  simulator_cpu_ms: number;
  sql_statements: number;
  transactions: number;
  sql_rows: number;
  by_shape: Map<string, ShapeCount>;
}

async function dropSchemas(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_sim" cascade`);
  await client.end();
}

/** A fresh database: in-process PGlite, or on PostgreSQL a schema of its own (and the simulator's beside it), dropped after. */
async function openTarget(target: ScaleTarget, versions: number): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (target.kind === 'pglite') {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    await migrate(store.db);
    return { store, dispose: () => store.close() };
  }
  const schema = `bench_scale_${versions}_${process.pid}`;
  await dropSchemas(target.url, schema);
  const store = await openStore({ kind: 'postgres', url: target.url, schema });
  await migrate(store.db);
  return {
    store,
    dispose: async () => {
      await store.close();
      await dropSchemas(target.url, schema);
    },
  };
}

/** The simulator as the engine's cloud, with the CPU time spent inside its calls added to `cpu.ms`. */
function timedCloud(sim: CloudSimulator, cpu: { ms: number }): CloudProvider {
  return new Proxy(sim, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const before = process.cpuUsage();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const d = process.cpuUsage(before);
          cpu.ms += (d.user + d.system) / 1000;
        }
      };
    },
  });
}

export async function runScale(target: ScaleTarget, versions: number, progress: (line: string) => void = () => {}, progressEvery = 2000): Promise<ScaleRun> {
  const started = performance.now();
  const { store, dispose } = await openTarget(target, versions);
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, SCALE_SEED);
  await sim.setFaults(FAULTS);
  const queue = new EventHeapQueue();
  const wakeups = new RegionWakeups(clock, queue);
  const counter = new SqlCounter();
  const engineDb = store.db.withPlugin(counter);
  let transactions = 0;
  const begin = engineDb.transaction.bind(engineDb);
  engineDb.transaction = () => {
    if (counter.active) transactions++;
    return begin();
  };
  const simCpu = { ms: 0 };
  const engine = new DistributionEngine({
    db: engineDb,
    cloud: timedCloud(sim, simCpu),
    clock,
    wakeups,
    distributionAccount: DIST,
    workerId: 'bench-scale',
    log: pino({ level: 'silent' }),
    random: (() => {
      let n = 0;
      return () => seededUnit(SCALE_SEED, 'jitter', n++);
    })(),
  });
  let engineCpuMs = 0;
  /** Counts CPU and SQL only inside the engine's own entry points (not the driver's `done` check, nor publishing). */
  const measured = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    const before = process.cpuUsage();
    counter.active = true;
    try {
      return await fn(...a);
    } finally {
      counter.active = false;
      const d = process.cpuUsage(before);
      engineCpuMs += (d.user + d.system) / 1000;
    }
  };
  const outcomes = { ran: 0, superseded: 0, deferred: 0 };
  const handleWake = measured(engine.handleWake.bind(engine));
  engine.handleWake = async (region, wakeAtMs) => {
    const outcome = await handleWake(region, wakeAtMs);
    outcomes[outcome]++;
    return outcome;
  };
  engine.sweep = measured(engine.sweep.bind(engine));

  let idN = 0;
  const ids = { id: (prefix: string) => `${prefix}-${createHash('sha256').update(`${SCALE_SEED}:${idN++}`).digest('hex').slice(0, 20)}`, token: randomIds.token };
  const sourceImages = { inspect: async () => ({ state: 'usable' as const, sizeGiB: 0 }) };
  const deps: AppDeps = { db: store.db, clock: { now: () => clock.now() }, ids, wakeups, sourceImages, marketplace: cloudMarketplaceCatalog(sim, DIST) };
  await store.db.transaction().execute((trx) => insertAccount(trx, { id: SUPPLIER, name: 'bench', role: 'supplier', createdAt: clock.now() }, hashToken('bench')));
  const caller = { accountId: SUPPLIER, role: 'supplier' as const };
  const regions = REGIONS.slice(0, SCALE_REGIONS).map((r) => r.id);
  const t0 = clock.nowMs();
  for (let i = 0; i < versions; i++) {
    const sourceRegion = SOURCES[i % SOURCES.length]!;
    const sizeGiB = Math.round(SCALE_SIZES_GIB.min + seededUnit(SCALE_SEED, 'size', i) * (SCALE_SIZES_GIB.max - SCALE_SIZES_GIB.min));
    const source = await sim.createImage({ account: SUPPLIER, regionId: sourceRegion, sizeGiB });
    const name = `scale_pkg_${String(i).padStart(4, '0')}`;
    await packages.createPackage(deps, caller, { name, description: 'scale benchmark package', version: { name: 'v1_0', content: { sourceRegion, imageId: source.imageId, regions } } });
    await packages.publish(deps, caller, name);
  }
  const available = async () =>
    Number((await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'copy').where('state', '=', 'Available').executeTakeFirstOrThrow()).n);
  let wakes = 0;
  // Progress for long runs: cost so far per delivery done so far (the engine's SQL and CPU only).
  const beforePass = async () => {
    if (++wakes % progressEvery !== 0) return;
    const done = await available();
    progress(`${versions} versions: ${wakes} wake-ups, ${done} delivered, ${((clock.nowMs() - t0) / 3_600_000).toFixed(1)} h simulated, engine ${Math.round(engineCpuMs)} ms CPU (${Math.round(simCpu.ms)} in the simulator), ${counter.statements} statements, ${counter.rows} rows, wake-ups ${JSON.stringify(outcomes)}`);
  };
  const passes = await drive(engine, queue, clock, { done: async () => !(await engine.hasUnfinishedWork()), maxSimMs: 14 * 24 * 3_600_000, beforePass });
  const delivered = { n: await available() };
  const simulatedHours = (clock.nowMs() - t0) / 3_600_000;
  await dispose();
  return {
    versions,
    deliveries: Number(delivered.n),
    passes,
    wakeups: outcomes,
    simulated_hours: Math.round(simulatedHours * 10) / 10,
    wall_s: Math.round((performance.now() - started) / 100) / 10,
    engine_cpu_ms: Math.round(engineCpuMs),
    simulator_cpu_ms: Math.round(simCpu.ms),
    sql_statements: counter.statements,
    transactions,
    sql_rows: counter.rows,
    by_shape: counter.byShape,
  };
}
