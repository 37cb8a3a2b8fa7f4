import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, expectedFinishMs, finishWindowMs, nextPollAtMs, regionWakeAtMs, type CopyProgress } from './poll-plan.ts';

const MIN = 60_000;

describe('poll plan (fake clock)', () => {
  it('first looks at a copy from an optimistic size-based prior', () => {
    const at = nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80 }, 0);
    expect(at).toBe(DEFAULT_POLL.priorLatencyMs + (80 / DEFAULT_POLL.priorGiBPerMin) * MIN);
  });

  it('looks at a copy still at 0 % again after a slice of its expected time, not every few seconds', () => {
    // 80 GiB: the prior expects 30 s + 10 min; seen at 0 % at 11 min, look again 30.5 s later.
    const at = nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80, last: { atMs: 11 * MIN, pct: 0 } }, 11 * MIN);
    expect(at - 11 * MIN).toBe((30_000 + 10 * MIN) / 20);
  });

  it('extrapolates from two observations to the expected completion', () => {
    // A copy that started at t=60 s and moves 1 % a minute finishes at t=6060 s.
    const first = { atMs: 10 * MIN + 60_000, pct: 10 };
    const last = { atMs: 50 * MIN + 60_000, pct: 50 };
    const t = expectedFinishMs({ requestedAtMs: 0, sizeGiB: 100, first, last });
    expect(Math.abs(t - (100 * MIN + 60_000))).toBeLessThanOrEqual(MIN);
  });

  it('never polls sooner than the minimum nor later than the maximum interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 10 ** 7 }),
        (now, size, pct, ago) => {
          const at = nextPollAtMs({ requestedAtMs: now - ago, sizeGiB: size, last: { atMs: now, pct } }, now);
          expect(at - now).toBeGreaterThanOrEqual(DEFAULT_POLL.minIntervalMs);
          expect(at - now).toBeLessThanOrEqual(DEFAULT_POLL.maxIntervalMs);
        },
      ),
    );
  });

  /** Polls one copy as the engine does until it is seen done; progress is whole percents. */
  function follow(startMs: number, durationMs: number, sizeGiB: number) {
    const finishMs = startMs + durationMs;
    const pctAt = (t: number) => Math.max(0, Math.min(99, Math.floor((100 * (t - startMs)) / durationMs)));
    const c: CopyProgress = { requestedAtMs: 0, sizeGiB };
    let t = nextPollAtMs(c, 0);
    let polls = 1;
    let missedFirst = false;
    while (t < finishMs) {
      const pct = pctAt(t);
      if (polls === 1) missedFirst = true;
      if (pct > 0 && !c.first) c.first = { atMs: t, pct };
      c.last = { atMs: t, pct };
      const window = finishWindowMs(c);
      if (window) {
        // The window is sound: the true completion lies inside it.
        expect(finishMs).toBeGreaterThanOrEqual(window.earliestMs - 1);
        expect(finishMs).toBeLessThanOrEqual(window.latestMs + 1);
      }
      t = nextPollAtMs(c, t);
      polls++;
    }
    return { lagMs: t - finishMs, polls, missedFirst };
  }

  it('sees a finished copy within the target lag once it has seen it run, with few looks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20_000, max: 60_000 }),
        fc.integer({ min: 20, max: 500 }),
        fc.double({ min: 1.8 * 0.8, max: 10 * 1.2, noNaN: true }),
        (latencyMs, sizeGiB, gibPerMin) => {
          const durationMs = Math.round((sizeGiB / gibPerMin) * MIN);
          const r = follow(latencyMs, durationMs, sizeGiB);
          if (r.missedFirst) expect(r.lagMs).toBeLessThanOrEqual(Math.max(DEFAULT_POLL.targetLagMs, DEFAULT_POLL.minIntervalMs) + 1);
          // A 500 GiB copy at 1.44 GiB/min runs almost six hours.
          expect(r.polls).toBeLessThanOrEqual(12);
        },
      ),
      { numRuns: 500, seed: 20261127 },
    );
  });

  it('wakes a region at its earliest need, or never when idle', () => {
    expect(regionWakeAtMs([5, 3], [4])).toBe(3);
    expect(regionWakeAtMs([], [])).toBeNull();
  });
});
