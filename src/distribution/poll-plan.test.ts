import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, expectedFinishMs, nextPollAtMs, regionWakeAtMs } from './poll-plan.ts';

const MIN = 60_000;

describe('poll plan (fake clock)', () => {
  it('first looks at a copy from an optimistic size-based prior', () => {
    const at = nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80 }, 0);
    expect(at).toBe(DEFAULT_POLL.priorLatencyMs + (80 / DEFAULT_POLL.priorGiBPerMin) * MIN);
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

  it('wakes a region at its earliest need, or never when idle', () => {
    expect(regionWakeAtMs([5, 3], [4])).toBe(3);
    expect(regionWakeAtMs([], [])).toBeNull();
  });
});
