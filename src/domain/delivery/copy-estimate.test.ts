import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedEndMs, finishFromReadingsMs, priorCopyMs, progressAtPct, START_OVERHEAD_MS } from './copy-estimate.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

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
