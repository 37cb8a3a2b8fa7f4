/**
 * The simulator options the benchmark accepts (`--speed-skew SEED`, `--source-cap N`) and how
 * they reach the simulator. Until the simulator offers them they are reported as not applied,
 * never dropped silently.
 */
import type { RouteFactor } from './sim-truth.ts';

export interface SimSettings {
  speedSkewSeed: number | null;
  sourceCap: number | null;
}

export interface AppliedSettings {
  /** Extra arguments for the CloudSimulator constructor, after its seed. */
  constructorArgs: [];
  /** The true speed multiplier of each route, for the relay bound. */
  routeFactor: RouteFactor;
  report: { speed_skew_seed: number | null; speed_skew_applied: boolean; source_cap: number | null; source_cap_applied: boolean };
}

export function simulatorSettings(s: SimSettings): AppliedSettings {
  return {
    constructorArgs: [],
    routeFactor: () => 1,
    report: { speed_skew_seed: s.speedSkewSeed, speed_skew_applied: false, source_cap: s.sourceCap, source_cap_applied: false },
  };
}
