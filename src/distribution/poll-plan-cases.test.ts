/** The poll plan's rules one branch at a time, with figures worked out by hand (times in ms). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, expectedFinishMs, finishWindowMs, nextPollAtMs, regionWakeAtMs, type CopyProgress } from './poll-plan.ts';

describe('expectedFinishMs', () => {
  it('before any progress: the request, the prior latency and the size at the prior throughput', () => {
    expect(expectedFinishMs({ requestedAtMs: 1_000, sizeGiB: 16 })).toBe(1_000 + 30_000 + 2 * 60_000);
    expect(expectedFinishMs({ requestedAtMs: 1_000, sizeGiB: 16, last: { atMs: 5_000, pct: 0 } })).toBe(151_000);
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 3 }, { ...DEFAULT_POLL, priorLatencyMs: 7, priorGiBPerMin: 1 })).toBe(7 + 3 * 60_000);
  });

  it('one reading: progress (half a percent up) since the copy started after the prior latency', () => {
    // Started at 30 s, 11.5 % in 115 s: 1e-4 per ms; 88.5 % to go.
    const last = { atMs: 145_000, pct: 11 };
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, last })).toBeCloseTo(1_030_000, 3);
    // A first reading that is not earlier, or shows no more progress, adds nothing.
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, first: last, last })).toBeCloseTo(1_030_000, 3);
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 145_000, pct: 5 }, last })).toBeCloseTo(1_030_000, 3);
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 11 }, last })).toBeCloseTo(1_030_000, 3);
  });

  it('one reading before the prior latency has passed: at least a millisecond of running', () => {
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, last: { atMs: 10_000, pct: 1 } })).toBeCloseTo(10_000 + 98.5 / 1.5, 6);
  });

  it('two readings: the rate between them', () => {
    const c = { requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 10 }, last: { atMs: 300_000, pct: 30 } };
    expect(expectedFinishMs(c)).toBeCloseTo(300_000 + 69.5 / 1e-4, 3);
  });

  it('at 100 %: now', () => {
    expect(expectedFinishMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 50 }, last: { atMs: 200_000, pct: 100 } })).toBe(200_000);
  });
});

describe('finishWindowMs', () => {
  it('is unknown before progress', () => {
    expect(finishWindowMs({ requestedAtMs: 0, sizeGiB: 1 })).toBeNull();
    expect(finishWindowMs({ requestedAtMs: 0, sizeGiB: 1, last: { atMs: 9, pct: 0 } })).toBeNull();
  });

  it('one reading: from now to the end at the slowest rate since the request', () => {
    expect(finishWindowMs({ requestedAtMs: 0, sizeGiB: 1, last: { atMs: 100_000, pct: 20 } })).toEqual({ earliestMs: 100_000, latestMs: 500_000, rateSeen: false });
    expect(finishWindowMs({ requestedAtMs: 100_000, sizeGiB: 1, last: { atMs: 100_000, pct: 1 } })).toEqual({ earliestMs: 100_000, latestMs: 100_099, rateSeen: false });
  });

  it('two readings: the rate between them, give or take the percent each may hide', () => {
    const w = finishWindowMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 200_000, pct: 10 }, last: { atMs: 300_000, pct: 30 } })!;
    expect(w.rateSeen).toBe(true);
    expect(w.earliestMs).toBeCloseTo(300_000 + 69 / 21e-5, 3);
    expect(w.latestMs).toBeCloseTo(300_000 + 70 / 19e-5, 3);
  });

  it('the slowest rate is at least the average since the request', () => {
    const w = finishWindowMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 10 }, last: { atMs: 300_000, pct: 30 } })!;
    expect(w.latestMs).toBeCloseTo(1_000_000, 3);
  });

  it('never ends before it starts, and ends now at 100 %', () => {
    const w = finishWindowMs({ requestedAtMs: 299_999, sizeGiB: 1, first: { atMs: 200_000, pct: 10 }, last: { atMs: 300_000, pct: 30 } })!;
    expect(w.latestMs).toBe(w.earliestMs);
    expect(finishWindowMs({ requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 50 }, last: { atMs: 200_000, pct: 100 } })).toEqual({
      earliestMs: 200_000,
      latestMs: 200_000,
      rateSeen: true,
    });
  });
});

describe('nextPollAtMs', () => {
  it('before progress: at the prior, within the minimum and maximum interval', () => {
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 16 }, 0)).toBe(150_000);
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 16 }, 1_000_000)).toBe(1_005_000);
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 10_000 }, 0)).toBe(7_200_000);
  });

  it('before progress: early enough for a copy faster than the throughput prior', () => {
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80, priorMs: 100_000 }, 0)).toBe(110_000);
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80, priorMs: 1_000_000 }, 0)).toBe(630_000);
  });

  it('seen at 0 %: the expected end, or a twentieth of the expected time later if that is further', () => {
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80, last: { atMs: 0, pct: 0 } }, 0)).toBe(630_000);
    expect(nextPollAtMs({ requestedAtMs: 0, sizeGiB: 80, last: { atMs: 700_000, pct: 0 } }, 700_000)).toBe(731_500);
  });

  it('one reading: four-fifths of the way to the expected end while it is far, the end itself near it', () => {
    const c: CopyProgress = { requestedAtMs: 0, sizeGiB: 1, last: { atMs: 145_000, pct: 11 } };
    expect(nextPollAtMs(c, 145_000)).toBeCloseTo(145_000 + 0.8 * 885_000, 3);
    expect(nextPollAtMs(c, 870_000)).toBeCloseTo(1_030_000, 3);
    expect(nextPollAtMs(c, 900_000)).toBeCloseTo(1_030_000, 3);
  });

  it('a narrow window: its latest end', () => {
    const c: CopyProgress = { requestedAtMs: 0, sizeGiB: 1, first: { atMs: 200_000, pct: 10 }, last: { atMs: 300_000, pct: 30 } };
    expect(nextPollAtMs(c, 300_000)).toBeCloseTo(300_000 + 70 / 19e-5, 3);
    const fast: CopyProgress = { requestedAtMs: 0, sizeGiB: 1, first: { atMs: 100_000, pct: 10 }, last: { atMs: 200_000, pct: 90 } };
    expect(nextPollAtMs(fast, 200_000)).toBeCloseTo(200_000 + 10 / 79e-5, 3);
    // The latest end is near: still no sooner than the minimum interval.
    expect(nextPollAtMs(fast, 211_200)).toBe(216_200);
  });

  it('a wide window far ahead: a look on the way; nearer: the earliest end plus the target lag', () => {
    // Slowest 3e-5 per ms (since the request), fastest 3/90 000 per ms: earliest 2 980 000, latest 3 333 333.
    const c: CopyProgress = { requestedAtMs: 0, sizeGiB: 1, first: { atMs: 10_000, pct: 1 }, last: { atMs: 100_000, pct: 3 } };
    expect(nextPollAtMs(c, 100_000)).toBeCloseTo(100_000 + 0.8 * 2_880_000, 3);
    expect(nextPollAtMs(c, 2_000_000)).toBeCloseTo(2_980_000 + 40_000, 3);
    // Far, but narrow against one percent of the expected time: no look on the way.
    expect(nextPollAtMs(c, 100_000, { ...DEFAULT_POLL, targetLagMs: 200_000 })).toBeCloseTo(2_980_000 + 200_000, 3);
  });
});

describe('regionWakeAtMs', () => {
  it('the earliest of polls and retries, either alone, or null', () => {
    expect(regionWakeAtMs([5, 3], [4])).toBe(3);
    expect(regionWakeAtMs([9], [])).toBe(9);
    expect(regionWakeAtMs([], [7, 2])).toBe(2);
    expect(regionWakeAtMs([], [])).toBeNull();
  });
});
