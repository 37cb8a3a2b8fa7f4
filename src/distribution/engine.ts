/**
 * The distribution engine: one pass per region at a time looks at every copy running into that
 * region with one DescribeImages, records what finished, starts what may start (never more than
 * the cloud's five per region), and asks to be woken when the next copy is expected to finish.
 * Every step is idempotent: a ClientToken derived from (version, kind, region, generation,
 * source image), the source recorded before the call, and a delivery tag on every copy mean a
 * pass killed at any instant never copies twice or loses a copy.
 *
 * This file only sequences: the decisions are pass-plan.ts and relay-plan.ts (pure), the cloud
 * calls cloud-steps.ts, their records delivery-steps.ts, the relay's reads relay-steps.ts, the
 * lease region-lease.ts, and what follows from finished deliveries settle-purge.ts.
 */
import type { Kysely } from 'kysely';
import { recordObservation } from '../store/deliveries-repo.ts';
import { anyUnfinished, copyRegionsOf, ingestsFor, loadRegion, loadSettleable, regionsWithWork, releasableIngests, type PassRow } from '../store/delivery-reads.ts';
import type { Database } from '../store/schema.ts';
import { describeMany } from './cloud-steps.ts';
import { cancelOne, discard, finish, ingestSource, releaseIngests, retryTime, start } from './delivery-steps.ts';
import { withDefaults, type EngineContext, type EngineOptions } from './engine-options.ts';
import { CANCEL_RETRY_MS, COPIES_PER_REGION, judge, nextWakeAtMs, observation, planCopies, planStarts, toCancel, toPoll } from './pass-plan.ts';
import { claimRegion, keepRegion, releaseRegion, rewakeForgotten, type Lease } from './region-lease.ts';
import { cancelsToHold, regionsWaitingOn, routeRegion, SourceSlots } from './relay-steps.ts';
import { purgeDeleted, settleVersions } from './settle-purge.ts';

export { clientToken, DELIVERY_TAG } from './cloud-steps.ts';
export type { EngineObserver, EngineOptions } from './engine-options.ts';
export { COPIES_PER_REGION } from './pass-plan.ts';

export class DistributionEngine {
  readonly #o: EngineContext;
  readonly #lease: Lease;

  constructor(options: EngineOptions) {
    this.#o = withDefaults(options);
    this.#lease = this.#o;
  }

  get db(): Kysely<Database> {
    return this.#o.db;
  }

  /**
   * Handles one wake-up. Skips it when a newer one superseded it; defers it when another
   * worker holds the region; otherwise runs a pass and schedules the next wake-up.
   */
  async handleWake(region: string, wakeAtMs: number): Promise<'ran' | 'superseded' | 'deferred'> {
    const claim = await claimRegion(this.#lease, region, wakeAtMs);
    if (claim !== 'claimed') return claim;
    let next: number | null | 'failed' = 'failed';
    const stopRenewing = keepRegion(this.#lease, region);
    try {
      next = await this.runPass(region);
    } finally {
      stopRenewing();
      await releaseRegion(this.#lease, region, next);
    }
    return 'ran';
  }

  /**
   * Re-wakes every region with unfinished work whose wake-up is missing or overdue and whose
   * lease has lapsed: after a crash, nothing waits for the wake-up the dead worker would have set.
   */
  async sweep(overdueMs: number): Promise<string[]> {
    // A deletion whose last copy went with a worker that died before finishing it.
    await this.purgeDeleted();
    // A version whose last region settled in a pass that died before settling the version
    // (nothing else would wake it: every region of it is final).
    const delivering = await this.#o.db.selectFrom('versions').select('id').where('state', '=', 'Delivering').where('delete_requested_at', 'is', null).execute();
    await this.settleVersions(delivering.map((v) => v.id));
    const candidates = new Set([...(await regionsWithWork(this.#o.db)), ...(await releasableIngests(this.#o.db, null)).map((r) => r.region)]);
    return rewakeForgotten(this.#lease, candidates, overdueMs);
  }

  /** One pass over a region; returns when it wants to be woken next (null: nothing to do). */
  async runPass(region: string): Promise<number | null> {
    const o = this.#o;
    // Steps 1 and 2 act only on what runs or is being cancelled: the queue is read once, in step 3.
    const rows = await loadRegion(o.db, region, 'inFlight');
    const speeds = await o.speeds.forPass();
    const touchedVersions = new Set<string>();
    const wakeRegions = new Map<string, number>();
    const retryAt: number[] = [];
    /** Every region of a version learns now what its ingest's verdict means for it. */
    const wakeVersion = async (versionId: string, atMs: number) => {
      for (const r of await copyRegionsOf(o.db, versionId)) wakeRegions.set(r, atMs);
    };

    // 1. Cancellations first: they free slots. An image another region still copies from waits
    // until that copy is stopped.
    const cancels = toCancel(rows);
    const held = o.relay ? await cancelsToHold(o, region, cancels) : new Set<string>();
    for (const d of cancels) {
      if (!held.has(d.id) && (await cancelOne(o, d))) touchedVersions.add(d.version_id);
      else retryAt.push(o.clock.nowMs() + CANCEL_RETRY_MS);
    }
    const live = rows.filter((r) => !r.cancel_requested);

    // 2. One DescribeImages (per 100) for every copy running into this region, when one is due.
    const running = toPoll(live, o.clock.nowMs());
    const { seen, errors } = await describeMany({ cloud: o.cloud, account: o.distributionAccount }, region, running.map((r) => r.image_id!));
    for (const error of errors) retryAt.push(retryTime(o, error, 1));
    const pollFailed = errors.length > 0;
    const nowMs = o.clock.nowMs();
    /** Running copies this pass saw finish. */
    const finished = new Set<string>();
    for (const d of running) {
      const verdict = judge(d, seen, pollFailed);
      switch (verdict.type) {
        case 'unknown':
          continue;
        case 'running':
          await recordObservation(o.db, d, observation(d, verdict.pct, verdict.status, nowMs, o.poll));
          continue;
        case 'available':
          await finish(o, d, 'Available', null, verdict.imageId);
          if (d.kind === 'ingest') await wakeVersion(d.version_id, nowMs);
          break;
        case 'missing':
          await finish(o, d, 'Failed', verdict.error);
          break;
        case 'failed':
          await finish(o, d, 'Failed', verdict.error);
          if (d.kind === 'ingest') await wakeVersion(d.version_id, nowMs);
          await discard(o, d, verdict.imageId);
          break;
        default:
          verdict satisfies never;
      }
      finished.add(d.id);
      // The regions waiting to copy from this one start from it, or fall back.
      for (const r of await regionsWaitingOn(o, d)) wakeRegions.set(r, nowMs);
      touchedVersions.add(d.version_id);
    }

    // 3. Start what may start, up to the cloud's limit for this region: interrupted starts and
    // ingests first (an ingest unblocks every region of its version), then the copies the
    // slot planner picks.
    // With every slot still busy nothing can start: such a pass (most of those an ingest's verdict
    // wakes) reads only what settles without a slot, not the queue, so its cost does not grow with
    // the backlog. A queued retry needs a slot too, and a slot frees only in this region's passes.
    const stillRunning = live.filter((r) => r.state === 'Copying' && !finished.has(r.id));
    const full = stillRunning.length >= COPIES_PER_REGION && stillRunning.every((r) => r.image_id);
    const active = full ? [...stillRunning, ...(await loadSettleable(o.db, region))] : (await loadRegion(o.db, region)).filter((r) => !r.cancel_requested);
    const ingestOf = await ingestsFor(o.db, active);
    const routing = o.relay && !full ? await routeRegion(o, region, active, ingestOf, nowMs, speeds) : undefined;
    const plan = planStarts(active, ingestOf, nowMs, o.poll, speeds, routing);
    for (const s of plan.settled) {
      // The ingested image already is this region's copy, or the ingest failed.
      if (s.outcome === 'Available') await finish(o, s.row, 'Available', null, s.imageId);
      else await finish(o, s.row, 'Failed', s.error);
      touchedVersions.add(s.row.version_id);
    }
    let slots = COPIES_PER_REGION - plan.occupying.length;
    const startedNow: PassRow[] = [];
    /** Queued deliveries this pass started or settled: the rest of `active` is still queued as read. */
    const acted = new Set(plan.settled.map((s) => s.row.id));
    /** Ready copies whose source has no slot out (with a cap on that side) and no other holder near enough. */
    const blocked = new Set<string>();
    const sourceSlots = slots > 0 ? await SourceSlots.read(o) : null;
    const plannedSource = (d: PassRow) => {
      const ingest = ingestOf.get(d.version_id);
      const route = routing?.routes.get(d.id);
      return d.kind === 'ingest' ? ingestSource(d) : route?.type === 'copy' ? route.from : { region: ingest!.region, imageId: ingest!.image_id! };
    };
    /** Where `d` starts from now, within the cap on copies out of a source; null (and counted blocked): it waits. */
    const sourceFor = async (d: PassRow) => {
      const planned = plannedSource(d);
      // An interrupted start completes from the source it recorded (already counted), whatever the count.
      if (!sourceSlots || d.state !== 'Pending') return planned;
      const chosen = await sourceSlots.choose(d, planned, ingestOf.get(d.version_id), nowMs, speeds);
      if (chosen === null) blocked.add(d.id);
      return chosen;
    };
    const startOne = async (d: PassRow) => {
      const source = await sourceFor(d);
      if (source === null) return;
      const fresh = d.state === 'Pending';
      slots--;
      acted.add(d.id);
      const started = await start(o, d, source, routing?.entries.has(d.id) ?? false);
      if (started === 'started') {
        startedNow.push(d);
        // Counted where it runs from: the source it recorded (a copy found by its tag, started
        // from an earlier source, runs from that one).
        if (fresh) sourceSlots?.started({ region: d.copy_source_region ?? source.region, imageId: d.copy_source_image_id ?? source.imageId });
      } else {
        touchedVersions.add(d.version_id);
        if (typeof started === 'number') retryAt.push(started);
        else if (d.kind === 'ingest') await wakeVersion(d.version_id, nowMs);
      }
    };
    for (const d of plan.startFirst) {
      if (slots <= 0) break;
      await startOne(d);
    }
    let holding = false;
    // With a cap on copies out of a source, the ready copies that have no source with a slot out
    // are no candidates; a pick whose source fills up meanwhile (the picks before it) leaves its
    // slot to the next round's picks among the rest.
    if (sourceSlots && slots > 0) for (const c of plan.copies) if (c.readyAtMs <= nowMs) await sourceFor(c.row);
    for (let round = 0; slots > 0 && round < COPIES_PER_REGION; round++) {
      const candidates = plan.copies.filter((c) => !acted.has(c.row.id) && !blocked.has(c.row.id));
      if (!candidates.some((c) => c.readyAtMs <= nowMs)) break;
      const slotPlan = planCopies(region, slots, [...plan.occupying, ...startedNow], candidates, nowMs, o.poll, o.random, speeds);
      const byId = new Map(candidates.map((c) => [c.row.id, c.row]));
      const blockedBefore = blocked.size;
      for (const id of slotPlan.start) await startOne(byId.get(id)!);
      holding = slotPlan.holdUntilMs !== null;
      if (blocked.size === blockedBefore) break;
    }
    retryAt.push(...(sourceSlots?.recheckAtMs ?? []));

    // 4. Release ingested images no region needs any more.
    const releaseLeft = await releaseIngests(o, region);

    // 5. Version states, wake-ups of regions waiting for an ingest, and this region's next look.
    await this.settleVersions([...touchedVersions]);
    await this.purgeDeleted([...touchedVersions]);
    // What runs now, read again; what is still queued, as step 3 read it (a delivery queued since
    // was queued by a request that wakes this region itself).
    const after = [...(await loadRegion(o.db, region, 'inFlight')), ...active.filter((r) => r.state === 'Pending' && !acted.has(r.id))];
    await o.db.transaction().execute(async (trx) => {
      // Always in the same order, so two workers waking several regions never deadlock.
      for (const [r, at] of [...wakeRegions].sort(([a], [b]) => a.localeCompare(b))) if (r !== region) await o.wakeups.wake(trx, r, at);
    });
    const waiting = new Set([...(routing?.routes ?? [])].flatMap(([id, r]) => (r.type === 'wait' ? [id] : [])).concat([...blocked]));
    return nextWakeAtMs({ after, ingestOf, nowMs, poll: o.poll, pollFailed, holding, freeSlots: slots, releaseLeft, retryAtMs: retryAt, waiting });
  }

  /** True while any delivery is unfinished or any ingested image still waits to be released. */
  async hasUnfinishedWork(): Promise<boolean> {
    return (await anyUnfinished(this.#o.db)) || (await releasableIngests(this.#o.db, null)).length > 0;
  }

  /** See settle-purge.ts. */
  purgeDeleted(versionIds?: string[]): Promise<string[]> {
    return purgeDeleted(this.#o.db, this.#o.log, versionIds);
  }

  /** Recomputes the state of each version from its regions' delivery states (settle-purge.ts). */
  settleVersions(versionIds: string[]): Promise<void> {
    return settleVersions(this.#o, versionIds);
  }
}
