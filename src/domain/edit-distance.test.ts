import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './edit-distance.ts';

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and a swapped neighbour pair as one edit each', () => {
    expect(editDistance('cn-hangzhou', 'cn-hangzhou')).toBe(0);
    expect(editDistance('cn-hangzou', 'cn-hangzhou')).toBe(1);
    expect(editDistance('cn-hangzhoux', 'cn-hangzhou')).toBe(1);
    expect(editDistance('cn-hangzhoy', 'cn-hangzhou')).toBe(1);
    expect(editDistance('cn-hnagzhou', 'cn-hangzhou')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closest', () => {
  const ids = ['ap-southeast-1', 'ap-southeast-3', 'cn-hangzhou', 'cn-shanghai'];
  it('picks the one candidate within reach', () => {
    expect(closest('cn-shangai', ids, 2)).toBe('cn-shanghai');
  });
  it('guesses nothing when two are equally near or none is near enough', () => {
    expect(closest('ap-southeast-2', ids, 2)).toBeUndefined();
    expect(closest('eu-west-9', ids, 2)).toBeUndefined();
  });
});
