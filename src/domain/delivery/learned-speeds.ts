/**
 * Copy throughput learned from the copies the engine has seen finish. Pure: statistics in,
 * estimates out; the store keeps the statistics (store/speeds-repo.ts) and the engine feeds
 * them (distribution/route-speeds.ts).
 *
 * Each finished copy is one observation of log throughput (GiB/min) with a weight in
 * copy-equivalents (1 for a copy whose duration is known exactly, less when the engine's
 * sparse looks leave its start or finish uncertain: copy-sample.ts). Per route class the
 * estimate is the weighted mean in log space of the documented prior, counted as
 * PRIOR_WEIGHT pseudo-copies, and the observations; per region pair, the same with the class
 * estimate standing in as PAIR_SHRINK pseudo-copies, so a pair with few copies of its own
 * falls back to its class. Older observations fade (FORGET per newer one), and so does the
 * pseudo-copy weight, exactly as if it were the first observation: a route that changes
 * speed is relearned within a few dozen copies, and each new copy moves the estimate toward
 * itself, never away. Log space, because throughput is a rate: a copy twice as fast and one
 * half as fast cancel out.
 */
import { distanceTier, findRegion, type DistanceTier } from '../regions.ts';

/** The route classes: by distance between source and destination region. */
export type RouteClass = DistanceTier;
export const ROUTE_CLASSES: readonly RouteClass[] = ['sameRegion', 'sameArea', 'sameContinent', 'intercontinental'];

/**
 * GiB per minute before any copy has been seen. No cloud publishes its image copy throughput
 * (Alibaba Cloud's CopyImage reference says only that copies in a region queue; AWS calls a
 * copy without a requested completion time best-effort), and Imagenest must not plan with the
 * speeds of its own simulator. So the prior is
 * a deliberately conservative guess, in the range operators commonly report for cross-region
 * image and snapshot copies (tens of MB/s: 1 GiB/min ≈ 17.9 MB/s), ordered by distance:
 * within a region ≈ 54 MB/s, within an area ≈ 27 MB/s, across areas of a continent ≈ 18 MB/s,
 * across continents ≈ 9 MB/s. Erring slow makes the first plans pessimistic (later expected
 * finishes), never optimistic; the first few observations outweigh it.
 */
export const PRIOR_GIB_PER_MIN: Readonly<Record<RouteClass, number>> = {
  sameRegion: 3,
  sameArea: 1.5,
  sameContinent: 1,
  intercontinental: 0.5,
};

/** The prior counts as this many exactly observed copies of its class. */
export const PRIOR_WEIGHT = 1;
/** A pair's own copies are pooled with its class estimate, counted as this many copies. */
export const PAIR_SHRINK = 3;
/** Each new observation scales the weight of those before it by this: a memory of about 1 / (1 − FORGET) = 50 copies. */
export const FORGET = 0.98;

/** The sufficient statistics of a route's observations (weights already faded). */
export interface SpeedStats {
  /** Sum of weights, in copy-equivalents. */
  weight: number;
  /** Sum of weight × ln(GiB/min). */
  weightedLog: number;
  /** Observations recorded: the pseudo-copies fade by FORGET ** samples. */
  samples: number;
}

export const NO_STATS: SpeedStats = { weight: 0, weightedLog: 0, samples: 0 };

/** One finished copy: its throughput and how much it counts (0 < weight ≤ 1). */
export interface SpeedObservation {
  gibPerMin: number;
  weight: number;
}

/** The statistics after one more observation; older weight fades by FORGET. */
export function addObservation(stats: SpeedStats, o: SpeedObservation): SpeedStats {
  if (!(o.gibPerMin > 0) || !Number.isFinite(o.gibPerMin) || !(o.weight > 0)) return stats;
  const w = Math.min(1, o.weight);
  return {
    weight: FORGET * stats.weight + w,
    weightedLog: FORGET * stats.weightedLog + w * Math.log(o.gibPerMin),
    samples: stats.samples + 1,
  };
}

/** The weighted mean in log space of `stats` and a prior counted as `priorWeight` copies before them. */
function shrunk(stats: SpeedStats | undefined, priorGiBPerMin: number, priorWeight: number): number {
  const s = stats ?? NO_STATS;
  const w0 = priorWeight * FORGET ** s.samples;
  return Math.exp((w0 * Math.log(priorGiBPerMin) + s.weightedLog) / (w0 + s.weight));
}

/** The estimate of a route class. */
export function classSpeed(cls: RouteClass, stats: SpeedStats | undefined): number {
  return shrunk(stats, PRIOR_GIB_PER_MIN[cls], PRIOR_WEIGHT);
}

/** The estimate of a region pair: its own copies pooled with its class estimate. */
export function pairSpeed(classGiBPerMin: number, stats: SpeedStats | undefined): number {
  return shrunk(stats, classGiBPerMin, PAIR_SHRINK);
}

/** The class of a route; a region unknown to the catalogue counts as across continents. */
export function routeClassOf(fromRegion: string, toRegion: string): RouteClass {
  const from = findRegion(fromRegion);
  const to = findRegion(toRegion);
  return from && to ? distanceTier(from, to) : 'intercontinental';
}

/** The key of a region pair in a SpeedBook. */
export function pairKey(fromRegion: string, toRegion: string): string {
  return `${fromRegion}>${toRegion}`;
}

/** What has been learned: statistics per class and per region pair (pairKey). */
export interface SpeedBook {
  classes: ReadonlyMap<RouteClass, SpeedStats>;
  pairs: ReadonlyMap<string, SpeedStats>;
}

export const EMPTY_BOOK: SpeedBook = { classes: new Map(), pairs: new Map() };

/** Expected GiB per minute of a copy from one region to another. */
export type RouteSpeeds = (fromRegion: string, toRegion: string) => number;

/** The estimates of a book, as a lookup (class estimates computed once). */
export function routeSpeeds(book: SpeedBook): RouteSpeeds {
  const byClass = new Map(ROUTE_CLASSES.map((c) => [c, classSpeed(c, book.classes.get(c))]));
  return (fromRegion, toRegion) => pairSpeed(byClass.get(routeClassOf(fromRegion, toRegion))!, book.pairs.get(pairKey(fromRegion, toRegion)));
}

/** The prior alone: what an engine that has seen no copy expects. */
export const PRIOR_SPEEDS: RouteSpeeds = routeSpeeds(EMPTY_BOOK);
