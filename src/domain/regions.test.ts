import { describe, expect, it } from 'vitest';
import { distanceTier, findRegion, isKnownRegion, REGIONS, suggestRegion, unknownRegion } from './regions.ts';

const region = (id: string) => {
  const r = findRegion(id);
  if (!r) throw new Error(`test region ${id} is not in the catalogue`);
  return r;
};

describe('region catalogue', () => {
  it('finds a region by its canonical ID only', () => {
    expect(findRegion('cn-hangzhou')?.id).toBe('cn-hangzhou');
    expect(findRegion('CN-Hangzhou')).toBeUndefined();
    expect(isKnownRegion('eu-central-1')).toBe(true);
    expect(isKnownRegion('mars-1')).toBe(false);
  });

  it('is frozen, region by region', () => {
    expect(Object.isFrozen(REGIONS)).toBe(true);
    for (const r of REGIONS) expect(Object.isFrozen(r)).toBe(true);
  });
});

describe('distance tiers', () => {
  it.each([
    ['cn-hangzhou', 'cn-hangzhou', 'sameRegion'],
    ['cn-hangzhou', 'cn-beijing', 'sameArea'],
    ['cn-hongkong', 'ap-southeast-1', 'sameArea'],
    ['cn-hangzhou', 'ap-northeast-1', 'sameContinent'],
    ['me-east-1', 'cn-hongkong', 'sameContinent'],
    ['us-east-1', 'us-west-1', 'sameArea'],
    ['cn-hangzhou', 'eu-central-1', 'intercontinental'],
    ['us-east-1', 'eu-central-1', 'intercontinental'],
  ])('%s → %s is %s', (from, to, tier) => {
    expect(distanceTier(region(from), region(to))).toBe(tier);
    expect(distanceTier(region(to), region(from))).toBe(tier);
  });
});

describe('suggestRegion and unknownRegion', () => {
  it('suggests the region a near-miss ID meant: case, a slip of the keyboard, or a city named alone', () => {
    expect(suggestRegion('cn-hangzou')).toBe('cn-hangzhou');
    expect(suggestRegion('CN-Hangzhou ')).toBe('cn-hangzhou');
    expect(suggestRegion('eu-centrl-1')).toBe('eu-central-1');
    expect(suggestRegion('frankfurt')).toBe('eu-central-1');
    expect(suggestRegion('hangzhou')).toBe('cn-hangzhou');
  });

  it('suggests nothing rather than a guess between equals or for something far off', () => {
    expect(suggestRegion('ap-southeast-2')).toBeUndefined();
    expect(suggestRegion('mars-1')).toBeUndefined();
  });

  it('is a knownRegion violation carrying the suggestion in didYouMean and in its message', () => {
    const v = unknownRegion('version.content.sourceRegion', 'cn-hangzou', 'source region');
    expect(v).toMatchObject({ field: 'version.content.sourceRegion', rule: 'knownRegion', didYouMean: 'cn-hangzhou' });
    expect(v.message).toContain("'cn-hangzhou'");
    expect(unknownRegion('region', 'mars-1')).not.toHaveProperty('didYouMean');
  });
});
