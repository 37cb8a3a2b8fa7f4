/**
 * The slot planner's choices with exact durations (jitter 0, one sample), so every decision
 * can be worked out by hand: what starts, when a slot is held, and the fallback past the limits.
 */
import { describe, expect, it } from 'vitest';
import { completeLongestFirst, longestFirst, planSlots, type CandidateCopy, type RunningCopy, type SlotPlanInput } from './slot-plan.ts';

const exact = { jitter: 0, samples: 1, startOverheadMs: 0 };
const plan = (input: Omit<SlotPlanInput, 'random'> & { random?: () => number }) => planSlots({ random: () => 0.5, ...input, policy: { ...exact, ...input.policy } });
const copy = (id: string, expectedMs: number, readyAtMs = 0): CandidateCopy => ({ id, expectedMs, readyAtMs });

describe('planSlots: nothing to do', () => {
  it('starts nothing without a free slot or a candidate', () => {
    expect(plan({ nowMs: 0, freeSlots: 0, running: [], candidates: [copy('a', 10)] })).toEqual({ start: [], holdUntilMs: null });
    expect(plan({ nowMs: 0, freeSlots: -2, running: [], candidates: [copy('a', 10)] })).toEqual({ start: [], holdUntilMs: null });
    expect(plan({ nowMs: 0, freeSlots: 3, running: [], candidates: [] })).toEqual({ start: [], holdUntilMs: null });
  });

  it('starts nothing and holds nothing when no candidate is ready yet', () => {
    expect(plan({ nowMs: 0, freeSlots: 2, running: [], candidates: [copy('a', 10, 5)] })).toEqual({ start: [], holdUntilMs: null });
  });
});

describe('planSlots: ready copies', () => {
  it('fills one slot with the longest copy when the order does not change the finish', () => {
    expect(plan({ nowMs: 0, freeSlots: 1, running: [], candidates: [copy('b', 50), copy('a', 100)] })).toEqual({ start: ['a'], holdUntilMs: null });
  });

  it('fills every free slot, longest first, a copy ready exactly now included', () => {
    expect(plan({ nowMs: 7, freeSlots: 3, running: [], candidates: [copy('b', 50, 7), copy('a', 100), copy('c', 20, 8)] })).toEqual({
      start: ['a', 'b'],
      holdUntilMs: null,
    });
  });
});

describe('planSlots: holding a slot', () => {
  // One slot busy until `busyUntil`, one free. Ready now: b (50). Ready at 10: a (1000).
  // Start b: a goes on the busy slot when it frees → busyUntil + 1000.
  // Hold until 10: a starts at 10 → 1010; b follows on the other slot.
  const input = (running: RunningCopy, nowMs = 0) => ({ nowMs, freeSlots: 1, running: [running], candidates: [copy('b', 50, nowMs), copy('a', 1000, nowMs + 10)] });

  it('holds the slot when waiting finishes more than a millisecond earlier', () => {
    expect(plan(input({ kind: 'known', endMs: 20 }))).toEqual({ start: [], holdUntilMs: 10 });
    expect(plan(input({ kind: 'estimated', startMs: 0, expectedMs: 20 }))).toEqual({ start: [], holdUntilMs: 10 });
  });

  it('starts the ready copy when waiting gains a millisecond or less', () => {
    expect(plan(input({ kind: 'known', endMs: 11 }))).toEqual({ start: ['b'], holdUntilMs: null });
    expect(plan(input({ kind: 'estimated', startMs: 0, expectedMs: 11 }))).toEqual({ start: ['b'], holdUntilMs: null });
  });

  it('judges the gain by the mean over samples, not the sum', () => {
    expect(plan({ ...input({ kind: 'known', endMs: 11 }), policy: { samples: 2 } })).toEqual({ start: ['b'], holdUntilMs: null });
  });

  it('holds until the first of the copies not ready yet', () => {
    const r = plan({ ...input({ kind: 'known', endMs: 20 }), candidates: [copy('b', 50), copy('a', 1000, 10), copy('z', 1, 500)] });
    expect(r).toEqual({ start: [], holdUntilMs: 10 });
  });

  it('counts a running copy overdue by its estimate or report as ending now', () => {
    // At 100 the busy slot "ended" at 20: it is free now, so a can start on it when ready.
    expect(plan(input({ kind: 'known', endMs: 20 }, 100))).toEqual({ start: ['b'], holdUntilMs: null });
    expect(plan(input({ kind: 'estimated', startMs: 0, expectedMs: 20 }, 100))).toEqual({ start: ['b'], holdUntilMs: null });
  });

  it('adds the start overhead to an estimated running copy', () => {
    // With 9 ms of overhead the busy slot frees at 20 instead of 11, and holding pays again.
    expect(plan({ ...input({ kind: 'estimated', startMs: 0, expectedMs: 11 }), policy: { startOverheadMs: 9 } })).toEqual({ start: [], holdUntilMs: 10 });
  });

  it('scales estimated durations by the sampled factor', () => {
    // jitter 0.5 and a draw of 1: factor 1.5, the busy slot ends at 30 and candidates take 1.5×.
    const r = plan({ ...input({ kind: 'estimated', startMs: 0, expectedMs: 20 }), random: () => 1, policy: { jitter: 0.5 } });
    expect(r).toEqual({ start: [], holdUntilMs: 10 });
    // A draw of 0: factor 0.5, the busy slot frees at 10 and a can start there.
    expect(plan({ ...input({ kind: 'estimated', startMs: 0, expectedMs: 22 }), random: () => 0, policy: { jitter: 0.5 } })).toEqual({ start: ['b'], holdUntilMs: null });
  });
});

describe('planSlots: past its limits', () => {
  it('falls back to the longest ready copies when there are more candidates than it evaluates', () => {
    const candidates = [copy('a', 10), copy('b', 30), copy('c', 99, 5), copy('d', 20)];
    expect(plan({ nowMs: 0, freeSlots: 2, running: [], candidates, policy: { maxCandidates: 3 } })).toEqual({ start: ['b', 'd'], holdUntilMs: null });
    expect(plan({ nowMs: 0, freeSlots: 9, running: [], candidates, policy: { maxCandidates: 3 } })).toEqual({ start: ['b', 'd', 'a'], holdUntilMs: null });
    // At the limit it still plans: c on the busy slot at 8 would end at 107; holding the free slot until 5, at 104.
    expect(plan({ nowMs: 0, freeSlots: 1, running: [{ kind: 'known', endMs: 8 }], candidates, policy: { maxCandidates: 4 } })).toEqual({ start: [], holdUntilMs: 5 });
  });

  it('evaluates an even spread of the ready copies, the longest and the shortest always among them', () => {
    // Three ready copies, two choices: the middle one is never considered, so it is not started first.
    const candidates = [copy('a', 100), copy('b', 60), copy('c', 40)];
    const r = plan({ nowMs: 0, freeSlots: 1, running: [{ kind: 'known', endMs: 60 }], candidates, policy: { maxChoices: 2 } });
    expect(r.start).toEqual(['a']);
  });
});

describe('longestFirst', () => {
  it('orders by expected time, longest first, then by ID, without touching its input', () => {
    const input = [copy('b', 5), copy('c', 9), copy('a', 5), copy('a2', 1)];
    expect(longestFirst(input).map((c) => c.id)).toEqual(['c', 'a', 'b', 'a2']);
    expect(input.map((c) => c.id)).toEqual(['b', 'c', 'a', 'a2']);
    expect(longestFirst([copy('x', 1), copy('x', 1)]).map((c) => c.id)).toEqual(['x', 'x']);
  });
});

describe('completeLongestFirst', () => {
  const end = (c: CandidateCopy, at: number) => at + c.expectedMs;

  it('is zero with no slots, and the latest slot with nothing pending', () => {
    expect(completeLongestFirst([], [copy('a', 5)], end)).toBe(0);
    expect(completeLongestFirst([3, 9, 4], [], end)).toBe(9);
  });

  it('keeps the latest running slot as the makespan when the copies finish before it', () => {
    expect(completeLongestFirst([0, 100], [copy('a', 10), copy('b', 5)], end)).toBe(100);
  });

  it('takes the earliest free slot, the first slot on a tie', () => {
    // Slots free at 4, 2, 2: a (10) goes on the second slot (2 → 12), b (1) on the third (2 → 3).
    expect(completeLongestFirst([4, 2, 2], [copy('a', 10), copy('b', 1)], (c, at) => (c.id === 'b' ? at * 100 + 1 : at + c.expectedMs))).toBe(201);
  });

  it('waits for the first copy to become ready when none is ready at the free slot', () => {
    // Slot free at 0; c ready at 30 (5), d ready at 20 (7): d starts at 20 → 27, c at 30 → 35.
    expect(completeLongestFirst([0], longestFirst([copy('c', 5, 30), copy('d', 7, 20)]), end)).toBe(35);
    expect(completeLongestFirst([0], longestFirst([copy('d', 7, 20), copy('c', 9, 20)]), end)).toBe(36);
  });

  it('starts a copy ready exactly when the slot frees without waiting', () => {
    expect(completeLongestFirst([10], [copy('a', 5, 10)], end)).toBe(15);
  });
});
