import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedEndMs, finishFromReadingsMs, observedScale, priorCopyMs, progressAtPct, START_OVERHEAD_MS } from './copy-estimate.ts';
import { PRIOR_GIB_PER_MIN } from './learned-speeds.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

describe('the priors', () => {
  it('take size over the throughput of the distance travelled, at least 1 GiB; an unknown region counts as across continents', () => {
    expect(priorCopyMs(20, 'cn-hangzhou', 'cn-hangzhou')).toBeCloseTo((20 / PRIOR_GIB_PER_MIN.sameRegion) * MIN, 6);
    expect(priorCopyMs(20, 'cn-hangzhou', 'eu-central-1')).toBeCloseTo((20 / PRIOR_GIB_PER_MIN.intercontinental) * MIN, 6);
    expect(priorCopyMs(20, 'cn-hangzhou', 'xx-nowhere-1')).toBeCloseTo((20 / PRIOR_GIB_PER_MIN.intercontinental) * MIN, 6);
    expect(priorCopyMs(0.25, 'cn-hangzhou', 'cn-hangzhou')).toBeCloseTo((1 / PRIOR_GIB_PER_MIN.sameRegion) * MIN, 6);
  });

  it('take the route speeds they are given', () => {
    expect(priorCopyMs(30, 'cn-hangzhou', 'eu-central-1', () => 3)).toBe(10 * MIN);
  });
});

describe('the observed scale of a region', () => {
  const copy = (priorMs: number, pctPerMin: number) => ({ priorMs, first: { atMs: T0, pct: 10 }, last: { atMs: T0 + 10 * MIN, pct: 10 + 10 * pctPerMin } });

  it('is 1 without two distinct readings', () => {
    expect(observedScale([])).toBe(1);
    expect(observedScale([{ priorMs: 100 * MIN, first: { atMs: T0, pct: 10 }, last: { atMs: T0 + MIN, pct: 10 } }])).toBe(1);
    expect(observedScale([{ priorMs: 100 * MIN, first: { atMs: T0, pct: 10 }, last: { atMs: T0, pct: 20 } }])).toBe(1);
  });

  it('is the median of actual over prior duration, within [0.2, 5]', () => {
    // 1 %/min: 100 min actual.
    expect(observedScale([copy(50 * MIN, 1)])).toBe(2);
    expect(observedScale([copy(50 * MIN, 1), copy(100 * MIN, 1), copy(200 * MIN, 1)])).toBe(1);
    expect(observedScale([copy(50 * MIN, 1), copy(100 * MIN, 1)])).toBe(1.5);
    expect(observedScale([copy(10 * MIN, 1)])).toBe(5);
    expect(observedScale([copy(1000 * MIN, 1)])).toBe(0.2);
  });
});

describe('a copy’s expected end', () => {
  it('before any progress: its prior after the start overhead', () => {
    const priorMs = priorCopyMs(100, 'cn-hangzhou', 'eu-central-1');
    expect(expectedEndMs({ requestedAtMs: T0, sizeGiB: 100, priorMs }, 30_000)).toBe(T0 + START_OVERHEAD_MS + priorMs);
    // Seen at 0 %: still the prior.
    expect(expectedEndMs({ requestedAtMs: T0, sizeGiB: 100, priorMs, last: { atMs: T0 + MIN, pct: 0 } }, 30_000)).toBe(T0 + START_OVERHEAD_MS + priorMs);
  });

  it('with readings: extrapolated at the rate between the first and the latest', () => {
    const c = { requestedAtMs: T0, sizeGiB: 100, priorMs: 1, first: { atMs: T0 + 10 * MIN, pct: 10 }, last: { atMs: T0 + 20 * MIN, pct: 30 } };
    // 2 %/min; 69.5 % left (the cloud truncates) → 34.75 min after the latest reading.
    expect(expectedEndMs(c, 30_000)).toBe(T0 + 20 * MIN + 34.75 * MIN);
    expect(finishFromReadingsMs(c, c.last, 30_000)).toBe(expectedEndMs(c, 30_000));
  });

  it('with one reading: at the rate since the copy presumably started, the latency after its request', () => {
    const c = { requestedAtMs: T0, sizeGiB: 100, priorMs: 1, last: { atMs: T0 + 10 * MIN + 30_000, pct: 19.5 } };
    // 20 % (the truncated 19.5 + 0.5) in the 10 min since T0 + 30 s: 2 %/min, 80 % left → 40 min.
    expect(expectedEndMs(c, 30_000)).toBe(T0 + 10 * MIN + 30_000 + 40 * MIN);
    // Readings that did not move give no rate either.
    expect(expectedEndMs({ ...c, first: { atMs: T0 + MIN, pct: 19.5 } }, 30_000)).toBe(expectedEndMs(c, 30_000));
  });
});

describe('progress between readings', () => {
  const c = { requestedAtMs: T0, sizeGiB: 20, last: { atMs: T0 + 10 * MIN, pct: 20 } };
  const end = T0 + 50 * MIN;

  it('moves from the latest reading towards the expected end, linearly', () => {
    expect(progressAtPct(c, end, T0 + 10 * MIN)).toBe(20);
    expect(progressAtPct(c, end, T0 + 30 * MIN)).toBe(60);
  });

  it('never passes 99 before the cloud says Available, nor falls below the latest reading', () => {
    expect(progressAtPct(c, end, T0 + 80 * MIN)).toBe(99);
    expect(progressAtPct(c, end, T0)).toBe(20);
    expect(progressAtPct({ ...c, last: { atMs: T0, pct: 99.5 } }, end, T0 + 80 * MIN)).toBe(99.5);
  });

  it('without readings, from 0 at the request', () => {
    expect(progressAtPct({ requestedAtMs: T0, sizeGiB: 20 }, T0 + 10 * MIN, T0 + 5 * MIN)).toBe(50);
  });

  it('is monotonic in time and within [latest reading, 99] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 98 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 900 }), (pct, endMin, a, b) => {
        const track = { requestedAtMs: T0, sizeGiB: 20, last: { atMs: T0, pct } };
        const [early, late] = [Math.min(a, b), Math.max(a, b)];
        const p1 = progressAtPct(track, T0 + endMin * MIN, T0 + early * MIN);
        const p2 = progressAtPct(track, T0 + endMin * MIN, T0 + late * MIN);
        expect(p2).toBeGreaterThanOrEqual(p1);
        expect(p1).toBeGreaterThanOrEqual(pct);
        expect(p2).toBeLessThanOrEqual(99);
      }),
    );
  });
});
