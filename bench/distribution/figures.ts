/**
 * One run's figures, recomputed from its copy traces alone: makespan, the direct-copy lower
 * bounds (of the copies this run made), calls, detection lag and concurrency.
 */
import type { SimImageRow } from '../../src/cloud/simulator/sim-schema.ts';
import { pooledBound } from './relay-bound.ts';
import { concurrency, type CopyTrace } from './trace.ts';

export interface Figures {
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
  max_running_out_of_region: number;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export function detectionLags(traces: readonly CopyTrace[]): number[] {
  return traces.filter((t) => t.kind === 'copy').map((t) => t.detectedAt - t.finishedAt);
}

/**
 * `lower_bound_s`: the longest chain (a version's ingest, then its slowest copy) or the busiest
 * region's copy time over five slots, for the copies this run made. The tighter
 * `lower_bound_with_releases_s` also counts that no copy starts before its version's ingest
 * finished (see pooledBound): the release-aware bound.
 */
export function figures(traces: readonly CopyTrace[], rows: readonly SimImageRow[], calls: number, throttled: number): Figures {
  const copies = traces.filter((t) => t.kind === 'copy');
  const ingestOf = new Map(traces.filter((t) => t.kind === 'ingest').map((t) => [t.version, t]));
  const makespan = Math.max(...copies.map((t) => t.detectedAt));
  const chain = Math.max(
    ...copies.map((c) => {
      const ingest = ingestOf.get(c.version)!;
      const copyWork = c.finishedAt - c.startedAt + (c.startedAt - c.requestedAt > 0 ? Math.min(60, c.startedAt - c.requestedAt) : 0);
      return ingest.finishedAt - ingest.requestedAt + copyWork;
    }),
  );
  // Each image once: a source region's copy is its ingested image, listed in both roles.
  const images = [...new Map(traces.map((t) => [t.imageId, t])).values()];
  const ingestImages = new Set([...ingestOf.values()].map((t) => t.imageId));
  const byRegion = new Map<string, { workS: number; releaseS: number }[]>();
  for (const t of images) {
    const releaseS = ingestImages.has(t.imageId) ? t.requestedAt : ingestOf.get(t.version)!.finishedAt;
    byRegion.set(t.region, [...(byRegion.get(t.region) ?? []), { workS: t.finishedAt - t.startedAt, releaseS }]);
  }
  const jobsPerRegion = [...byRegion.values()];
  const lower = Math.max(chain, ...jobsPerRegion.map((jobs) => jobs.reduce((s, j) => s + j.workS, 0) / 5));
  const lowerWithReleases = Math.max(chain, ...jobsPerRegion.map((jobs) => pooledBound(jobs, 0, 5)));
  const lags = detectionLags(traces);
  const running = concurrency(rows);
  return {
    deliveries: copies.length,
    makespan_s: round3(makespan),
    lower_bound_s: round3(lower),
    makespan_ratio: round3(makespan / lower),
    lower_bound_with_releases_s: round3(lowerWithReleases),
    makespan_ratio_with_releases: round3(makespan / lowerWithReleases),
    api_calls: calls,
    api_calls_per_delivery: round3(calls / copies.length),
    throttled_calls: throttled,
    detection_lag_p50_s: round3(quantile(lags, 0.5)),
    detection_lag_p95_s: round3(quantile(lags, 0.95)),
    max_running_per_region: running.into.max,
    max_running_out_of_region: running.outOf.max,
  };
}
