/**
 * When to look at a running copy again, from what the cloud has reported so far: poll near
 * the expected completion instead of on a fixed beat. Pure; times in epoch milliseconds.
 */

export interface PollPolicy {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Optimistic prior throughput before any progress is seen, so the first look comes early. */
  priorGiBPerMin: number;
  priorLatencyMs: number;
}

export const DEFAULT_POLL: PollPolicy = {
  minIntervalMs: 5_000,
  maxIntervalMs: 2 * 3_600_000,
  priorGiBPerMin: 8,
  priorLatencyMs: 30_000,
};

export interface CopyProgress {
  requestedAtMs: number;
  sizeGiB: number;
  /** First observation with progress > 0, and the latest observation. */
  first?: { atMs: number; pct: number } | undefined;
  last?: { atMs: number; pct: number } | undefined;
}

/** Expected completion of a copy. */
export function expectedFinishMs(c: CopyProgress, policy: PollPolicy = DEFAULT_POLL): number {
  const { first, last } = c;
  if (last && last.pct > 0) {
    let ratePerMs: number;
    if (first && last.pct > first.pct && last.atMs > first.atMs) {
      ratePerMs = (last.pct - first.pct) / (last.atMs - first.atMs);
    } else {
      // One observation: assume the copy started after the prior latency.
      const since = Math.max(1, last.atMs - (c.requestedAtMs + policy.priorLatencyMs));
      ratePerMs = (last.pct + 0.5) / since;
    }
    // The cloud truncates progress to whole percents: the true value lies in [pct, pct+1).
    return last.atMs + Math.max(0, 100 - last.pct - 0.5) / ratePerMs;
  }
  return c.requestedAtMs + policy.priorLatencyMs + (c.sizeGiB / policy.priorGiBPerMin) * 60_000;
}

/** The next time worth polling this copy. */
export function nextPollAtMs(c: CopyProgress, nowMs: number, policy: PollPolicy = DEFAULT_POLL): number {
  const at = expectedFinishMs(c, policy);
  return Math.min(nowMs + policy.maxIntervalMs, Math.max(nowMs + policy.minIntervalMs, at));
}

/** A region wakes at the earliest of its copies' polls and its pending retries; null when idle. */
export function regionWakeAtMs(pollsAtMs: readonly number[], retriesAtMs: readonly number[]): number | null {
  const all = [...pollsAtMs, ...retriesAtMs];
  return all.length === 0 ? null : Math.min(...all);
}
