/** The region catalogue: canonical Alibaba Cloud region IDs with display names and geography. */
import catalogue from './regions.json' with { type: 'json' };
import { closest } from './edit-distance.ts';
import type { Violation } from './errors.ts';

export type RegionArea = 'china-mainland' | 'asia-pacific' | 'americas' | 'europe' | 'middle-east';
export type Continent = 'asia' | 'europe' | 'north-america';

export interface Region {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly area: RegionArea;
  readonly continent: Continent;
}

export const REGIONS: readonly Region[] = Object.freeze(
  (catalogue.regions as Region[]).map((r) => Object.freeze({ ...r })),
);

const byId = new Map(REGIONS.map((r) => [r.id, r]));

export function findRegion(id: string): Region | undefined {
  return byId.get(id);
}

export function isKnownRegion(id: string): boolean {
  return byId.has(id);
}

/** How far apart two regions are, as copy throughput sees it: same region, same area, same continent, or not. */
export type DistanceTier = 'sameRegion' | 'sameArea' | 'sameContinent' | 'intercontinental';

export function distanceTier(from: Region, to: Region): DistanceTier {
  if (from.id === to.id) return 'sameRegion';
  if (from.area === to.area) return 'sameArea';
  if (from.continent === to.continent) return 'sameContinent';
  return 'intercontinental';
}

/** Words of a region's ID and name ("cn", "hangzhou", "china"), to recognise a city typed alone. */
function words(r: Region): string[] {
  return [...r.id.split('-'), ...r.name.toLowerCase().split(/[^a-z]+/)].filter((w) => w.length > 2);
}

/**
 * The region a mistyped ID most likely meant: the same ID in another case, one a slip of the
 * keyboard away (`cn-hangzou`), or the one region named by a word of it (`frankfurt`).
 * Undefined when nothing is near enough or several are equally near.
 */
export function suggestRegion(input: string): string | undefined {
  const typed = input.trim().toLowerCase();
  if (byId.has(typed)) return typed;
  const near = closest(typed, REGIONS.map((r) => r.id), typed.length < 6 ? 1 : 2);
  if (near) return near;
  const named = REGIONS.filter((r) => words(r).includes(typed));
  return named.length === 1 ? named[0]!.id : undefined;
}

/** The violation of a field naming no known region, with the likely meant one when there is one. */
export function unknownRegion(field: string, id: string, what = 'region'): Violation {
  const meant = suggestRegion(id);
  const lists = "'imagenest regions' (GET /v1/regions) lists them";
  return {
    field,
    rule: 'knownRegion',
    message: `${what} '${id}' is not a known region; ${meant ? `did you mean '${meant}'? ${lists}` : lists}`,
    ...(meant ? { didYouMean: meant } : {}),
  };
}
