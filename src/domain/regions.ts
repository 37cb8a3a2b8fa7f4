/** The region catalogue: canonical Alibaba Cloud region IDs with display names and geography. */
import catalogue from './regions.json' with { type: 'json' };

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
