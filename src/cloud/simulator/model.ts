/**
 * The simulator's physics, pure: how long a copy takes, when a queued copy may start (at most
 * five running per destination region, first come first served, and optionally at most N
 * running out of a source region), and what DescribeImages reports at a given instant.
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

/**
 * How the simulated cloud departs from its nominal speeds. `speedSkew`: a seed for hidden
 * factors in 0.5×–2× on every route (see routeSkew); null: the nominal speeds. `sourceCap`:
 * at most this many copies running out of one source region at a time, further ones wait
 * (status Waiting) like copies beyond the five into a region; null: no such cap.
 */
export interface SimOptions {
  speedSkew?: number | string | null | undefined;
  sourceCap?: number | null | undefined;
}

/** Log-uniform in [1 / spread, spread], fixed by the seed and the parts. */
function logUniform(spread: number, seed: number | string, ...parts: string[]): number {
  return spread ** (2 * seededUnit(seed, ...parts) - 1);
}

/**
 * The hidden factor on a route's nominal speed under `--speed-skew SEED`: one factor per route
 * class (log-uniform in 0.5×–2×) times one per region pair (log-uniform in 0.84×–1.19×),
 * clamped to 0.5×–2×. 1 without a skew seed.
 */
export function routeSkew(skewSeed: number | string | null | undefined, from: Region, to: Region): number {
  if (skewSeed === null || skewSeed === undefined) return 1;
  const byClass = logUniform(2, skewSeed, 'skew-class', distanceTier(from, to));
  const byPair = logUniform(2 ** 0.25, skewSeed, 'skew-pair', from.id, to.id);
  return Math.min(2, Math.max(0.5, byClass * byPair));
}

/** The true mean throughput of a route (GiB/min, before the per-copy jitter): what the engine has to learn. */
export function routeGiBPerMin(skewSeed: number | string | null | undefined, from: Region, to: Region): number {
  return THROUGHPUT_GIB_PER_MIN[distanceTier(from, to)] * routeSkew(skewSeed, from, to);
}

export interface CopyTiming {
  /** From the request until the copy may start (if a slot is free). */
  latencyMs: number;
  /** From start to Available. */
  durationMs: number;
}

export function copyTiming(seed: number | string, key: string, sizeGiB: number, from: Region, to: Region, skewSeed: number | string | null = null): CopyTiming {
  const latencyS = START_LATENCY_S.min + seededUnit(seed, key, 'latency') * (START_LATENCY_S.max - START_LATENCY_S.min);
  const jitter = 0.8 + 0.4 * seededUnit(seed, key, 'jitter');
  const minutes = (sizeGiB / routeGiBPerMin(skewSeed, from, to)) * jitter;
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
  return queuedStartWithin({ earlier, slots }, null, readyAtMs, 0);
}

/** The copies already placed on one side of a copy, and how many may run there at once. */
export interface CopyQueue {
  earlier: readonly ScheduledCopy[];
  slots: number;
}

/**
 * When a copy may start that needs a slot in its destination (FIFO, as `queuedStart`) and, when
 * a source cap applies, one out of its source for its whole run (`durationMs`): copies out of
 * the source are not served in order (they wait on their own destinations), so the source
 * only has to stay under its cap from start to finish.
 */
export function queuedStartWithin(dest: CopyQueue, source: CopyQueue | null, readyAtMs: number, durationMs: number): number {
  let t = readyAtMs;
  for (const c of dest.earlier) t = Math.max(t, c.startAtMs);
  const runningAt = (q: CopyQueue, at: number) => q.earlier.filter((c) => c.startAtMs <= at && c.endAtMs > at).length;
  const fits = (at: number) =>
    runningAt(dest, at) < dest.slots &&
    (source === null ||
      [at, ...source.earlier.map((c) => c.startAtMs).filter((s) => s > at && s < at + durationMs)].every((p) => runningAt(source, p) < source.slots));
  if (fits(t)) return t;
  const ends = [...dest.earlier, ...(source?.earlier ?? [])]
    .map((c) => c.endAtMs)
    .filter((e) => e > t)
    .sort((a, b) => a - b);
  for (const end of ends) if (fits(end)) return end;
  return Math.max(t, ...ends);
}

/** CreateImage from an instance: snapshots of its disks, then the image; a minute plus 3 s a GiB. */
export function imageCreationMs(sizeGiB: number): number {
  return 60_000 + Math.round(sizeGiB * 3_000);
}

/** RunInstances: an instance is `Pending` this long, then `Running`. */
export const INSTANCE_START_MS = 30_000;

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
