/**
 * How long a copy is expected to take before it starts, for planning which copy to start next.
 * Pure. The priors are rough throughputs by distance; at run time they are scaled by what the
 * region's running copies actually show (their progress rate), so a cloud that is uniformly
 * faster or slower than the priors is planned for as it is.
 */
import { distanceTier, findRegion, type DistanceTier } from '../domain/regions.ts';

/** GiB per minute a copy is expected to move, by distance between source and destination. */
export const PLANNING_GIB_PER_MIN: Readonly<Record<DistanceTier, number>> = {
  sameRegion: 10,
  sameArea: 5,
  sameContinent: 3,
  intercontinental: 1.8,
};

/** From request until a copy is running and, once done, until the engine sees it. */
export const START_OVERHEAD_MS = 45_000;

/** Expected transfer time of a copy of `sizeGiB` between two regions, before any observation. */
export function priorCopyMs(sizeGiB: number, fromRegion: string, toRegion: string): number {
  const from = findRegion(fromRegion);
  const to = findRegion(toRegion);
  const tier: DistanceTier = from && to ? distanceTier(from, to) : 'intercontinental';
  return (Math.max(1, sizeGiB) / PLANNING_GIB_PER_MIN[tier]) * 60_000;
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
