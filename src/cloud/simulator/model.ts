/**
 * The simulator's physics, pure: how long a copy takes, when a queued copy may start (at most
 * five running per destination region, first come first served), and what DescribeImages
 * reports at a given instant.
 */
import { createHash } from 'node:crypto';
import { distanceTier, type DistanceTier, type Region } from '../../domain/regions.ts';
import type { ImageStatus } from '../provider.ts';

/** A uniform number in [0, 1) fixed by the seed and the parts: the same inputs, the same draw. */
export function seededUnit(seed: number | string, ...parts: (string | number)[]): number {
  const h = createHash('sha256').update(`${seed}\u0000${parts.join('\u0000')}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export const COPY_SLOTS_PER_REGION = 5;

/** GiB per minute by distance tier; the seeded jitter spreads each copy by ±20 %. */
export const THROUGHPUT_GIB_PER_MIN = {
  sameRegion: 10,
  sameArea: 5,
  sameContinent: 3,
  intercontinental: 1.8,
} as const satisfies Record<DistanceTier, number>;

export const START_LATENCY_S = { min: 20, max: 60 } as const;

export interface CopyTiming {
  /** From the request until the copy may start (if a slot is free). */
  latencyMs: number;
  /** From start to Available. */
  durationMs: number;
}

export function copyTiming(seed: number | string, key: string, sizeGiB: number, from: Region, to: Region): CopyTiming {
  const latencyS = START_LATENCY_S.min + seededUnit(seed, key, 'latency') * (START_LATENCY_S.max - START_LATENCY_S.min);
  const jitter = 0.8 + 0.4 * seededUnit(seed, key, 'jitter');
  const minutes = (sizeGiB / THROUGHPUT_GIB_PER_MIN[distanceTier(from, to)]) * jitter;
  return { latencyMs: Math.round(latencyS * 1000), durationMs: Math.max(1000, Math.round(minutes * 60_000)) };
}

export interface ScheduledCopy {
  requestedAtMs: number;
  startAtMs: number;
  /** When the copy stops occupying a slot: finish, failure or cancellation. */
  endAtMs: number;
}

/**
 * When a copy requested now may start, FIFO behind the copies requested before it: not before
 * its latency, not before an earlier request started, and only when fewer than five run.
 */
export function queuedStart(earlier: readonly ScheduledCopy[], readyAtMs: number, slots = COPY_SLOTS_PER_REGION): number {
  let t = readyAtMs;
  for (const c of earlier) t = Math.max(t, c.startAtMs);
  const ends = earlier
    .filter((c) => c.endAtMs > t)
    .map((c) => c.endAtMs)
    .sort((a, b) => a - b);
  const runningAt = (at: number) => earlier.filter((c) => c.startAtMs <= at && c.endAtMs > at).length;
  if (runningAt(t) < slots) return t;
  for (const end of ends) {
    if (end >= t && runningAt(end) < slots) return end;
  }
  return t;
}

export interface CopyState {
  startAtMs: number;
  finishAtMs: number;
  failAtMs: number | null;
}

/** What DescribeImages says about a copy at `nowMs`. */
export function copyStatusAt(c: CopyState, nowMs: number): { status: ImageStatus; progressPct: number } {
  if (c.failAtMs !== null && nowMs >= c.failAtMs) {
    return { status: 'CreateFailed', progressPct: Math.floor((100 * (c.failAtMs - c.startAtMs)) / (c.finishAtMs - c.startAtMs)) };
  }
  if (nowMs < c.startAtMs) return { status: 'Waiting', progressPct: 0 };
  if (nowMs >= c.finishAtMs) return { status: 'Available', progressPct: 100 };
  return { status: 'Creating', progressPct: Math.min(99, Math.floor((100 * (nowMs - c.startAtMs)) / (c.finishAtMs - c.startAtMs))) };
}
