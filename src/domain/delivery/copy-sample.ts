/**
 * What a finished copy says about its route's throughput, from what the engine saw of it: when
 * it was requested, its first and latest progress readings, and when it was seen Available.
 * Pure. The engine looks at a copy only a few times, so neither its start (the cloud starts a
 * copy some time after the request, maybe after queueing it) nor its finish (somewhere between
 * the last look and the one that saw it Available) is known exactly. What was seen bounds the
 * transfer time: the copy started after its request and finished after the last look and
 * before the one that saw it Available; a progress reading of p % means between p and p + 1 %
 * were done. The bounds are intersected, with one assumption at most: that the copy started
 * within twice the presumed start latency of its request (dropped when the hard bounds deny
 * it, as when the cloud queued the copy). The estimate is the middle of the interval in log
 * space, and it counts for less the wider the interval (SpeedObservation.weight).
 */
import type { SpeedObservation } from './learned-speeds.ts';

/** What the engine recorded of a copy that it has just seen Available (epoch milliseconds). */
export interface FinishedCopy {
  sizeGiB: number;
  requestedAtMs: number;
  /** The first reading with progress above 0 %, if any. */
  first?: { atMs: number; pct: number } | undefined;
  /** The latest look before the one that saw it Available (any progress), if any. */
  last?: { atMs: number; pct: number } | undefined;
  /** The look that saw it Available. */
  availableAtMs: number;
  /** The assumed delay from request to start (the cloud's own, unknown): START_LATENCY_MS. */
  startLatencyMs: number;
}

/** Copy-to-copy spread of a route's transfer times (relative, log): an exact observation weighs 1. */
export const COPY_SPREAD = 0.12;
/** A copy seen only once Available counts this much when it shows the estimate to be too slow. */
export const CENSORED_WEIGHT = 0.5;

/** The interval of transfer times consistent with what was seen (milliseconds; hi may be Infinity). */
export interface TransferBounds {
  loMs: number;
  hiMs: number;
}

/** Bounds of the transfer time of a finished copy, or null when what was recorded is inconsistent. */
export function transferBounds(c: FinishedCopy): TransferBounds | null {
  const lastLookMs = Math.max(c.requestedAtMs, c.last?.atMs ?? c.requestedAtMs, c.first?.atMs ?? c.requestedAtMs);
  if (c.availableAtMs <= lastLookMs) return null;
  // Hard: started at or after the request, finished after the last look and by the Available one.
  let lo = 0;
  let hi = c.availableAtMs - c.requestedAtMs;
  // Soft: started within twice the presumed latency (and before anything was seen done).
  let softLo = lastLookMs - Math.min(c.requestedAtMs + 2 * c.startLatencyMs, c.first?.atMs ?? lastLookMs);
  const { first, last } = c;
  if (first && first.pct > 0 && first.pct < 100) {
    const [x0, x1] = [first.pct / 100, (first.pct + 1) / 100];
    // Before the first reading x of the copy was done: (first − start) = x·Δ; after it, (finish − first) = (1 − x)·Δ.
    hi = Math.min(hi, (first.atMs - c.requestedAtMs) / x0, (c.availableAtMs - first.atMs) / Math.max(0, 1 - x1));
    lo = Math.max(lo, (lastLookMs - first.atMs) / (1 - x0));
    softLo = Math.max(softLo, (first.atMs - Math.min(c.requestedAtMs + 2 * c.startLatencyMs, first.atMs)) / x1);
    if (last && last.pct > first.pct + 1 && last.atMs > first.atMs) {
      const spanMs = last.atMs - first.atMs;
      lo = Math.max(lo, spanMs / ((last.pct - first.pct + 1) / 100));
      hi = Math.min(hi, spanMs / ((last.pct - first.pct - 1) / 100));
    }
  }
  if (lo > hi) return null;
  if (softLo > lo && softLo <= hi) lo = softLo;
  return { loMs: lo, hiMs: hi };
}

/**
 * The throughput a finished copy shows, weighted by how narrowly its transfer time is bounded.
 * A copy bounded only from above (seen only once Available, no reading on the way) says only
 * that the route is at least so fast: it counts, at the bound, only when the current estimate
 * `estimateGiBPerMin` is slower than that. Null when it says nothing.
 */
export function copySample(c: FinishedCopy, estimateGiBPerMin: number): SpeedObservation | null {
  const b = transferBounds(c);
  if (!b || !(c.sizeGiB > 0) || !Number.isFinite(b.hiMs) || b.hiMs <= 0) return null;
  const atLeast = c.sizeGiB / (b.hiMs / 60_000);
  if (b.loMs <= 0) return atLeast > estimateGiBPerMin ? { gibPerMin: atLeast, weight: CENSORED_WEIGHT } : null;
  const spread = Math.log(b.hiMs / b.loMs) / 2;
  return { gibPerMin: c.sizeGiB / (Math.sqrt(b.loMs * b.hiMs) / 60_000), weight: COPY_SPREAD ** 2 / (COPY_SPREAD ** 2 + spread ** 2) };
}
