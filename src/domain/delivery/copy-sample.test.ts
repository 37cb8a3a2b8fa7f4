import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CENSORED_WEIGHT, copySample, transferBounds, type FinishedCopy } from './copy-sample.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const LATENCY = 30_000;

/**
 * What the engine would have recorded of a copy that started `latencyMs` after its request
 * and ran `durationMs`, looked at at the given offsets from the request (the first look at
 * or after its finish sees it Available).
 */
function watched(sizeGiB: number, latencyMs: number, durationMs: number, looksMs: readonly number[]): FinishedCopy {
  const startMs = T0 + latencyMs;
  const finishMs = startMs + durationMs;
  const c: FinishedCopy = { sizeGiB, requestedAtMs: T0, availableAtMs: NaN, startLatencyMs: LATENCY };
  for (const offset of [...looksMs].sort((a, b) => a - b)) {
    const atMs = T0 + offset;
    if (atMs >= finishMs) return { ...c, availableAtMs: atMs };
    const pct = Math.max(0, Math.floor((100 * (atMs - startMs)) / durationMs));
    c.last = { atMs, pct };
    if (pct > 0 && !c.first) c.first = { atMs, pct };
  }
  // Never looked at after its finish: the next look, a minute later, sees it.
  return { ...c, availableAtMs: Math.max(finishMs, c.last?.atMs ?? T0) + MIN };
}

describe('a finished copy', () => {
  it('seen often shows its throughput closely and counts almost as an exact copy', () => {
    // 60 GiB in 20 minutes: 3 GiB/min; looked at every minute.
    const c = watched(60, 40_000, 20 * MIN, Array.from({ length: 40 }, (_, i) => (i + 1) * MIN));
    const s = copySample(c, 1)!;
    expect(s.gibPerMin).toBeGreaterThan(3 * 0.97);
    expect(s.gibPerMin).toBeLessThan(3 * 1.03);
    expect(s.weight).toBeGreaterThan(0.9);
  });

  it('seen twice on the way counts for less than seen often', () => {
    const often = copySample(watched(20, 40_000, 10 * MIN, Array.from({ length: 20 }, (_, i) => (i + 1) * MIN)), 1)!;
    const twice = copySample(watched(20, 40_000, 10 * MIN, [3 * MIN, 6 * MIN, 15 * MIN]), 1)!;
    expect(twice.weight).toBeLessThan(often.weight);
    expect(twice.gibPerMin / 2).toBeGreaterThan(0.8);
    expect(twice.gibPerMin / 2).toBeLessThan(1.25);
  });

  it('seen once on the way is placed by its presumed start: it counts, for less', () => {
    // 20 GiB in 10 minutes (2 GiB/min), started 40 s after the request; looked at after 5 minutes (43 %), then Available.
    const s = copySample(watched(20, 40_000, 10 * MIN, [5 * MIN, 12 * MIN]), 10)!;
    expect(s.gibPerMin / 2).toBeGreaterThan(0.9);
    expect(s.gibPerMin / 2).toBeLessThan(1.1);
    expect(s.weight).toBeGreaterThan(0.3);
    expect(s.weight).toBeLessThan(0.9);
  });

  it('seen only once Available says only that the route is at least so fast: it counts when the estimate is slower', () => {
    // 20 GiB in 1 minute, seen Available 5 minutes after the request: at least 4 GiB/min.
    const c = watched(20, 40_000, MIN, [5 * MIN]);
    expect(copySample(c, 5)).toBeNull();
    expect(copySample(c, 1)).toEqual({ gibPerMin: 4, weight: CENSORED_WEIGHT });
  });

  it('seen Available at the very look before which it was last seen running says nothing', () => {
    expect(transferBounds({ sizeGiB: 20, requestedAtMs: T0, last: { atMs: T0 + MIN, pct: 50 }, availableAtMs: T0 + MIN, startLatencyMs: LATENCY })).toBeNull();
    expect(copySample({ sizeGiB: 0, requestedAtMs: T0, availableAtMs: T0 + MIN, startLatencyMs: LATENCY }, 1)).toBeNull();
  });

  it('ignores its presumed start when the cloud queued it long after the request', () => {
    // Queued 30 minutes, then 10 minutes of transfer, looked at every 2 minutes once running.
    const s = copySample(watched(30, 30 * MIN, 10 * MIN, [31 * MIN, 33 * MIN, 35 * MIN, 37 * MIN, 39 * MIN, 41 * MIN]), 1)!;
    expect(s.gibPerMin / 3).toBeGreaterThan(0.9);
    expect(s.gibPerMin / 3).toBeLessThan(1.1);
  });

  it('is bounded around its true transfer time whenever it started within twice the presumed latency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * LATENCY }),
        fc.integer({ min: 1_000, max: 10 * 3_600_000 }),
        fc.array(fc.integer({ min: 1, max: 12 * 3_600_000 }), { minLength: 1, maxLength: 12 }),
        (latencyMs, durationMs, looks) => {
          const c = watched(20, latencyMs, durationMs, looks);
          const b = transferBounds(c);
          expect(b).not.toBeNull();
          expect(b!.loMs).toBeLessThanOrEqual(durationMs * (1 + 1e-9));
          expect(b!.hiMs).toBeGreaterThanOrEqual(durationMs * (1 - 1e-9));
          const s = copySample(c, 0.01);
          if (s) {
            expect(s.weight).toBeGreaterThan(0);
            expect(s.weight).toBeLessThanOrEqual(1);
            expect(s.gibPerMin).toBeLessThanOrEqual((20 / (b!.loMs / MIN)) * (1 + 1e-9));
            expect(s.gibPerMin).toBeGreaterThanOrEqual((20 / (b!.hiMs / MIN)) * (1 - 1e-9));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
