import { describe, expect, it } from 'vitest';
import { distanceTier, findRegion, isKnownRegion, REGIONS } from './regions.ts';

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
