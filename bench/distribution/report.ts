/** Figures over the headline run and its extra cloud draws: the JSON's top-level relay fields. */
import { detectionLags, quantile, round3 } from './figures.ts';
import type { RunResult } from './run-imagenest.ts';

export const TARGETS = {
  makespan_ratio_relay_mean: 1.1,
  makespan_ratio_relay_max: 1.15,
  single_version_latency_ratio: 1.05,
  api_calls_per_delivery: 4,
  detection_lag_p95_s: 60,
  max_concurrent_copies: 5,
} as const;

export interface DrawResult {
  draw: number;
  cloudSeed: number;
  run: RunResult;
  single: RunResult;
  singleDirect: RunResult;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const makespanOf = (r: RunResult) => r.figures.makespan_s;

/** Copies whose source is not their version's ingested image: how many copies were relayed. */
function relayedCopies(r: RunResult): number {
  const ingest = new Map(r.traces.filter((t) => t.kind === 'ingest').map((t) => [t.version, t.imageId]));
  return r.traces.filter((t) => t.kind === 'copy' && t.imageId !== ingest.get(t.version) && t.sourceImageId !== ingest.get(t.version)).length;
}

export function drawReport(draws: readonly DrawResult[], relayBoundS: number, relayBoundNominalS: number) {
  const runs = draws.map((d) => d.run);
  const all = draws.flatMap((d) => [d.run, d.single, d.singleDirect]);
  const relayRatios = runs.map((r) => makespanOf(r) / relayBoundS);
  const calls = runs.reduce((s, r) => s + r.figures.api_calls, 0);
  const deliveries = runs.reduce((s, r) => s + r.figures.deliveries, 0);
  const singleRatios = draws.map((d) => makespanOf(d.single) / makespanOf(d.singleDirect));
  const head = draws[0]!;
  const worst = (key: 'max_running_per_region' | 'max_running_out_of_region') => Math.max(...all.map((r) => r.figures[key]));
  return {
    draws: draws.length,
    deliveries: head.run.figures.deliveries,
    deliveries_per_draw: runs.map((r) => r.figures.deliveries),
    relay_bound_s: round3(relayBoundS),
    makespan_ratio_relay_mean: round3(mean(relayRatios)),
    makespan_ratio_relay_max: round3(Math.max(...relayRatios)),
    makespan_ratio_release_aware_mean: round3(mean(runs.map((r) => makespanOf(r) / r.figures.lower_bound_with_releases_s))),
    relay_bound_nominal_s: round3(relayBoundNominalS),
    makespan_ratio_relay_nominal_mean: round3(mean(runs.map((r) => makespanOf(r) / relayBoundNominalS))),
    single_version_latency_s: makespanOf(head.single),
    single_version_latency_direct_s: makespanOf(head.singleDirect),
    single_version_latency_ratio: round3(singleRatios[0]!),
    single_version_latency_ratio_max: round3(Math.max(...singleRatios)),
    api_calls_per_delivery: round3(calls / deliveries),
    detection_lag_p95_s: round3(quantile(runs.flatMap((r) => detectionLags(r.traces)), 0.95)),
    max_concurrent_copies_into_region: worst('max_running_per_region'),
    max_concurrent_copies_out_of_region: worst('max_running_out_of_region'),
    relayed_copies_per_draw: runs.map(relayedCopies),
    recorded_sources_per_draw: runs.map((r) => r.recordedSources),
    source_mismatches: all.reduce((s, r) => s + r.sourceMismatches, 0),
    per_draw: draws.map((d) => ({
      draw: d.draw,
      cloud_seed: d.cloudSeed,
      makespan_s: makespanOf(d.run),
      makespan_ratio_relay: round3(makespanOf(d.run) / relayBoundS),
      makespan_ratio_release_aware: round3(makespanOf(d.run) / d.run.figures.lower_bound_with_releases_s),
      makespan_ratio: d.run.figures.makespan_ratio,
      api_calls_per_delivery: d.run.figures.api_calls_per_delivery,
      detection_lag_p95_s: d.run.figures.detection_lag_p95_s,
      single_version_latency_s: makespanOf(d.single),
      single_version_latency_direct_s: makespanOf(d.singleDirect),
    })),
  };
}

export type DrawSummary = ReturnType<typeof drawReport>;

/** Out of a source region, five at once is a target only when the simulator caps that side too (`--source-cap`). */
export function meetsTargets(s: DrawSummary, sourceCapApplied: boolean): Record<keyof typeof TARGETS, boolean> {
  return {
    makespan_ratio_relay_mean: s.makespan_ratio_relay_mean <= TARGETS.makespan_ratio_relay_mean,
    makespan_ratio_relay_max: s.makespan_ratio_relay_max <= TARGETS.makespan_ratio_relay_max,
    single_version_latency_ratio: s.single_version_latency_ratio_max <= TARGETS.single_version_latency_ratio,
    api_calls_per_delivery: s.api_calls_per_delivery <= TARGETS.api_calls_per_delivery,
    detection_lag_p95_s: s.detection_lag_p95_s <= TARGETS.detection_lag_p95_s,
    max_concurrent_copies:
      s.max_concurrent_copies_into_region <= TARGETS.max_concurrent_copies && (!sourceCapApplied || s.max_concurrent_copies_out_of_region <= TARGETS.max_concurrent_copies),
  };
}
