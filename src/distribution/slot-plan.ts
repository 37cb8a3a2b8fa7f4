/**
 * Which copies to start in a region's free slots, and when to keep a slot free for a copy
 * whose source is about to be ready. Pure: a function of the region's state, the time and a
 * random source.
 *
 * The rule is a one-step rollout over the longest-first rule. The base rule (LPT) starts, on
 * the earliest free slot, the ready copy expected to take longest. For each choice open now —
 * each ready copy, or leaving the free slots idle until the next copy becomes ready — the
 * planner completes the region's schedule with the base rule under S sampled copy durations
 * (expected ± jitter, because a copy's speed is unknown until it runs; the same samples for
 * every choice) and takes the choice with the least mean makespan. The base rule's own choice
 * is one of those evaluated, so the plan is never worse than LPT by the planner's estimate; it
 * is better where LPT leaves a long copy for the end or fills a slot with a short copy that
 * would have balanced the finish.
 */
import { START_OVERHEAD_MS } from '../domain/delivery/copy-estimate.ts';

/** A copy occupying a slot: its end known from progress, or estimated from its start. */
export type RunningCopy = { kind: 'known'; endMs: number } | { kind: 'estimated'; startMs: number; expectedMs: number };

export interface CandidateCopy {
  id: string;
  /** Expected transfer time once running. */
  expectedMs: number;
  /** When it may start: now or earlier when ready, later while its source is being prepared. */
  readyAtMs: number;
}

export interface SlotPlanPolicy {
  /** Duration samples per choice. */
  samples: number;
  /** A copy's actual duration lies within expected × (1 ± jitter). */
  jitter: number;
  /** Added to every copy: start latency and detection. */
  startOverheadMs: number;
  /** Choices evaluated per slot; with more ready copies, an even spread from longest to shortest. */
  maxChoices: number;
  /** Above this many candidates the planner falls back to the base rule alone. */
  maxCandidates: number;
}

export const DEFAULT_SLOT_PLAN: SlotPlanPolicy = {
  samples: 32,
  jitter: 0.2,
  startOverheadMs: START_OVERHEAD_MS,
  maxChoices: 16,
  maxCandidates: 60,
};

export interface SlotPlanInput {
  nowMs: number;
  freeSlots: number;
  running: readonly RunningCopy[];
  candidates: readonly CandidateCopy[];
  random: () => number;
  policy?: Partial<SlotPlanPolicy>;
}

export interface SlotPlan {
  /** Candidate IDs to start now, in order. */
  start: string[];
  /** Set when free slots are deliberately left idle (while a candidate is ready) until then. */
  holdUntilMs: number | null;
}

/** Longest expected first; ties by ID so the order is stable. */
export function longestFirst<T extends CandidateCopy>(candidates: readonly T[]): T[] {
  return [...candidates].sort((a, b) => b.expectedMs - a.expectedMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function planSlots(input: SlotPlanInput): SlotPlan {
  const policy = { ...DEFAULT_SLOT_PLAN, ...input.policy };
  const { nowMs, random } = input;
  const free = Math.max(0, input.freeSlots);
  let pending = longestFirst(input.candidates);
  const start: string[] = [];
  if (free === 0 || pending.length === 0) return { start, holdUntilMs: null };
  if (pending.length > policy.maxCandidates) {
    return { start: pending.filter((c) => c.readyAtMs <= nowMs).slice(0, free).map((c) => c.id), holdUntilMs: null };
  }

  const S = policy.samples;
  const overhead = policy.startOverheadMs;
  const draw = () => 1 - policy.jitter + 2 * policy.jitter * random();
  // Common random numbers: every choice is judged on the same sampled durations.
  const factors = new Map(pending.map((c) => [c.id, Array.from({ length: S }, draw)]));
  const slotEnds: number[][] = Array.from({ length: S }, () => []);
  for (const r of input.running) {
    for (let s = 0; s < S; s++) {
      slotEnds[s]!.push(r.kind === 'known' ? Math.max(nowMs, r.endMs) : Math.max(nowMs, r.startMs + overhead + r.expectedMs * draw()));
    }
  }
  const endOf = (c: CandidateCopy, s: number, at: number) => at + overhead + c.expectedMs * factors.get(c.id)![s]!;

  for (let k = 0; k < free; k++) {
    const ready = pending.filter((c) => c.readyAtMs <= nowMs);
    if (ready.length === 0) break;
    const later = pending.filter((c) => c.readyAtMs > nowMs);
    const nextReadyMs = later.length > 0 ? Math.min(...later.map((c) => c.readyAtMs)) : null;
    const idle = free - k;
    const choices: (CandidateCopy | null)[] = spread(ready, policy.maxChoices);
    if (nextReadyMs !== null) choices.push(null);

    let best: { value: number; choice: CandidateCopy | null } | null = null;
    for (const choice of choices) {
      const rest = choice === null ? pending : pending.filter((c) => c !== choice);
      let total = 0;
      for (let s = 0; s < S; s++) {
        const slots = [...slotEnds[s]!];
        if (choice === null) {
          for (let i = 0; i < idle; i++) slots.push(nextReadyMs!);
        } else {
          slots.push(endOf(choice, s, nowMs));
          for (let i = 1; i < idle; i++) slots.push(nowMs);
        }
        total += completeLongestFirst(slots, rest, (c, at) => endOf(c, s, at));
      }
      const value = total / S;
      // Strictly better by a millisecond: ties keep the earlier choice (longest first, waiting last).
      if (best === null || value < best.value - 1) best = { value, choice };
    }
    const chosen = best!.choice;
    if (chosen === null) return { start, holdUntilMs: nextReadyMs };
    start.push(chosen.id);
    for (let s = 0; s < S; s++) slotEnds[s]!.push(endOf(chosen, s, nowMs));
    pending = pending.filter((c) => c !== chosen);
  }
  return { start, holdUntilMs: null };
}

/** At most `max` of `sorted`, evenly spread over it, always including the first and last. */
function spread<T>(sorted: readonly T[], max: number): T[] {
  if (sorted.length <= max) return [...sorted];
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(Math.round((i * (sorted.length - 1)) / (max - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => sorted[i]!);
}

/**
 * The makespan of the base rule from here: repeatedly, on the earliest free slot, start the
 * longest ready candidate (`pending` is longest first), or, when none is ready by then, the
 * first to become ready, at that moment.
 */
export function completeLongestFirst(slotFreeMs: number[], pending: readonly CandidateCopy[], endOf: (c: CandidateCopy, startMs: number) => number): number {
  const slots = [...slotFreeMs];
  let makespan = slots.length > 0 ? Math.max(...slots) : 0;
  if (slots.length === 0) return makespan;
  const taken = new Array<boolean>(pending.length).fill(false);
  for (let placed = 0; placed < pending.length; placed++) {
    let slot = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[slot]!) slot = i;
    const freeAt = slots[slot]!;
    let pick = -1;
    let firstReady = -1;
    for (let j = 0; j < pending.length; j++) {
      if (taken[j]) continue;
      if (pending[j]!.readyAtMs <= freeAt) {
        pick = j;
        break;
      }
      if (firstReady < 0 || pending[j]!.readyAtMs < pending[firstReady]!.readyAtMs) firstReady = j;
    }
    const startAt = pick >= 0 ? freeAt : pending[firstReady]!.readyAtMs;
    if (pick < 0) pick = firstReady;
    taken[pick] = true;
    const end = endOf(pending[pick]!, startAt);
    slots[slot] = end;
    if (end > makespan) makespan = end;
  }
  return makespan;
}
