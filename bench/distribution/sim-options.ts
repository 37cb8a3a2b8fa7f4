/**
 * The simulator options the benchmark accepts (`--speed-skew SEED`, `--source-cap N`) and how
 * they reach the simulator: as `{ speedSkew, sourceCap }` after its seed, with the true route
 * factors from the model's `routeSkew`, both where the simulator offers them. Whether they took
 * effect is checked on the copies the cloud made (every duration within the per-copy spread of
 * its skewed route speed; never more than N copies out of one source), never assumed.
 */
import * as model from '../../src/cloud/simulator/model.ts';
import { CloudSimulator, type SimClock } from '../../src/cloud/simulator/simulator.ts';
import type { SimDb, SimImageRow } from '../../src/cloud/simulator/sim-schema.ts';
import { distanceTier, findRegion, type Region } from '../../src/domain/regions.ts';
import { DURATION_FACTOR_FLOOR, type RouteFactor } from './sim-truth.ts';
import { concurrency } from './trace.ts';

export interface SimSettings {
  speedSkewSeed: number | null;
  sourceCap: number | null;
}

type RouteSkew = (seed: number | null, from: Region, to: Region) => number;
/** The model's hidden route factors, when the simulator has them (the speed-skew work adds `routeSkew`). */
const routeSkew = (model as unknown as Record<string, unknown>)['routeSkew'] as RouteSkew | undefined;

/** The simulator's constructor as it reads once it takes options (a simulator without them ignores the argument). */
type WithOptions = new (db: SimDb, clock: SimClock, seed: number, options: { speedSkew: number | null; sourceCap: number | null }) => CloudSimulator;

export function makeSimulator(db: SimDb, clock: SimClock, seed: number, s: SimSettings): CloudSimulator {
  return new (CloudSimulator as unknown as WithOptions)(db, clock, seed, { speedSkew: s.speedSkewSeed, sourceCap: s.sourceCap });
}

/** The true speed multiplier of each route under the settings (1 without a skew, or without a simulator that has one). */
export function routeFactor(s: SimSettings): RouteFactor {
  if (s.speedSkewSeed === null || !routeSkew) return () => 1;
  const seed = s.speedSkewSeed;
  return (from, to) => routeSkew(seed, findRegion(from)!, findRegion(to)!);
}

export interface SettingsReport {
  /** Whether this simulator takes options at all (false: both flags are accepted and not applied). */
  simulator_has_options: boolean;
  speed_skew_seed: number | null;
  speed_skew_applied: boolean;
  source_cap: number | null;
  source_cap_applied: boolean;
}

/**
 * Whether the settings took effect in the copies the cloud made: with a skew, every copy lasted
 * within the per-copy spread (0.8–1.2×) of its skewed route time and some did not of the nominal
 * one; with a source cap, no source ever ran more copies than the cap at once. One list of copies
 * per run: runs share no cloud, so their copies are never counted as running together.
 */
export function verify(s: SimSettings, runs: readonly (readonly SimImageRow[])[]): SettingsReport {
  const copies = runs.flat().filter((r) => r.source_region !== null && r.finish_at_ms > r.start_at_ms && r.finish_at_ms - r.start_at_ms > 1000);
  const within = (factor: RouteFactor) =>
    copies.every((r) => {
      const nominalMs = (r.size_gib / (model.THROUGHPUT_GIB_PER_MIN[distanceTier(findRegion(r.source_region!)!, findRegion(r.region)!)] * factor(r.source_region!, r.region))) * 60_000;
      const spread = (r.finish_at_ms - r.start_at_ms) / nominalMs;
      return spread >= DURATION_FACTOR_FLOOR - 0.001 && spread <= 1.2 + 0.001;
    });
  const skewApplied = s.speedSkewSeed !== null && routeSkew !== undefined && within(routeFactor(s)) && !within(() => 1);
  const capApplied = s.sourceCap !== null && routeSkew !== undefined && runs.every((rows) => concurrency(rows).outOf.max <= s.sourceCap!);
  return { simulator_has_options: routeSkew !== undefined, speed_skew_seed: s.speedSkewSeed, speed_skew_applied: skewApplied, source_cap: s.sourceCap, source_cap_applied: capApplied };
}
