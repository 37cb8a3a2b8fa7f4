/**
 * Relay routing, as pure decisions over plain data: a version crosses into each far area once,
 * into an entry ("gateway") region, and the rest of that area copies onward from there at
 * intra-area speed. Where the destination has little else to do, a copy goes direct instead,
 * so a version published alone is never slower than direct. No database, no cloud, no clock.
 *
 * - planRelays: at the start of a version's distribution, which region each copy is meant to
 *   come from (entries balanced by each region's expected work across versions);
 * - routeCopy: when a copy may start, from which image it starts now, or until when it waits
 *   for its entry (falling back to another holder or to direct when the entry failed);
 * - routingOrder: in which order a pass routes a region's ready copies, so that a long backlog
 *   is routed only as far as the free slots need;
 * - holdsSourceFor: which images must outlive a cancellation until their dependents stopped.
 */
import { findRegion } from '../domain/regions.ts';

/** Expected transfer time of a copy of `sizeGiB` from one region to another (the engine's estimate). */
export type CopyMsFn = (sizeGiB: number, fromRegion: string, toRegion: string) => number;

/** A copy as the planner weighs it: where it goes, how big, from where. */
export interface PlannedCopy {
  region: string;
  sizeGiB: number;
  fromRegion: string;
}

/** The expected transfer work (ms) queued into each region by the given copies. */
export function loadByRegion(copies: readonly PlannedCopy[], copyMs: CopyMsFn): Map<string, number> {
  const load = new Map<string, number>();
  for (const c of copies) load.set(c.region, (load.get(c.region) ?? 0) + copyMs(c.sizeGiB, c.fromRegion, c.region));
  return load;
}

export interface RelayVersion {
  sizeGiB: number;
  /** Where the ingested image is: every copy's source by default. */
  ingestRegion: string;
  /** The regions the version is copied into. */
  regions: readonly string[];
}

const areaOf = (region: string) => findRegion(region)?.area ?? region;

/**
 * For each region of the version, the region its copy is meant to come from (the ingest's region
 * for a direct copy). The ingest's own area and areas with a single region copy direct; every
 * other area gets one entry region, copied from the ingest, which the rest of the area copies
 * from. The entry is the area's region with the least expected work once it holds the crossing
 * (`loadMs`: work already queued, across versions), ties by region ID.
 */
export function planRelays(v: RelayVersion, loadMs: ReadonlyMap<string, number>, copyMs: CopyMsFn): Map<string, string> {
  const from = new Map<string, string>();
  const byArea = new Map<string, string[]>();
  for (const r of [...new Set(v.regions)].sort()) {
    from.set(r, v.ingestRegion);
    if (r === v.ingestRegion || areaOf(r) === areaOf(v.ingestRegion)) continue;
    byArea.set(areaOf(r), [...(byArea.get(areaOf(r)) ?? []), r]);
  }
  for (const regions of byArea.values()) {
    if (regions.length < 2) continue;
    const cost = (r: string) => (loadMs.get(r) ?? 0) + copyMs(v.sizeGiB, v.ingestRegion, r);
    const entry = regions.reduce((best, r) => (cost(r) < cost(best) ? r : best));
    for (const r of regions) if (r !== entry) from.set(r, entry);
  }
  return from;
}

/** An image of the version that a copy may start from. */
export interface Holder {
  region: string;
  imageId: string;
}

export interface RouteInput {
  /** The destination region. */
  region: string;
  sizeGiB: number;
  nowMs: number;
  /** The ingested image (Available). */
  ingest: Holder;
  /** The region the relay plan chose (null: not planned, copy direct). */
  plannedFrom: string | null;
  /** Copies of the version already Available elsewhere, image kept. */
  holders: readonly Holder[];
  /** Copies of the version under way or waiting elsewhere: when each is expected Available. */
  expectedAtMs: ReadonlyMap<string, number>;
  /** The destination's other queued work per slot (ms): how long its slots stay busy without this copy. */
  backlogMs: number;
  /** From a copy's request until it runs and is seen done (ms). */
  overheadMs: number;
  copyMs: CopyMsFn;
}

export type Route =
  /** Start now from this image. */
  | { type: 'copy'; from: Holder }
  /** Wait for the planned entry, expected Available at `untilMs`; the copy then takes `expectedMs`. */
  | { type: 'wait'; fromRegion: string; untilMs: number; expectedMs: number };

/**
 * Where a copy ready to start starts from. From the planned region once it holds the version;
 * while that is still copying, direct now only when that is sooner and the destination is lightly
 * loaded (its other work per slot ends before the relayed copy would), else wait for it; when the
 * planned region will not hold it (failed, cancelled), from the nearest image there is.
 */
export function routeCopy(r: RouteInput): Route {
  const eta = (h: Holder) => r.copyMs(r.sizeGiB, h.region, r.region);
  const available = [r.ingest, ...r.holders.filter((h) => h.region !== r.region)];
  const nearest = available.reduce((best, h) => (eta(h) < eta(best) ? h : best));
  if (r.plannedFrom === null || r.plannedFrom === r.ingest.region) return { type: 'copy', from: r.ingest };
  const planned = available.find((h) => h.region === r.plannedFrom);
  if (planned) return { type: 'copy', from: eta(planned) <= eta(nearest) ? planned : nearest };
  const viaAtMs = r.expectedAtMs.get(r.plannedFrom);
  if (viaAtMs === undefined) return { type: 'copy', from: nearest };
  const relayedMs = r.copyMs(r.sizeGiB, r.plannedFrom, r.region);
  const relayedEndMs = Math.max(r.nowMs, viaAtMs) + r.overheadMs + relayedMs;
  // Lightly loaded: even after its other work, the destination would have this copy direct
  // before the relayed one; so going direct costs the region nothing and the version time.
  if (r.nowMs + r.backlogMs + r.overheadMs + eta(nearest) <= relayedEndMs) return { type: 'copy', from: nearest };
  return { type: 'wait', fromRegion: r.plannedFrom, untilMs: Math.max(r.nowMs + 1, viaAtMs), expectedMs: relayedMs };
}

/** A ready copy as the pass ranks it before routing. */
export interface RoutingCandidate {
  id: string;
  sizeGiB: number;
  /** Expected transfer time along its planned route (from its entry, or from the ingest). */
  expectedMs: number;
  /** An entry copy: others wait on it, so it starts ahead of the slot planner. */
  entry: boolean;
}

/**
 * The order in which a pass routes ready copies: entries first, largest first (they start
 * ahead of everything else, in that order), then the rest longest expected first (the slot
 * planner's base rule); ties by ID. Routing reads every copy of a routed version, so a pass
 * routes this order only until it has enough copies able to start.
 */
export function routingOrder<T extends RoutingCandidate>(candidates: readonly T[]): T[] {
  const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...candidates].sort((a, b) => Number(b.entry) - Number(a.entry) || (a.entry ? b.sizeGiB - a.sizeGiB : b.expectedMs - a.expectedMs) || byId(a, b));
}

/** A copy as cancellation sees it. */
export interface SourceUse {
  id: string;
  region: string;
  state: string;
  /** The region this copy copies from, once started. */
  copySourceRegion: string | null;
}

/**
 * The regions whose image some copy of the same version still copies from (running, not yet
 * Cancelled): their cancellation waits until those dependents have stopped, so that no running
 * copy loses its source under it.
 */
export function holdsSourceFor(copies: readonly SourceUse[]): Set<string> {
  return new Set(copies.filter((c) => c.state === 'Copying' && c.copySourceRegion !== null && c.copySourceRegion !== c.region).map((c) => c.copySourceRegion!));
}

/**
 * A copy started from a holder slower than its route's by more than this factor costs more than
 * waiting for a slot out of the route's source is expected to: it waits instead.
 */
export const SLOWER_SOURCE_FACTOR = 2;

export interface SourceChoice {
  /** The destination. */
  region: string;
  sizeGiB: number;
  /** Where the route (or the ingest) says to copy from. */
  planned: Holder;
  /** Every other image of the version a copy may start from (the ingest's included). */
  holders: readonly Holder[];
  /** Copies running out of each region now (absent: none). */
  runningOut: ReadonlyMap<string, number>;
  /** At most this many copies out of one region at once. */
  cap: number;
  copyMs: CopyMsFn;
}

/**
 * Where a copy starts from when the engine keeps to a cap on copies out of a source region: the
 * planned image while its region has a slot out; else the holder with a slot out that copies
 * soonest, if it is no more than SLOWER_SOURCE_FACTOR slower; else null (wait for a slot).
 */
export function sourceWithinCap(c: SourceChoice): Holder | null {
  const free = (h: Holder) => (c.runningOut.get(h.region) ?? 0) < c.cap;
  if (free(c.planned)) return c.planned;
  const eta = (h: Holder) => c.copyMs(c.sizeGiB, h.region, c.region);
  const limitMs = SLOWER_SOURCE_FACTOR * eta(c.planned);
  const others = c.holders.filter((h) => h.region !== c.region && h.region !== c.planned.region && free(h) && eta(h) <= limitMs);
  return others.length === 0 ? null : others.reduce((best, h) => (eta(h) < eta(best) ? h : best));
}
