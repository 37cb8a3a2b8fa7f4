/**
 * How long a copy is expected to take, and how far along it is: before it starts, for planning
 * which copy to start next; while it runs, from the cloud's progress readings. Pure. The engine
 * plans with these, and a version's status shows them (elapsed, ETA, a progress that moves
 * between the engine's sparse readings). Transfer times come from route throughputs learned
 * from finished copies (learned-speeds.ts), starting from a documented prior; at run time they
 * are also scaled by what the region's running copies actually show (their progress rate), so
 * a region running uniformly faster or slower than the estimates is planned for as it is.
 */
import { PRIOR_SPEEDS, type RouteSpeeds } from './learned-speeds.ts';

/** From request until a copy is running and, once done, until the engine sees it. */
export const START_OVERHEAD_MS = 45_000;
/** From a copy's request until the cloud presumably starts moving it (one reading, no rate yet). */
export const START_LATENCY_MS = 30_000;

/** Expected transfer time of a copy of `sizeGiB` between two regions, before any reading of it: by the route's estimated throughput. */
export function priorCopyMs(sizeGiB: number, fromRegion: string, toRegion: string, speeds: RouteSpeeds = PRIOR_SPEEDS): number {
  return (Math.max(1, sizeGiB) / speeds(fromRegion, toRegion)) * 60_000;
}

export interface ObservedCopy {
  /** The prior for this copy (priorCopyMs). */
  priorMs: number;
  /** Two progress observations, percent at epoch milliseconds. */
  first: { atMs: number; pct: number };
  last: { atMs: number; pct: number };
}

/**
 * The factor by which this region's copies run slower (> 1) or faster (< 1) than the priors:
 * the median over copies with two distinct progress readings; 1 without any.
 */
export function observedScale(copies: readonly ObservedCopy[]): number {
  const ratios = copies
    .filter((c) => c.last.pct > c.first.pct && c.last.atMs > c.first.atMs)
    .map((c) => (100 / ((c.last.pct - c.first.pct) / (c.last.atMs - c.first.atMs))) / c.priorMs)
    .sort((a, b) => a - b);
  if (ratios.length === 0) return 1;
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  return Math.min(5, Math.max(0.2, median));
}

/** One progress reading of the cloud: percent at epoch milliseconds. */
export interface ProgressReading {
  atMs: number;
  pct: number;
}

/** What has been seen of a copy (times in epoch milliseconds). */
export interface CopyProgress {
  requestedAtMs: number;
  sizeGiB: number;
  /** Expected transfer time by the distance it travels, when known (priorCopyMs). */
  priorMs?: number | undefined;
  /** First reading with progress > 0, and the latest reading. */
  first?: ProgressReading | undefined;
  last?: ProgressReading | undefined;
}

/**
 * Expected completion extrapolated from the cloud's readings (the latest above 0 %): the rate
 * between the first and the latest, or with one reading the rate since the copy presumably
 * started, `startLatencyMs` after its request.
 */
export function finishFromReadingsMs(c: CopyProgress, last: ProgressReading, startLatencyMs: number): number {
  const { first } = c;
  let ratePerMs: number;
  if (first && last.pct > first.pct && last.atMs > first.atMs) {
    ratePerMs = (last.pct - first.pct) / (last.atMs - first.atMs);
  } else {
    const since = Math.max(1, last.atMs - (c.requestedAtMs + startLatencyMs));
    ratePerMs = (last.pct + 0.5) / since;
  }
  // The cloud truncates progress to whole percents: the true value lies in [pct, pct+1).
  return last.atMs + Math.max(0, 100 - last.pct - 0.5) / ratePerMs;
}

/**
 * When a copy under way (or about to start at `requestedAtMs`) is expected to be Available:
 * from the cloud's readings once it reports progress, else its prior after the start overhead.
 */
export function expectedEndMs(c: CopyProgress & { priorMs: number }, startLatencyMs: number): number {
  if (c.last && c.last.pct > 0) return finishFromReadingsMs(c, c.last, startLatencyMs);
  return c.requestedAtMs + START_OVERHEAD_MS + c.priorMs;
}

/**
 * The progress expected at `nowMs` on the way from the latest reading (or the request, at 0 %)
 * to `endMs`: never below what the cloud last said, and below 100 until the cloud says Available.
 */
export function progressAtPct(c: CopyProgress, endMs: number, nowMs: number): number {
  const from = c.last ?? { atMs: c.requestedAtMs, pct: 0 };
  const span = endMs - from.atMs;
  const share = span <= 0 ? 1 : Math.min(1, Math.max(0, (nowMs - from.atMs) / span));
  return Math.max(from.pct, Math.min(99, from.pct + (100 - from.pct) * share));
}
