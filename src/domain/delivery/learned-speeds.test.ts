import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addObservation,
  classSpeed,
  EMPTY_BOOK,
  FORGET,
  NO_STATS,
  pairKey,
  pairSpeed,
  PRIOR_GIB_PER_MIN,
  PRIOR_SPEEDS,
  routeClassOf,
  routeSpeeds,
  type SpeedStats,
} from './learned-speeds.ts';

const speed = fc.double({ min: 0.05, max: 100, noNaN: true });
const weight = fc.double({ min: 0.01, max: 1, noNaN: true });
const observations = fc.array(fc.record({ gibPerMin: speed, weight }), { minLength: 1, maxLength: 40 });
const feed = (obs: readonly { gibPerMin: number; weight: number }[], from: SpeedStats = NO_STATS) => obs.reduce(addObservation, from);

describe('the prior', () => {
  it('is what an engine that has seen no copy expects, slower with distance', () => {
    expect(PRIOR_SPEEDS('cn-hangzhou', 'cn-hangzhou')).toBeCloseTo(PRIOR_GIB_PER_MIN.sameRegion, 9);
    expect(PRIOR_SPEEDS('cn-hangzhou', 'cn-shanghai')).toBeCloseTo(PRIOR_GIB_PER_MIN.sameArea, 9);
    expect(PRIOR_SPEEDS('cn-hangzhou', 'eu-central-1')).toBeCloseTo(PRIOR_GIB_PER_MIN.intercontinental, 9);
    expect(PRIOR_SPEEDS('cn-hangzhou', 'xx-nowhere-1')).toBeCloseTo(PRIOR_GIB_PER_MIN.intercontinental, 9);
    const ordered = [PRIOR_GIB_PER_MIN.sameRegion, PRIOR_GIB_PER_MIN.sameArea, PRIOR_GIB_PER_MIN.sameContinent, PRIOR_GIB_PER_MIN.intercontinental];
    expect([...ordered].sort((a, b) => b - a)).toEqual(ordered);
  });

  it('classifies routes by distance', () => {
    expect(routeClassOf('cn-hangzhou', 'cn-hangzhou')).toBe('sameRegion');
    expect(routeClassOf('cn-hangzhou', 'cn-beijing')).toBe('sameArea');
    expect(routeClassOf('cn-hangzhou', 'eu-central-1')).toBe('intercontinental');
  });
});

describe('a class estimate', () => {
  it('stays between the prior and the observations (log-space weighted mean)', () => {
    fc.assert(
      fc.property(observations, (obs) => {
        const est = classSpeed('sameArea', feed(obs));
        const all = [PRIOR_GIB_PER_MIN.sameArea, ...obs.map((o) => o.gibPerMin)];
        expect(est).toBeGreaterThanOrEqual(Math.min(...all) * (1 - 1e-9));
        expect(est).toBeLessThanOrEqual(Math.max(...all) * (1 + 1e-9));
      }),
    );
  });

  it('converges on a route that keeps showing one speed: the prior keeps at most its pseudo-copy share', () => {
    fc.assert(
      fc.property(speed, fc.integer({ min: 1, max: 60 }), (s, n) => {
        const stats = feed(Array.from({ length: n }, () => ({ gibPerMin: s, weight: 1 })));
        const off = Math.abs(Math.log(classSpeed('intercontinental', stats) / s));
        const priorOff = Math.abs(Math.log(PRIOR_GIB_PER_MIN.intercontinental / s));
        const w0 = FORGET ** n;
        expect(off).toBeLessThanOrEqual((priorOff * w0) / (w0 + stats.weight) + 1e-9);
      }),
    );
    const twenty = feed(Array.from({ length: 20 }, () => ({ gibPerMin: 3.6, weight: 1 })));
    expect(classSpeed('intercontinental', twenty) / 3.6).toBeGreaterThan(0.9);
  });

  it('never drops when a faster copy is added, never rises when a slower one is', () => {
    fc.assert(
      fc.property(observations, weight, (obs, w) => {
        const stats = feed(obs);
        const before = classSpeed('sameContinent', stats);
        expect(classSpeed('sameContinent', addObservation(stats, { gibPerMin: before * 2, weight: w }))).toBeGreaterThanOrEqual(before * (1 - 1e-9));
        expect(classSpeed('sameContinent', addObservation(stats, { gibPerMin: before / 2, weight: w }))).toBeLessThanOrEqual(before * (1 + 1e-9));
      }),
    );
  });

  it('forgets: after a route changes speed, recent copies dominate', () => {
    const old = feed(Array.from({ length: 200 }, () => ({ gibPerMin: 1, weight: 1 })));
    expect(old.weight).toBeLessThan(1 / (1 - FORGET) + 1e-6);
    const after = feed(Array.from({ length: 100 }, () => ({ gibPerMin: 4, weight: 1 })), old);
    expect(classSpeed('sameArea', after)).toBeGreaterThan(3);
  });

  it('ignores observations that say nothing', () => {
    for (const o of [{ gibPerMin: 0, weight: 1 }, { gibPerMin: -1, weight: 1 }, { gibPerMin: Infinity, weight: 1 }, { gibPerMin: NaN, weight: 1 }, { gibPerMin: 2, weight: 0 }]) {
      expect(addObservation(NO_STATS, o)).toBe(NO_STATS);
    }
  });
});

describe('a pair estimate', () => {
  it('is its class estimate without copies of its own, and its own speed with many', () => {
    expect(pairSpeed(2, undefined)).toBe(2);
    expect(pairSpeed(2, NO_STATS)).toBeCloseTo(2, 12);
    const many = feed(Array.from({ length: 100 }, () => ({ gibPerMin: 5, weight: 1 })));
    expect(pairSpeed(2, many) / 5).toBeGreaterThan(0.93);
  });

  it('lies between its class estimate and its own copies', () => {
    fc.assert(
      fc.property(speed, observations, (cls, obs) => {
        const est = pairSpeed(cls, feed(obs));
        const all = [cls, ...obs.map((o) => o.gibPerMin)];
        expect(est).toBeGreaterThanOrEqual(Math.min(...all) * (1 - 1e-9));
        expect(est).toBeLessThanOrEqual(Math.max(...all) * (1 + 1e-9));
      }),
    );
  });

  it('is looked up through the book: pair statistics on top of the class statistics', () => {
    const cls = feed(Array.from({ length: 30 }, () => ({ gibPerMin: 4, weight: 1 })));
    const pair = feed(Array.from({ length: 30 }, () => ({ gibPerMin: 6, weight: 1 })));
    const speeds = routeSpeeds({ classes: new Map([['sameArea', cls]]), pairs: new Map([[pairKey('cn-hangzhou', 'cn-beijing'), pair]]) });
    expect(speeds('cn-shanghai', 'cn-beijing')).toBeCloseTo(classSpeed('sameArea', cls), 9);
    expect(speeds('cn-hangzhou', 'cn-beijing')).toBeCloseTo(pairSpeed(classSpeed('sameArea', cls), pair), 9);
    expect(speeds('cn-hangzhou', 'cn-beijing')).toBeGreaterThan(5);
    expect(routeSpeeds(EMPTY_BOOK)('cn-hangzhou', 'cn-beijing')).toBeCloseTo(PRIOR_GIB_PER_MIN.sameArea, 9);
  });
});
