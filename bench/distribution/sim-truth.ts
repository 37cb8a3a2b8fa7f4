/**
 * What the simulated cloud truly does, read from the simulator's model: the benchmark may know
 * it (the engine may not). The relay bound is built from it: the shortest any copy can take on
 * a route, the least start latency, and the slots per region.
 */
import { COPY_SLOTS_PER_REGION, START_LATENCY_S, THROUGHPUT_GIB_PER_MIN } from '../../src/cloud/simulator/model.ts';
import { distanceTier, findRegion } from '../../src/domain/regions.ts';

/**
 * The least speed factor of one copy: `copyTiming` in the simulator's model spreads each copy's
 * duration by a seeded factor in [0.8, 1.2) (guarded by sim-truth.test.ts). A copy's factor is
 * drawn from its image ID, which depends on the order of requests, so another routing would draw
 * other factors: only the floor holds for every routing.
 */
export const DURATION_FACTOR_FLOOR = 0.8;

/** The simulated cloud's copy physics, as a lower bound needs it. */
export interface CopyTruth {
  /** The shortest a copy of `sizeGiB` from `from` into `to` can take, seconds. */
  fastestCopyS(sizeGiB: number, from: string, to: string): number;
  /** The least time from a CopyImage request to the copy's start, seconds. */
  minLatencyS: number;
  /** Copies running at once into one region. */
  slotsPerRegion: number;
}

/** Route speed multipliers the simulator applies on top of its tiers (`--speed-skew`); 1 everywhere when none. */
export type RouteFactor = (from: string, to: string) => number;

/**
 * The simulator's truth. `durationFactor` is DURATION_FACTOR_FLOOR for a true bound; 1 gives the
 * same formula at each route's mean speed (for insight only: a draw may come in below it).
 */
export function simulatorTruth(routeFactor: RouteFactor = () => 1, durationFactor = DURATION_FACTOR_FLOOR): CopyTruth {
  return {
    fastestCopyS(sizeGiB, from, to) {
      const a = findRegion(from);
      const b = findRegion(to);
      if (!a || !b) throw new Error(`unknown region ${a ? to : from}`);
      const gibPerMin = THROUGHPUT_GIB_PER_MIN[distanceTier(a, b)] * routeFactor(from, to);
      // The simulator rounds each duration to whole milliseconds (and at least one second).
      return Math.max(1, (sizeGiB / gibPerMin) * durationFactor * 60 - 0.001);
    },
    minLatencyS: START_LATENCY_S.min,
    slotsPerRegion: COPY_SLOTS_PER_REGION,
  };
}
