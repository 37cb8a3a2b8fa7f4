/**
 * When to look at a running copy again, from what the cloud has reported so far: poll near
 * the expected completion instead of on a fixed beat. Pure; times in epoch milliseconds.
 */
import { finishFromReadingsMs, START_LATENCY_MS, type CopyProgress } from '../domain/delivery/copy-estimate.ts';

export type { CopyProgress } from '../domain/delivery/copy-estimate.ts';

export interface PollPolicy {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Optimistic prior throughput before any progress is seen, so the first look comes early. */
  priorGiBPerMin: number;
  priorLatencyMs: number;
  /** How long a finished copy may go unseen, at most, once its completion window is known. */
  targetLagMs: number;
}

export const DEFAULT_POLL: PollPolicy = {
  minIntervalMs: 5_000,
  maxIntervalMs: 2 * 3_600_000,
  priorGiBPerMin: 8,
  priorLatencyMs: START_LATENCY_MS,
  targetLagMs: 40_000,
};

/** Expected completion of a copy: from its readings, else the optimistic prior of the policy. */
export function expectedFinishMs(c: CopyProgress, policy: PollPolicy = DEFAULT_POLL): number {
  if (c.last && c.last.pct > 0) return finishFromReadingsMs(c, c.last, policy.priorLatencyMs);
  return c.requestedAtMs + policy.priorLatencyMs + (c.sizeGiB / policy.priorGiBPerMin) * 60_000;
}

/**
 * The earliest and latest completion consistent with what was seen, or null before any progress.
 * Progress is whole percents, so an observation of p % at t means the true value lay in
 * [p, p + 1) at t; the copy also cannot have started before it was requested.
 */
export function finishWindowMs(c: CopyProgress): { earliestMs: number; latestMs: number; rateSeen: boolean } | null {
  const { first, last } = c;
  if (!last || last.pct <= 0) return null;
  const remaining = 100 - last.pct;
  // Slowest rate: the progress seen at `last` was made since the request at the latest.
  let slowest = last.pct / Math.max(1, last.atMs - c.requestedAtMs);
  let fastest = Infinity;
  if (first && last.pct > first.pct && last.atMs > first.atMs) {
    const span = last.atMs - first.atMs;
    slowest = Math.max(slowest, (last.pct - first.pct - 1) / span);
    fastest = (last.pct - first.pct + 1) / span;
  }
  const earliestMs = fastest === Infinity ? last.atMs : last.atMs + Math.max(0, remaining - 1) / fastest;
  return { earliestMs, latestMs: Math.max(earliestMs, last.atMs + remaining / slowest), rateSeen: fastest !== Infinity };
}

/**
 * The next time worth polling this copy. Before any progress: the size-based prior. Then: when
 * the completion window is wide because the rate is still uncertain and the end is far, one
 * look on the way (it narrows the window); near the end, a look at the latest possible
 * completion if the window is narrower than the target lag, else at the earliest plus the
 * target lag and every target lag after — so a finished copy is seen within the target lag.
 */
export function nextPollAtMs(c: CopyProgress, nowMs: number, policy: PollPolicy = DEFAULT_POLL): number {
  const clamp = (at: number) => Math.min(nowMs + policy.maxIntervalMs, Math.max(nowMs + policy.minIntervalMs, at));
  const window = finishWindowMs(c);
  if (!window) {
    // Before any progress: early enough for the fastest the copy may plausibly be (a short
    // copy within a region may beat the optimistic throughput prior).
    const plausible = c.priorMs === undefined ? Infinity : c.requestedAtMs + policy.priorLatencyMs + 0.8 * c.priorMs;
    const at = Math.min(expectedFinishMs(c, policy), plausible);
    // Seen at 0 % (still waiting to start): again after a slice of its expected time, not every few seconds.
    if (c.last) return clamp(Math.max(at, nowMs + (at - c.requestedAtMs) / 20));
    return clamp(at);
  }
  const expectedMs = expectedFinishMs(c, policy);
  // One reading, or no change between readings: no rate yet; look again on the way to the expected end.
  if (!window.rateSeen) return clamp(expectedMs - nowMs > 4 * policy.targetLagMs ? nowMs + 0.8 * (expectedMs - nowMs) : expectedMs);
  const earliest = Math.max(nowMs, window.earliestMs);
  const width = window.latestMs - earliest;
  if (width <= policy.targetLagMs) return clamp(window.latestMs);
  const onePctMs = (expectedMs - c.requestedAtMs) / 100;
  // Mostly rate uncertainty, and far enough out that a look on the way will narrow it.
  if (width > 2 * Math.max(onePctMs, policy.targetLagMs) && earliest - nowMs > 4 * width) return clamp(nowMs + 0.8 * (earliest - nowMs));
  return clamp(earliest + policy.targetLagMs);
}

/** A region wakes at the earliest of its copies' polls and its pending retries; null when idle. */
export function regionWakeAtMs(pollsAtMs: readonly number[], retriesAtMs: readonly number[]): number | null {
  const all = [...pollsAtMs, ...retriesAtMs];
  return all.length === 0 ? null : Math.min(...all);
}
