/**
 * Scale of the engine itself: `npm run bench:scale -- --json [--versions 40,400]`.
 *
 * Publishes N versions × 25 regions at once (40 → 1,000 deliveries, 400 → 10,000), sizes
 * 10–50 GiB, and drives them to the end in discrete-event time through the real engine and
 * store, on in-process PGlite and, when DATABASE_URL is set, on that PostgreSQL (in schemas
 * `bench_scale_<N>`, dropped first). Reports per delivery the engine's CPU time
 * (process.cpuUsage around each wake-up and sweep; on PGlite that includes the database, which
 * runs in-process, and the part spent inside simulator calls is given apart) and its SQL
 * statements (a Kysely plugin on the engine's handle; each transaction adds BEGIN and COMMIT),
 * and the growth from the smallest to the largest size (target ≤ 1.2×). The query shapes whose
 * statements or returned rows per delivery grow most are listed, to show where growth comes from.
 */
import { parseArgs } from 'node:util';
import { runScale, SCALE_REGIONS, SCALE_SIZES_GIB, type ScaleRun, type ScaleTarget } from './scale/run.ts';

const TARGET_GROWTH = 1.2;
const usage = 'usage: bench:scale [--json] [--versions N,M] [--targets pglite,postgres] [--progress-every WAKEUPS]\n';
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function perDelivery(run: ScaleRun) {
  const d = run.deliveries;
  return {
    versions: run.versions,
    deliveries: d,
    passes: run.passes,
    wakeups: run.wakeups,
    simulated_hours: run.simulated_hours,
    wall_s: run.wall_s,
    engine_cpu_ms: run.engine_cpu_ms,
    simulator_cpu_ms: run.simulator_cpu_ms,
    engine_cpu_ms_per_delivery: r3(run.engine_cpu_ms / d),
    engine_cpu_ms_per_delivery_without_simulator: r3((run.engine_cpu_ms - run.simulator_cpu_ms) / d),
    sql_statements_per_delivery: r3((run.sql_statements + 2 * run.transactions) / d),
    transactions_per_delivery: r3(run.transactions / d),
    sql_rows_per_delivery: r3(run.sql_rows / d),
    passes_per_delivery: r3(run.passes / d),
    wakeups_per_delivery: r3((run.wakeups.ran + run.wakeups.superseded + run.wakeups.deferred) / d),
  };
}

/** Query shapes by growth of their rows and statements per delivery, from the smallest run to the largest. */
function growthByShape(small: ScaleRun, large: ScaleRun, top = 8) {
  const shapes = new Set([...small.by_shape.keys(), ...large.by_shape.keys()]);
  return [...shapes]
    .map((shape) => {
      const a = small.by_shape.get(shape) ?? { statements: 0, rows: 0 };
      const b = large.by_shape.get(shape) ?? { statements: 0, rows: 0 };
      return {
        shape,
        statements_per_delivery: [r3(a.statements / small.deliveries), r3(b.statements / large.deliveries)],
        rows_per_delivery: [r3(a.rows / small.deliveries), r3(b.rows / large.deliveries)],
        // Added rows per delivery at the large size: what this shape contributes to growth.
        added_rows_per_delivery: r3(b.rows / large.deliveries - a.rows / small.deliveries),
      };
    })
    .sort((x, y) => y.added_rows_per_delivery - x.added_rows_per_delivery)
    .slice(0, top);
}

async function measure(target: ScaleTarget, sizes: number[], log: (s: string) => void, progressEvery: number) {
  const runs: ScaleRun[] = [];
  for (const versions of sizes) {
    const run = await runScale(target, versions, (line) => log(`${target.kind} ${line}`), progressEvery);
    log(`${target.kind} ${versions} versions: ${JSON.stringify(perDelivery(run))}`);
    runs.push(run);
  }
  const small = runs[0]!;
  const large = runs[runs.length - 1]!;
  if (runs.length < 2) return { runs: runs.map(perDelivery) };
  const a = perDelivery(small);
  const b = perDelivery(large);
  const growth = {
    engine_cpu_per_delivery: r3(b.engine_cpu_ms_per_delivery / a.engine_cpu_ms_per_delivery),
    engine_cpu_per_delivery_without_simulator: r3(b.engine_cpu_ms_per_delivery_without_simulator / a.engine_cpu_ms_per_delivery_without_simulator),
    sql_statements_per_delivery: r3(b.sql_statements_per_delivery / a.sql_statements_per_delivery),
    sql_rows_per_delivery: r3(b.sql_rows_per_delivery / a.sql_rows_per_delivery),
  };
  return {
    runs: runs.map(perDelivery),
    growth,
    meets_target: growth.engine_cpu_per_delivery_without_simulator <= TARGET_GROWTH && growth.sql_statements_per_delivery <= TARGET_GROWTH,
    growth_by_query_shape: growthByShape(small, large),
  };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { json: { type: 'boolean' }, versions: { type: 'string' }, targets: { type: 'string' }, 'progress-every': { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  const sizes = (values.versions ?? '40,400').split(',').map(Number);
  if (sizes.length < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const json = values.json ?? false;
  const progressEvery = Number(values['progress-every'] ?? 2000);
  const targets = new Set((values.targets ?? 'pglite,postgres').split(','));
  // Progress goes to stderr in either mode: a full run takes long.
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = performance.now();
  const pglite = targets.has('pglite') ? await measure({ kind: 'pglite' }, sizes, log, progressEvery) : 'skipped: not in --targets';
  const url = process.env['DATABASE_URL'];
  const postgres = !targets.has('postgres') ? 'skipped: not in --targets' : url ? await measure({ kind: 'postgres', url }, sizes, log, progressEvery) : 'skipped: DATABASE_URL is not set';
  const result = {
    benchmark: 'scale',
    workload: { versions: sizes, regions: SCALE_REGIONS, deliveries: sizes.map((n) => n * SCALE_REGIONS), size_gib: SCALE_SIZES_GIB, published: 'all at once', clock: 'discrete-event' },
    target_growth: TARGET_GROWTH,
    pglite,
    postgres,
    wall_time_s: Math.round((performance.now() - started) / 100) / 10,
  };
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
}

await main();
