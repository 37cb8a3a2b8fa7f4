/**
 * The decisions of one pass over a region, as pure functions of plain data: which deliveries to
 * cancel and to look at, what the cloud's answer means for each copy, what may start, and when
 * the region wants to be woken next. No database, no cloud, no clock: `nowMs` comes in.
 * engine.ts runs them in order, each on what the effects of the one before left.
 */
import { DeliveryErrorCode, type DeliveryError } from '../domain/delivery/delivery-error.ts';
import type { CloudImage } from '../cloud/provider.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { observedScale, priorCopyMs } from '../domain/delivery/copy-estimate.ts';
import { PRIOR_SPEEDS, type RouteSpeeds } from '../domain/delivery/learned-speeds.ts';
import { deliveryEstimate, progressOf, sizeOf, sourceRegionOf } from '../store/delivery-progress.ts';
import { expectedFinishMs, nextPollAtMs, regionWakeAtMs, type PollPolicy } from './poll-plan.ts';
import type { Route } from './relay-plan.ts';
import { planSlots, type RunningCopy, type SlotPlan } from './slot-plan.ts';

/** The cloud runs at most this many copies into one region at a time; more would queue there. */
export const COPIES_PER_REGION = 5;
/** A copy whose poll falls this close after the pass is looked at in it (wake-up times are not whole milliseconds). */
export const POLL_DUE_TOLERANCE_MS = 1_000;
/** After a cancellation the cloud refused, look again this much later. */
export const CANCEL_RETRY_MS = 5_000;

/** Deliveries whose owner asked to cancel them and that are not Cancelled yet: first, as they free slots. */
export function toCancel<T extends DeliveryRow>(rows: readonly T[]): T[] {
  return rows.filter((r) => r.cancel_requested && r.state !== 'Cancelled');
}

/**
 * The running copies to describe: all of them when one is due for a look, none otherwise — a
 * pass woken for other reasons (an ingest done, a retry) does not spend a call on copies not
 * expected to have changed.
 */
export function toPoll<T extends DeliveryRow>(live: readonly T[], nowMs: number): T[] {
  const inFlight = live.filter((r) => r.state === 'Copying' && r.image_id);
  const due = (r: T) => r.next_poll_at_ms === null || r.next_poll_at_ms <= nowMs + POLL_DUE_TOLERANCE_MS;
  return inFlight.some(due) ? inFlight : [];
}

/** What the cloud's answer means for one running copy. */
export type Verdict =
  /** Not in an answer that failed: nothing is known. */
  | { type: 'unknown' }
  | { type: 'available'; imageId: string }
  /** Gone from an answer that succeeded: nothing in the cloud to delete. */
  | { type: 'missing'; error: DeliveryError }
  /** The cloud gave up on the copy; it is of no use to anyone: delete it rather than leave an orphan. */
  | { type: 'failed'; error: DeliveryError; imageId: string }
  | { type: 'running'; pct: number; status: string };

export function judge(d: Pick<DeliveryRow, 'image_id' | 'region'>, seen: ReadonlyMap<string, CloudImage>, pollFailed: boolean): Verdict {
  const img = seen.get(d.image_id!);
  if (!img) {
    if (pollFailed) return { type: 'unknown' };
    return { type: 'missing', error: { code: DeliveryErrorCode.COPY_LOST, cloudCode: null, message: `the copy ${d.image_id} disappeared from ${d.region}` } };
  }
  if (img.status === 'Available') return { type: 'available', imageId: img.imageId };
  if (img.status === 'CreateFailed' || img.status === 'UnAvailable' || img.status === 'Deprecated') {
    const message = `ECS reported the copy ${img.imageId} into ${d.region} as ${img.status} at ${img.progressPct}%`;
    return { type: 'failed', error: { code: DeliveryErrorCode.COPY_FAILED, cloudCode: img.status, message }, imageId: img.imageId };
  }
  return { type: 'running', pct: img.progressPct, status: img.status };
}

/** A look at a running copy that is still running: what to record, and when to look next. */
export function observation(d: DeliveryRow, pct: number, status: string, nowMs: number, poll: PollPolicy) {
  const seen = progressOf(d, nowMs);
  const first = seen.first ?? (pct > 0 ? { atMs: nowMs, pct } : undefined);
  return { pct, status, first, nowMs, nextPollAtMs: nextPollAtMs({ ...seen, first, last: { atMs: nowMs, pct } }, nowMs, poll) };
}

/** The first look at a copy just started (or found). */
export function firstPollAtMs(d: DeliveryRow, requestedAtMs: number, nowMs: number, poll: PollPolicy, speeds: RouteSpeeds = PRIOR_SPEEDS): number {
  const sizeGiB = sizeOf(d);
  return nextPollAtMs({ requestedAtMs, sizeGiB, priorMs: priorCopyMs(sizeGiB, sourceRegionOf(d), d.region, speeds) }, nowMs, poll);
}

/** When an ingest still under way is expected to be Available: from its progress, else from its size. */
export function expectedIngestEnd(ingest: DeliveryRow, nowMs: number, poll: PollPolicy, speeds: RouteSpeeds = PRIOR_SPEEDS): number {
  return deliveryEstimate(ingest, nowMs, poll.priorLatencyMs, nowMs, speeds).endMs;
}

/**
 * Interrupted starts first (their copy may already run in the cloud: finding it costs no new
 * slot), then ingests (they unblock every region of a version), then entry copies (they unblock
 * the rest of their area).
 */
function priority(d: DeliveryRow): number {
  if (d.state === 'Copying') return 0;
  return d.kind === 'ingest' ? 1 : 2;
}

/** A copy settled without the cloud: its ingest failed, or the ingested image is this region's copy. */
export type Settled<T> = { row: T; outcome: 'Failed'; error: DeliveryError } | { row: T; outcome: 'Available'; imageId: string };

export interface StartPlan<T> {
  /** Copies holding a slot. */
  occupying: T[];
  /** Settled before anything starts, in row order. */
  settled: Settled<T>[];
  /** Started ahead of the slot planner, in this order: interrupted starts and due ingests. */
  startFirst: T[];
  /** Copies for the slot planner, with when each may start and, when routed, where from. */
  copies: { row: T; readyAtMs: number; fromRegion?: string }[];
}

/** How the relay plan routes the region's ready copies (none: every copy direct from the ingest). */
export interface StartRouting {
  routes: ReadonlyMap<string, Route>;
  /** Entry copies, started ahead of the slot planner like ingests. */
  entries: ReadonlySet<string>;
  /** Ready copies left unrouted this pass (a long backlog): not candidates until a later pass routes them. */
  deferred?: ReadonlySet<string>;
}

const DIRECT: StartRouting = { routes: new Map(), entries: new Set() };

/** Sorts the region's deliveries (none with a cancellation asked) by what may start and how. */
export function planStarts<T extends DeliveryRow>(
  active: readonly T[],
  ingestOf: ReadonlyMap<string, DeliveryRow>,
  nowMs: number,
  poll: PollPolicy,
  speeds: RouteSpeeds = PRIOR_SPEEDS,
  routing: StartRouting = DIRECT,
): StartPlan<T> {
  const plan: StartPlan<T> = { occupying: active.filter((r) => r.state === 'Copying' && r.image_id), settled: [], startFirst: [], copies: [] };
  for (const d of active) {
    if (d.state === 'Copying' && !d.image_id) plan.startFirst.push(d);
    if (d.state !== 'Pending') continue;
    if (d.kind === 'ingest') {
      if ((d.next_attempt_at_ms ?? 0) <= nowMs) plan.startFirst.push(d);
      continue;
    }
    const ingest = ingestOf.get(d.version_id);
    if (!ingest) continue;
    if (ingest.state === 'Pending' || ingest.state === 'Copying') {
      plan.copies.push({ row: d, readyAtMs: Math.max(nowMs + 1, expectedIngestEnd(ingest, nowMs, poll, speeds)) });
      continue;
    }
    if (ingest.state !== 'Available' || !ingest.image_id) {
      const message = `bringing the source image into the distribution account failed: ${ingest.error_message ?? ingest.state}`;
      plan.settled.push({ row: d, outcome: 'Failed', error: { code: DeliveryErrorCode.INGEST_FAILED, cloudCode: ingest.error_cloud_code, message } });
      continue;
    }
    if (d.region === ingest.region) {
      plan.settled.push({ row: d, outcome: 'Available', imageId: ingest.image_id });
      continue;
    }
    if (routing.deferred?.has(d.id)) continue;
    const route = routing.routes.get(d.id);
    const readyAtMs = d.next_attempt_at_ms ?? 0;
    if (route?.type === 'wait') plan.copies.push({ row: d, readyAtMs: Math.max(readyAtMs, route.untilMs), fromRegion: route.fromRegion });
    else if (routing.entries.has(d.id) && readyAtMs <= nowMs) plan.startFirst.push(d);
    else plan.copies.push({ row: d, readyAtMs, ...(route ? { fromRegion: route.from.region } : {}) });
  }
  // Larger first among equals: an unknown size (not yet looked at) sorts last, not as the default size.
  plan.startFirst.sort((a, b) => priority(a) - priority(b) || (b.size_gib ?? 0) - (a.size_gib ?? 0) || a.created_at.getTime() - b.created_at.getTime());
  return plan;
}

/** Which ready copies to start in the free slots (see slot-plan.ts), from what the region shows. */
export function planCopies(
  region: string,
  freeSlots: number,
  running: readonly DeliveryRow[],
  copies: readonly { row: DeliveryRow; readyAtMs: number; fromRegion?: string }[],
  nowMs: number,
  poll: PollPolicy,
  random: () => number,
  speeds: RouteSpeeds = PRIOR_SPEEDS,
): SlotPlan {
  const priorOf = (d: DeliveryRow) => priorCopyMs(sizeOf(d), sourceRegionOf(d), region, speeds);
  // How much slower or faster than the priors this region's copies actually run.
  const scale = observedScale(
    running.flatMap((d) => {
      const p = progressOf(d, nowMs);
      return p.first && p.last ? [{ priorMs: priorOf(d), first: p.first, last: p.last }] : [];
    }),
  );
  const estimate = (d: DeliveryRow): RunningCopy =>
    d.obs_last_pct !== null && d.obs_last_pct > 0
      ? { kind: 'known', endMs: expectedFinishMs(progressOf(d, nowMs), poll) }
      : { kind: 'estimated', startMs: d.requested_at_ms ?? nowMs, expectedMs: scale * priorOf(d) };
  return planSlots({
    nowMs,
    freeSlots,
    running: running.map(estimate),
    candidates: copies.map((c) => ({ id: c.row.id, expectedMs: scale * priorCopyMs(sizeOf(c.row), c.fromRegion ?? sourceRegionOf(c.row), region, speeds), readyAtMs: c.readyAtMs })),
    random,
  });
}

export interface WakeInput {
  /** The region's deliveries with work left, as the pass left them. */
  after: readonly DeliveryRow[];
  ingestOf: ReadonlyMap<string, DeliveryRow>;
  nowMs: number;
  poll: PollPolicy;
  /** The describe call failed: its retry time stands for the polls it could not refresh. */
  pollFailed: boolean;
  /** The slot planner deliberately left slots idle. */
  holding: boolean;
  freeSlots: number;
  /** Some ingested image could not be released yet. */
  releaseLeft: boolean;
  /** Times at which failed calls are to be tried again. */
  retryAtMs: readonly number[];
  /** Copies waiting for their entry region: its verdict wakes this region, no wake-up of their own. */
  waiting?: ReadonlySet<string>;
}

/** When the region wants its next pass (null: nothing left to do). */
export function nextWakeAtMs(w: WakeInput): number | null {
  const { after, nowMs, poll } = w;
  // A poll time already past is one this pass could not refresh: after a failed poll the
  // retry time stands for it, otherwise look again shortly — never again at this instant.
  const polls = after
    .filter((r) => r.state === 'Copying' && r.next_poll_at_ms !== null)
    .flatMap((r) => (r.next_poll_at_ms! > nowMs ? [r.next_poll_at_ms!] : w.pollFailed ? [] : [nowMs + poll.minIntervalMs]));
  // Slots the planner keeps free wait for the ingest it waits for: its completion wakes every
  // region of the version (and a retry has its own wake-up), so no wake-up of its own.
  const pendingReady =
    !w.holding &&
    w.freeSlots > 0 &&
    after.some(
      (r) => r.state === 'Pending' && (r.next_attempt_at_ms ?? 0) <= nowMs && !w.waiting?.has(r.id) && (r.kind === 'ingest' || w.ingestOf.get(r.version_id)?.state === 'Available'),
    );
  // Retries already due wait for a slot like any ready copy (pendingReady above).
  const pendingRetries = after.filter((r) => r.state === 'Pending' && r.next_attempt_at_ms !== null && r.next_attempt_at_ms > nowMs).map((r) => r.next_attempt_at_ms!);
  const unstarted = after.some((r) => r.state === 'Copying' && !r.image_id);
  return regionWakeAtMs([...polls, ...(pendingReady || unstarted || w.releaseLeft ? [nowMs + poll.minIntervalMs] : [])], [...pendingRetries, ...w.retryAtMs]);
}
