/**
 * Distribution benchmark: `npm run bench:distribution -- --json [--trace FILE] [--cloud-seed N]
 * [--cloud-seeds K] [--speed-skew SEED] [--source-cap N] [--copies-out-per-region N|off]`.
 *
 * Workload (fixed, seeded; distribution/workload.ts): 20 versions × 25 regions, image sizes
 * 20–500 GiB, source regions rotating over four regions, all published at t=0; 5 % throttling
 * and 1 % transient errors on every call. Imagenest runs with its real engine, store (in-memory
 * PGlite) and simulator on the discrete-event clock; a Packer-like direct baseline runs beside it
 * (distribution/run-baseline.ts).
 *
 * `--cloud-seed N` draws the cloud's randomness (copy speeds within ±20 %, start latencies,
 * throttling and transient faults) from another seed, the workload staying the same;
 * `--cloud-seeds K` also runs Imagenest under K further draws (seeds N+1…N+K). The top-level
 * relay fields are over all draws: makespan ÷ the relay bound (distribution/relay-bound.ts, a
 * lower bound for any routing), makespan ÷ the release-aware bound, a single 40 GiB version's
 * latency with relay on ÷ off, calls per delivery and detection lag. Figures come from the
 * simulator's own record of every copy and the moment Imagenest recorded it Available.
 *
 * `--source-cap N` caps copies out of a source region in the simulator and, as an operator who
 * knows that of the cloud would, in the engine too (`--copies-out-per-region`, which overrides it;
 * `off`: the engine keeps to no cap).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runBaseline } from './distribution/run-baseline.ts';
import { relayBound } from './distribution/relay-bound.ts';
import { drawReport, meetsTargets, TARGETS, type DrawResult } from './distribution/report.ts';
import { runImagenest, type EngineSettings } from './distribution/run-imagenest.ts';
import { routeFactor, verify, type SimSettings } from './distribution/sim-options.ts';
import { simulatorTruth } from './distribution/sim-truth.ts';
import { traceLine } from './distribution/trace.ts';
import { FAULTS, REGION_COUNT, SEED, SINGLE_VERSION, SIZES_GIB, SOURCES, VERSIONS, WORKLOAD } from './distribution/workload.ts';

const usage = 'usage: bench:distribution [--json] [--trace FILE] [--cloud-seed N] [--cloud-seeds K] [--speed-skew SEED] [--source-cap N] [--copies-out-per-region N|off]\n';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

function integer(value: string | undefined, flag: string, min: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`${flag} takes an integer ≥ ${min}, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean' },
        trace: { type: 'string' },
        'cloud-seed': { type: 'string' },
        'cloud-seeds': { type: 'string' },
        'speed-skew': { type: 'string' },
        'source-cap': { type: 'string' },
        'copies-out-per-region': { type: 'string' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const json = values.json ?? false;
  const cloudSeed = integer(values['cloud-seed'], '--cloud-seed', 0) ?? SEED;
  const extraDraws = integer(values['cloud-seeds'], '--cloud-seeds', 0) ?? 0;
  const sim: SimSettings = { speedSkewSeed: integer(values['speed-skew'], '--speed-skew', 0), sourceCap: integer(values['source-cap'], '--source-cap', 1) };
  // The engine's cap on copies out of a source region: what an operator sets from what the cloud
  // is known to do, not something the engine learns. By default the simulator's --source-cap
  // (none without it); --copies-out-per-region N|off overrides it.
  const outFlag = values['copies-out-per-region'];
  const engine: EngineSettings = { copiesOutPerRegion: outFlag === undefined ? sim.sourceCap : outFlag === 'off' ? null : integer(outFlag, '--copies-out-per-region', 1) };
  const log = (line: string) => {
    if (!json) process.stderr.write(`${line}\n`);
  };

  const started = performance.now();
  const bound = relayBound(WORKLOAD, simulatorTruth(routeFactor(sim)));
  const nominal = relayBound(WORKLOAD, simulatorTruth(routeFactor(sim), 1));
  const draws: DrawResult[] = [];
  for (let draw = 0; draw <= extraDraws; draw++) {
    const seed = cloudSeed + draw;
    const run = await runImagenest({ draw, cloudSeed: seed, workload: WORKLOAD, sim, engine });
    // One version alone, with relay on (the engine's default) and off: the same cloud draw.
    const single = await runImagenest({ draw, cloudSeed: seed, workload: SINGLE_VERSION, sim, engine });
    const singleDirect = await runImagenest({ draw, cloudSeed: seed, workload: SINGLE_VERSION, relay: false, sim, engine });
    draws.push({ draw, cloudSeed: seed, run, single, singleDirect });
    log(`draw ${draw} (cloud seed ${seed}): ${JSON.stringify(run.figures)}`);
  }
  const baseline = await runBaseline(cloudSeed, WORKLOAD, sim);
  const head = draws[0]!.run;
  const summary = drawReport(draws, bound.bound_s, nominal.bound_s);
  const applied = verify(sim, draws.flatMap((d) => [d.run.rows, d.single.rows, d.singleDirect.rows]));
  const meets = meetsTargets(summary, applied.source_cap_applied);
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
      extra_cloud_draws: extraDraws,
      single_version: { size_gib: SINGLE_VERSION[0]!.sizeGiB, source_region: SINGLE_VERSION[0]!.sourceRegion, regions: REGION_COUNT },
      clock: 'discrete-event (simulated seconds)',
    },
    simulator: applied,
    engine: { copies_out_per_region: engine.copiesOutPerRegion ?? null },
    // The headline draw's figures, as before; calls per delivery and lag p95 below are over every draw.
    ...head.figures,
    headline: head.figures,
    ...summary,
    relay_bound_binding: bound.binding,
    region_passes: head.passes,
    api_calls_by_action: head.callsByAction,
    baseline: { description: 'Packer-like: all copies requested at once, each image polled alone every 15 s', ...baseline.figures },
    targets: TARGETS,
    meets,
    meets_targets: Object.values(meets).every(Boolean),
    wall_time_s: Math.round((performance.now() - started) / 100) / 10,
  };
  if (values.trace) {
    const lines = draws.flatMap((d) => [...d.run.traces.filter((t) => t.kind === 'ingest'), ...d.run.traces.filter((t) => t.kind === 'copy')]);
    await writeFile(values.trace, lines.map(traceLine).join('\n') + '\n');
  }
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${JSON.stringify(result)}\n`);
}

await main();
