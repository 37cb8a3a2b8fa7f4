/**
 * The distribution engine: one pass per region at a time looks at every copy running into that
 * region with one DescribeImages, records what finished, starts what may start (never more than
 * the cloud's five per region), and asks to be woken when the next copy is expected to finish.
 * Every step is idempotent: a ClientToken derived from (version, kind, region, generation) and
 * a delivery tag on every copy mean a pass killed at any instant never copies twice or loses
 * a copy.
 */
import { createHash } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Wakeups } from '../app/ports.ts';
import { CloudError, MAX_DESCRIBE_IDS, type CloudImage, type CloudProvider } from '../cloud/provider.ts';
import { deriveVersionState, type DeliveryState } from '../domain/version-state.ts';
import type { Database, DeliveryRow } from '../store/schema.ts';
import { deletePackage as deletePackageRow, deleteVersion as deleteVersionRow, findLiveCopies } from '../store/packages-repo.ts';
import { decideRetry, CLOUD_RETRY, type RetryPolicy } from './retry-policy.ts';
import { priorCopyMs, observedScale, START_OVERHEAD_MS } from './copy-estimate.ts';
import { DEFAULT_POLL, expectedFinishMs, nextPollAtMs, regionWakeAtMs, type CopyProgress, type PollPolicy } from './poll-plan.ts';
import { planSlots, type RunningCopy, type SlotPlan } from './slot-plan.ts';

export const COPIES_PER_REGION = 5;
/** A copy whose poll falls this close after the pass is looked at in it (wake-up times are not whole milliseconds). */
const POLL_DUE_TOLERANCE_MS = 1_000;

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export interface EngineObserver {
  deliveryFinished?(d: { region: string; state: 'Available' | 'Failed'; durationMs: number | null; errorCode: string | null }): void;
}

export interface EngineOptions {
  db: Db;
  cloud: CloudProvider;
  clock: { nowMs(): number };
  wakeups: Wakeups;
  /** The platform account that holds every distributed copy. */
  distributionAccount: string;
  workerId: string;
  log: Logger;
  /** Real seconds a pass may hold its region before another worker may take over. */
  leaseSeconds?: number;
  retry?: RetryPolicy;
  poll?: PollPolicy;
  random?: () => number;
  observer?: EngineObserver;
  /** Crash testing: called at named points; a test build may kill the process there. */
  failpoint?: (name: 'after-copy-image') => void;
}

interface PassRow extends DeliveryRow {
  number: number | null;
  package_id: string;
  owner_id: string;
  package_name: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: CloudError };

async function attempt<T>(fn: () => Promise<T>, action: string): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof CloudError) return { ok: false, error: err };
    // A network failure or anything unexpected from an adapter: worth another try later.
    return { ok: false, error: new CloudError('transient', 'NetworkError', String((err as Error)?.message ?? err), action, 0) };
  }
}

/** The ClientToken of one copy attempt: ASCII, 43 characters, the same for every retry of it. */
export function clientToken(d: Pick<DeliveryRow, 'version_id' | 'kind' | 'region' | 'generation'>): string {
  const h = createHash('sha256').update(`${d.version_id}|${d.kind}|${d.region}|${d.generation}`).digest('hex');
  return `in-${h.slice(0, 40)}`;
}

export const DELIVERY_TAG = 'imagenest:delivery';

export class DistributionEngine {
  readonly #o: Required<Omit<EngineOptions, 'observer'>> & { observer: EngineObserver };

  constructor(options: EngineOptions) {
    this.#o = {
      failpoint: () => {},
      ...options,
      leaseSeconds: options.leaseSeconds ?? 60,
      retry: options.retry ?? CLOUD_RETRY,
      poll: options.poll ?? DEFAULT_POLL,
      random: options.random ?? Math.random,
      observer: options.observer ?? {},
    };
  }

  get db(): Db {
    return this.#o.db;
  }

  /**
   * Handles one wake-up. Skips it when a newer one superseded it; defers it when another
   * worker holds the region; otherwise runs a pass and schedules the next wake-up.
   */
  async handleWake(region: string, wakeAtMs: number): Promise<'ran' | 'superseded' | 'deferred'> {
    const { db, workerId, leaseSeconds } = this.#o;
    const claim = await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('region_schedule').selectAll().where('region', '=', region).forUpdate().executeTakeFirst();
      if (!row || row.wake_at_ms === null || Math.round(row.wake_at_ms) !== Math.round(wakeAtMs)) return 'superseded' as const;
      const leased = row.lease_holder && row.lease_holder !== workerId && row.lease_until && row.lease_until.getTime() > Date.now();
      if (leased) return 'deferred' as const;
      await trx
        .updateTable('region_schedule')
        .set({ wake_at_ms: null, lease_holder: workerId, lease_until: sql`now() + make_interval(secs => ${leaseSeconds})` })
        .where('region', '=', region)
        .execute();
      return 'claimed' as const;
    });
    if (claim === 'superseded') return claim;
    if (claim === 'deferred') {
      await db.transaction().execute(async (trx) => {
        // Keep the wake-up and look again shortly: the holder may not have seen this work.
        await trx.updateTable('region_schedule').set({ wake_at_ms: null }).where('region', '=', region).where('wake_at_ms', '=', wakeAtMs).execute();
        await this.#o.wakeups.wake(trx, region, this.#o.clock.nowMs() + 2_000);
      });
      return claim;
    }
    let next: number | null = null;
    let failed = true;
    try {
      next = await this.runPass(region);
      failed = false;
    } finally {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('region_schedule')
          .set({ lease_holder: null, lease_until: null })
          .where('region', '=', region)
          .where('lease_holder', '=', workerId)
          .execute();
        // After a failed pass, look again soon rather than never.
        if (failed) await this.#o.wakeups.wake(trx, region, this.#o.clock.nowMs() + 10_000);
        else if (next !== null) await this.#o.wakeups.wake(trx, region, next);
      });
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
    const nowMs = this.#o.clock.nowMs();
    const active = await this.#o.db
      .selectFrom('deliveries')
      .select('region')
      .distinct()
      .where((eb) => unfinished(eb, 'deliveries'))
      .execute();
    const candidates = new Set([...active.map((r) => r.region), ...(await this.releasable(null)).map((r) => r.region)]);
    if (candidates.size === 0) return [];
    const schedules = await this.#o.db.selectFrom('region_schedule').selectAll().where('region', 'in', [...candidates]).execute();
    const byRegion = new Map(schedules.map((s) => [s.region, s]));
    const regions = [...candidates].filter((region) => {
      const s = byRegion.get(region);
      if (!s) return true;
      const waiting = s.wake_at_ms !== null && s.wake_at_ms >= nowMs - overdueMs;
      const leased = s.lease_until !== null && s.lease_until.getTime() > Date.now();
      return !waiting && !leased;
    });
    if (regions.length > 0) {
      await this.#o.db.transaction().execute(async (trx) => {
        for (const region of [...regions].sort()) {
          await trx.updateTable('region_schedule').set({ wake_at_ms: null }).where('region', '=', region).where('wake_at_ms', '<', nowMs - overdueMs).execute();
          await this.#o.wakeups.wake(trx, region, nowMs);
        }
      });
    }
    return regions;
  }

  /** One pass over a region; returns when it wants to be woken next (null: nothing to do). */
  async runPass(region: string): Promise<number | null> {
    const o = this.#o;
    const rows = await this.loadRegion(region);
    const touchedVersions = new Set<string>();
    const wakeRegions = new Map<string, number>();
    const retryAt: number[] = [];

    // 1. Cancellations first: they free slots.
    for (const d of rows.filter((r) => r.cancel_requested && r.state !== 'Cancelled')) {
      const done = await this.cancelOne(d);
      if (done) touchedVersions.add(d.version_id);
      else retryAt.push(o.clock.nowMs() + 5_000);
    }
    const live = rows.filter((r) => !r.cancel_requested);

    // 2. One DescribeImages (per 100) for every copy running into this region — when one of
    // them is due for a look; a pass woken for other reasons (an ingest done, a retry) does not
    // spend a call on copies not expected to have changed.
    const clockMs = o.clock.nowMs();
    const inFlight = live.filter((r) => r.state === 'Copying' && r.image_id);
    const due = (r: PassRow) => r.next_poll_at_ms === null || r.next_poll_at_ms <= clockMs + POLL_DUE_TOLERANCE_MS;
    const running = inFlight.some(due) ? inFlight : [];
    const seen = new Map<string, CloudImage>();
    let pollFailed = false;
    for (let i = 0; i < running.length; i += MAX_DESCRIBE_IDS) {
      const ids = running.slice(i, i + MAX_DESCRIBE_IDS).map((r) => r.image_id!);
      const res = await attempt(() => o.cloud.describeImages({ account: o.distributionAccount, regionId: region, imageIds: ids }), 'DescribeImages');
      if (!res.ok) {
        pollFailed = true;
        retryAt.push(this.retryTime(res.error, 1));
        continue;
      }
      for (const img of res.value) seen.set(img.imageId, img);
    }
    const nowMs = o.clock.nowMs();
    for (const d of running) {
      if (pollFailed && !seen.has(d.image_id!)) continue;
      const img = seen.get(d.image_id!);
      if (!img) {
        await this.finish(d, 'Failed', { code: 'InvalidImageId.NotFound', message: `the copy ${d.image_id} disappeared from ${region}` });
      } else if (img.status === 'Available') {
        await this.finish(d, 'Available', null, img.imageId);
        if (d.kind === 'ingest') {
          for (const r of await this.versionRegions(d.version_id)) wakeRegions.set(r, nowMs);
        }
      } else if (img.status === 'CreateFailed' || img.status === 'UnAvailable' || img.status === 'Deprecated') {
        await this.finish(d, 'Failed', {
          code: img.status,
          message: `ECS reported the copy ${img.imageId} into ${region} as ${img.status} at ${img.progressPct}%`,
        });
        if (d.kind === 'ingest') {
          // Every region of the version learns now that its copy cannot start.
          for (const r of await this.versionRegions(d.version_id)) wakeRegions.set(r, nowMs);
        }
        // A failed copy is of no use to anyone: delete it rather than leave an orphan (best effort).
        const del = await attempt(() => o.cloud.deleteImage({ account: o.distributionAccount, regionId: region, imageId: img.imageId }), 'DeleteImage');
        if (del.ok || del.error.kind === 'notFound') {
          await o.db.updateTable('deliveries').set({ image_released: true }).where('id', '=', d.id).execute();
        }
      } else {
        await this.observe(d, img.progressPct, img.status, nowMs);
        continue;
      }
      touchedVersions.add(d.version_id);
    }

    // 3. Start what may start, up to the cloud's limit for this region: interrupted starts and
    // ingests first (an ingest unblocks every region of its version), then the copies the
    // slot planner picks.
    const fresh = await this.loadRegion(region);
    const active = fresh.filter((r) => !r.cancel_requested);
    const ingestOf = await this.ingestsFor(active);
    const occupying = active.filter((r) => r.state === 'Copying' && r.image_id);
    let slots = COPIES_PER_REGION - occupying.length;
    const startFirst: PassRow[] = [];
    const copies: { row: PassRow; readyAtMs: number }[] = [];
    for (const d of active) {
      if (d.state === 'Copying' && !d.image_id) startFirst.push(d);
      if (d.state !== 'Pending') continue;
      if (d.kind === 'ingest') {
        if ((d.next_attempt_at_ms ?? 0) <= nowMs) startFirst.push(d);
        continue;
      }
      const ingest = ingestOf.get(d.version_id);
      if (!ingest) continue;
      if (ingest.state === 'Pending' || ingest.state === 'Copying') {
        copies.push({ row: d, readyAtMs: Math.max(nowMs + 1, this.expectedIngestEnd(ingest, nowMs)) });
        continue;
      }
      if (ingest.state !== 'Available' || !ingest.image_id) {
        await this.finish(d, 'Failed', {
          code: ingest.error_code ?? 'IngestFailed',
          message: `bringing the source image into the distribution account failed: ${ingest.error_message ?? ingest.state}`,
        });
        touchedVersions.add(d.version_id);
        continue;
      }
      if (d.region === ingest.region) {
        // The ingested image already is this region's copy.
        await this.finish(d, 'Available', null, ingest.image_id);
        touchedVersions.add(d.version_id);
        continue;
      }
      copies.push({ row: d, readyAtMs: d.next_attempt_at_ms ?? 0 });
    }
    const startedNow: PassRow[] = [];
    const startOne = async (d: PassRow) => {
      slots--;
      const started = await this.start(d, ingestOf.get(d.version_id));
      if (started === 'started') startedNow.push(d);
      else {
        touchedVersions.add(d.version_id);
        if (typeof started === 'number') retryAt.push(started);
        else if (d.kind === 'ingest') for (const r of await this.versionRegions(d.version_id)) wakeRegions.set(r, nowMs);
      }
    };
    startFirst.sort((a, b) => priority(a) - priority(b) || (b.size_gib ?? 0) - (a.size_gib ?? 0) || a.created_at.getTime() - b.created_at.getTime());
    for (const d of startFirst) {
      if (slots <= 0) break;
      await startOne(d);
    }
    let holding = false;
    if (slots > 0 && copies.some((c) => c.readyAtMs <= nowMs)) {
      const plan = this.planCopies(region, slots, [...occupying, ...startedNow], copies, nowMs);
      const byId = new Map(copies.map((c) => [c.row.id, c.row]));
      for (const id of plan.start) await startOne(byId.get(id)!);
      holding = plan.holdUntilMs !== null;
    }

    // 4. Release ingested images no region needs any more.
    const releasable = await this.releaseIngests(region);

    // 5. Version states, wake-ups of regions waiting for an ingest, and this region's next look.
    await this.settleVersions([...touchedVersions]);
    await this.purgeDeleted([...touchedVersions]);
    const after = await this.loadRegion(region);
    await o.db.transaction().execute(async (trx) => {
      // Always in the same order, so two workers waking several regions never deadlock.
      for (const [r, at] of [...wakeRegions].sort(([a], [b]) => a.localeCompare(b))) if (r !== region) await o.wakeups.wake(trx, r, at);
    });
    // A poll time already past is one this pass could not refresh: after a failed poll the
    // retry time stands for it, otherwise look again shortly — never again at this instant.
    const polls = after
      .filter((r) => r.state === 'Copying' && r.next_poll_at_ms !== null)
      .flatMap((r) => (r.next_poll_at_ms! > nowMs ? [r.next_poll_at_ms!] : pollFailed ? [] : [nowMs + o.poll.minIntervalMs]));
    // Slots the planner keeps free wait for the ingest it waits for: its completion wakes every
    // region of the version (and a retry has its own wake-up), so no wake-up of its own.
    const pendingReady =
      !holding &&
      slots > 0 &&
      after.some(
        (r) => r.state === 'Pending' && (r.next_attempt_at_ms ?? 0) <= nowMs && (r.kind === 'ingest' || ingestOf.get(r.version_id)?.state === 'Available'),
      );
    // Retries already due wait for a slot like any ready copy (pendingReady above).
    const pendingRetries = after.filter((r) => r.state === 'Pending' && r.next_attempt_at_ms !== null && r.next_attempt_at_ms > nowMs).map((r) => r.next_attempt_at_ms!);
    const unstarted = after.filter((r) => r.state === 'Copying' && !r.image_id).length > 0;
    return regionWakeAtMs(
      [...polls, ...(pendingReady || unstarted || releasable ? [nowMs + o.poll.minIntervalMs] : [])],
      [...pendingRetries, ...retryAt],
    );
  }

  // ---- steps ----

  /** Starts (or, after a crash, finds) one copy. Returns 'started', a retry time, or 'failed'. */
  private async start(d: PassRow, ingest: DeliveryRow | undefined): Promise<'started' | 'failed' | number> {
    const o = this.#o;
    const nowMs = o.clock.nowMs();
    // Record the intent before calling the cloud: a crash from here on leaves a row that the
    // next pass recognises (Copying without an image ID) and completes idempotently.
    if (d.state === 'Pending') {
      await o.db
        .updateTable('deliveries')
        .set({ state: 'Copying', requested_at_ms: nowMs, worker: o.workerId, updated_at: new Date(nowMs) })
        .where('id', '=', d.id)
        .where('state', '=', 'Pending')
        .execute();
    } else {
      const found = await attempt(
        () => o.cloud.describeImages({ account: o.distributionAccount, regionId: d.region, tag: { key: DELIVERY_TAG, value: d.id } }),
        'DescribeImages',
      );
      if (!found.ok) return this.retryTime(found.error, d.attempts + 1);
      const mine = found.value.find((img) => img.tags.some((t) => t.key === 'imagenest:token' && t.value === clientToken(d)));
      if (mine) {
        await this.recordStarted(d, mine.imageId, d.requested_at_ms ?? nowMs);
        return 'started';
      }
    }

    if (d.kind === 'ingest') {
      const src = await attempt(
        () => o.cloud.describeImages({ account: d.owner_id, regionId: d.region, imageIds: [d.source_image_id!] }),
        'DescribeImages',
      );
      if (!src.ok) return this.afterStartError(d, src.error);
      const image = src.value.find((i) => i.imageId === d.source_image_id);
      if (!image || image.status !== 'Available') {
        const code = image ? 'IncorrectImageStatus' : 'InvalidImageId.NotFound';
        const message = image
          ? `the source image ${d.source_image_id} in ${d.region} is ${image.status}, not Available`
          : `the source image ${d.source_image_id} does not exist in ${d.region} or is not owned by the package's account`;
        return this.afterStartError(d, new CloudError('notFound', code, message, 'DescribeImages', 404));
      }
      if (d.size_gib !== image.sizeGiB) {
        await o.db.updateTable('deliveries').set({ size_gib: image.sizeGiB }).where('version_id', '=', d.version_id).execute();
        d.size_gib = image.sizeGiB;
      }
      const share = await attempt(
        () =>
          o.cloud.modifyImageSharePermission({
            account: d.owner_id,
            regionId: d.region,
            imageId: d.source_image_id!,
            addAccounts: [o.distributionAccount],
            removeAccounts: [],
          }),
        'ModifyImageSharePermission',
      );
      if (!share.ok) return this.afterStartError(d, share.error);
    }
    const source = d.kind === 'ingest' ? { region: d.region, imageId: d.source_image_id! } : { region: ingest!.region, imageId: ingest!.image_id! };
    const label = d.kind === 'ingest' ? 'ingest' : d.region;
    const res = await attempt(
      () =>
        o.cloud.copyImage({
          account: o.distributionAccount,
          sourceRegionId: source.region,
          imageId: source.imageId,
          destinationRegionId: d.region,
          clientToken: clientToken(d),
          name: `${d.package_name}-v${d.number ?? 0}-${label}`.slice(0, 128),
          tags: [
            { key: DELIVERY_TAG, value: d.id },
            { key: 'imagenest:token', value: clientToken(d) },
            { key: 'imagenest:version', value: d.version_id },
          ],
        }),
      'CopyImage',
    );
    if (!res.ok) return this.afterStartError(d, res.error);
    o.failpoint('after-copy-image');
    await this.recordStarted(d, res.value.imageId, d.requested_at_ms ?? nowMs);
    return 'started';
  }

  private async recordStarted(d: PassRow, imageId: string, requestedAtMs: number): Promise<void> {
    const o = this.#o;
    const nowMs = o.clock.nowMs();
    const sizeGiB = d.size_gib ?? 20;
    const poll = nextPollAtMs({ requestedAtMs, sizeGiB, priorMs: priorCopyMs(sizeGiB, sourceRegionOf(d), d.region) }, nowMs, o.poll);
    await o.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('deliveries')
        .set({
          state: 'Copying',
          image_id: imageId,
          attempts: 0,
          next_attempt_at_ms: null,
          requested_at_ms: requestedAtMs,
          started_at: new Date(nowMs),
          next_poll_at_ms: poll,
          cloud_status: 'Creating',
          worker: o.workerId,
          updated_at: new Date(nowMs),
        })
        .where('id', '=', d.id)
        .execute();
      await this.event(trx, d, d.kind === 'ingest' ? 'IngestStarted' : 'CopyStarted', `${d.kind === 'ingest' ? 'ingest into the distribution account' : 'copy'} started in ${d.region}: ${imageId} (worker ${o.workerId})`, {
        imageId,
        worker: o.workerId,
      });
    });
  }

  /** A failed start: throttling and transient errors wait and retry; anything else fails the region. */
  private async afterStartError(d: PassRow, error: CloudError): Promise<'failed' | number> {
    const o = this.#o;
    const decision = decideRetry(error.kind, d.attempts + 1, o.retry, o.random());
    if (decision.type === 'retry') {
      const at = o.clock.nowMs() + decision.delayMs;
      await o.db
        .updateTable('deliveries')
        .set({ state: 'Pending', attempts: d.attempts + 1, next_attempt_at_ms: at, updated_at: new Date(o.clock.nowMs()) })
        .where('id', '=', d.id)
        .execute();
      o.log.debug({ region: d.region, delivery: d.id, code: error.code }, 'copy start deferred');
      return at;
    }
    await this.finish(d, 'Failed', { code: error.code, message: error.message });
    return 'failed';
  }

  /** Which ready copies to start in the free slots (see slot-plan.ts), from what the region shows. */
  private planCopies(
    region: string,
    freeSlots: number,
    running: readonly DeliveryRow[],
    copies: readonly { row: DeliveryRow; readyAtMs: number }[],
    nowMs: number,
  ): SlotPlan {
    const priorOf = (d: DeliveryRow) => priorCopyMs(d.size_gib ?? 20, sourceRegionOf(d), region);
    // How much slower or faster than the priors this region's copies actually run.
    const scale = observedScale(
      running.flatMap((d) => {
        const p = progressOf(d, nowMs);
        return p.first && p.last ? [{ priorMs: priorOf(d), first: p.first, last: p.last }] : [];
      }),
    );
    const estimate = (d: DeliveryRow): RunningCopy =>
      d.obs_last_pct !== null && d.obs_last_pct > 0
        ? { kind: 'known', endMs: expectedFinishMs(progressOf(d, nowMs), this.#o.poll) }
        : { kind: 'estimated', startMs: d.requested_at_ms ?? nowMs, expectedMs: scale * priorOf(d) };
    return planSlots({
      nowMs,
      freeSlots,
      running: running.map(estimate),
      candidates: copies.map((c) => ({ id: c.row.id, expectedMs: scale * priorOf(c.row), readyAtMs: c.readyAtMs })),
      random: this.#o.random,
    });
  }

  /** When an ingest still under way is expected to be Available: from its progress, else from its size. */
  private expectedIngestEnd(ingest: DeliveryRow, nowMs: number): number {
    if (ingest.state === 'Copying' && ingest.obs_last_pct !== null && ingest.obs_last_pct > 0) return expectedFinishMs(progressOf(ingest, nowMs), this.#o.poll);
    const from = ingest.state === 'Copying' ? (ingest.requested_at_ms ?? nowMs) : Math.max(nowMs, ingest.next_attempt_at_ms ?? 0);
    return from + START_OVERHEAD_MS + priorCopyMs(ingest.size_gib ?? 20, ingest.region, ingest.region);
  }

  private retryTime(error: CloudError, attemptNo: number): number {
    const d = decideRetry(error.kind === 'throttled' || error.kind === 'transient' ? error.kind : 'transient', attemptNo, this.#o.retry, this.#o.random());
    return this.#o.clock.nowMs() + (d.type === 'retry' ? d.delayMs : this.#o.retry.maximumIntervalMs);
  }

  private async observe(d: PassRow, pct: number, status: string, nowMs: number): Promise<void> {
    const seen = progressOf(d, nowMs);
    const first = seen.first ?? (pct > 0 ? { atMs: nowMs, pct } : undefined);
    const last = { atMs: nowMs, pct };
    const poll = nextPollAtMs({ ...seen, first, last }, nowMs, this.#o.poll);
    await this.#o.db
      .updateTable('deliveries')
      .set({
        progress: pct,
        cloud_status: status,
        obs_first_ms: first?.atMs ?? null,
        obs_first_pct: first?.pct ?? null,
        obs_last_ms: nowMs,
        obs_last_pct: pct,
        next_poll_at_ms: poll,
      })
      .where('id', '=', d.id)
      .execute();
  }

  private async finish(d: PassRow | DeliveryRow, state: 'Available' | 'Failed', error: { code: string; message: string } | null, imageId?: string): Promise<void> {
    const o = this.#o;
    const nowMs = o.clock.nowMs();
    await o.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('deliveries')
        .set({
          state,
          progress: state === 'Available' ? 100 : d.progress,
          image_id: imageId ?? d.image_id,
          cloud_status: state === 'Available' ? 'Available' : (error?.code ?? d.cloud_status),
          error_code: error?.code ?? null,
          error_message: error?.message ?? null,
          finished_at: new Date(nowMs),
          detected_at_ms: nowMs,
          next_poll_at_ms: null,
          next_attempt_at_ms: null,
          updated_at: new Date(nowMs),
        })
        .where('id', '=', d.id)
        .where('state', 'in', ['Pending', 'Copying'])
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) return;
      const what = d.kind === 'ingest' ? 'ingest' : 'copy';
      await this.event(
        trx,
        d,
        state === 'Available' ? (d.kind === 'ingest' ? 'IngestAvailable' : 'CopyAvailable') : d.kind === 'ingest' ? 'IngestFailed' : 'CopyFailed',
        state === 'Available' ? `${what} Available in ${d.region}: ${imageId ?? d.image_id}` : `${what} into ${d.region} failed: ${error!.code}: ${error!.message}`,
        { imageId: imageId ?? d.image_id, error },
      );
    });
    if (d.kind === 'copy') {
      o.observer.deliveryFinished?.({
        region: d.region,
        state,
        durationMs: d.requested_at_ms === null ? null : nowMs - d.requested_at_ms,
        errorCode: error?.code ?? null,
      });
    }
  }

  /** Cancels a running copy or deletes a finished one; true when the delivery is Cancelled. */
  private async cancelOne(d: PassRow): Promise<boolean> {
    const o = this.#o;
    if (d.image_id) {
      const ref = { account: o.distributionAccount, regionId: d.region, imageId: d.image_id };
      let res = await attempt(() => o.cloud.cancelCopyImage(ref), 'CancelCopyImage');
      if (!res.ok && res.error.code === 'IncorrectImageStatus') res = await attempt(() => o.cloud.deleteImage(ref), 'DeleteImage');
      if (!res.ok && res.error.kind !== 'notFound') return false;
    }
    const nowMs = o.clock.nowMs();
    await o.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('deliveries')
        .set({ state: 'Cancelled', image_released: true, next_poll_at_ms: null, finished_at: new Date(nowMs), updated_at: new Date(nowMs) })
        .where('id', '=', d.id)
        .execute();
      await this.event(trx, d, 'Cancelled', `${d.kind} in ${d.region} cancelled`, { imageId: d.image_id });
    });
    return true;
  }

  /**
   * Deletes the ingested image once every copy of its version is final and none uses it;
   * true when some could not be deleted yet (the region looks again soon).
   */
  private async releaseIngests(region: string): Promise<boolean> {
    const o = this.#o;
    let left = false;
    for (const i of await this.releasable(region)) {
      const res = await attempt(() => o.cloud.deleteImage({ account: o.distributionAccount, regionId: region, imageId: i.image_id! }), 'DeleteImage');
      if (!res.ok && res.error.kind !== 'notFound') {
        left = true;
        continue;
      }
      await o.db.updateTable('deliveries').set({ image_released: true }).where('id', '=', i.id).execute();
    }
    return left;
  }

  /** True while any delivery is unfinished or any ingested image still waits to be released. */
  async hasUnfinishedWork(): Promise<boolean> {
    const active = await this.#o.db
      .selectFrom('deliveries')
      .select('id')
      .where((eb) => unfinished(eb, 'deliveries'))
      .limit(1)
      .execute();
    return active.length > 0 || (await this.releasable(null)).length > 0;
  }

  private releasable(region: string | null): Promise<DeliveryRow[]> {
    let q = this.#o.db
      .selectFrom('deliveries as i')
      .selectAll('i')
      .where('i.kind', '=', 'ingest');
    if (region !== null) q = q.where('i.region', '=', region);
    return q
      .where('i.state', '=', 'Available')
      .where('i.image_released', '=', false)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('deliveries as c')
              .select('c.id')
              .whereRef('c.version_id', '=', 'i.version_id')
              .where('c.kind', '=', 'copy')
              .where((eb) => eb.or([eb('c.state', 'in', ['Pending', 'Copying']), eb.and([eb('c.region', '=', eb.ref('i.region')), eb('c.state', '=', 'Available')])])),
          ),
        ),
      )
      .execute();
  }

  /**
   * Deletes the versions whose deletion was asked once their last regional copy is gone (all of
   * them when `versionIds` is not given), and a package deleted with them once it has no version
   * left. Each check runs under the version's row lock after the caller's own changes were
   * committed, so whichever pass removes the last copy sees that none is left.
   */
  async purgeDeleted(versionIds?: string[]): Promise<string[]> {
    const db = this.#o.db;
    let q = db.selectFrom('versions').select(['id', 'package_id']).where('delete_requested_at', 'is not', null);
    if (versionIds) {
      if (versionIds.length === 0) return [];
      q = q.where('id', 'in', versionIds);
    }
    const purged: string[] = [];
    for (const { id, package_id } of await q.execute()) {
      await db.transaction().execute(async (trx) => {
        // Package first, then version: the order the use cases lock in.
        const p = await trx.selectFrom('packages').select(['id', 'name', 'delete_requested_at']).where('id', '=', package_id).forUpdate().executeTakeFirst();
        const v = await trx.selectFrom('versions').select(['id', 'number']).where('id', '=', id).where('delete_requested_at', 'is not', null).forUpdate().executeTakeFirst();
        if (!p || !v || (await findLiveCopies(trx, [v.id])).length > 0) return;
        await deleteVersionRow(trx, v.id);
        purged.push(v.id);
        this.#o.log.info({ package: p.name, version: v.number }, 'deleted version: its last regional copy is gone');
        if (p.delete_requested_at) {
          const left = await trx.selectFrom('versions').select('id').where('package_id', '=', p.id).limit(1).executeTakeFirst();
          if (!left) {
            await deletePackageRow(trx, p.id);
            this.#o.log.info({ package: p.name }, 'deleted package: its last version is gone');
          }
        }
      });
    }
    return purged;
  }

  /** Recomputes the state of each version from its regions' delivery states. */
  async settleVersions(versionIds: string[]): Promise<void> {
    const o = this.#o;
    for (const versionId of versionIds) {
      await o.db.transaction().execute(async (trx) => {
        const v = await trx.selectFrom('versions').select(['id', 'state', 'number']).where('id', '=', versionId).forUpdate().executeTakeFirst();
        if (!v || v.number === null) return;
        const states = await trx.selectFrom('deliveries').select('state').where('version_id', '=', versionId).where('kind', '=', 'copy').execute();
        if (states.length === 0) return;
        const next = deriveVersionState(states.map((s) => s.state as DeliveryState));
        if (next === v.state) return;
        const nowMs = o.clock.nowMs();
        if (next !== 'Delivering') {
          // Every region is final: the source region's pass may now release the ingested image.
          const ingest = await trx.selectFrom('deliveries').select(['region', 'state', 'image_released']).where('version_id', '=', versionId).where('kind', '=', 'ingest').executeTakeFirst();
          if (ingest && ingest.state === 'Available' && !ingest.image_released) await o.wakeups.wake(trx, ingest.region, nowMs);
        }
        await trx.updateTable('versions').set({ state: next, updated_at: new Date(nowMs) }).where('id', '=', versionId).execute();
        await trx
          .insertInto('delivery_events')
          .values({ version_id: versionId, region: null, at: new Date(nowMs), type: `Version${next}`, message: `version ${v.number} is ${next}`, data: null })
          .execute();
      });
    }
  }

  // ---- reads ----

  private async loadRegion(region: string): Promise<PassRow[]> {
    const rows = await this.#o.db
      .selectFrom('deliveries as d')
      .innerJoin('versions as v', 'v.id', 'd.version_id')
      .innerJoin('packages as p', 'p.id', 'v.package_id')
      .selectAll('d')
      .select(['v.number', 'v.package_id', 'p.owner_id', 'p.name as package_name'])
      .where('d.region', '=', region)
      .where((eb) => unfinished(eb, 'd'))
      .execute();
    return rows as PassRow[];
  }

  private async ingestsFor(rows: PassRow[]): Promise<Map<string, DeliveryRow>> {
    const ids = [...new Set(rows.filter((r) => r.kind === 'copy').map((r) => r.version_id))];
    if (ids.length === 0) return new Map();
    const ingests = await this.#o.db.selectFrom('deliveries').selectAll().where('kind', '=', 'ingest').where('version_id', 'in', ids).execute();
    return new Map(ingests.map((i) => [i.version_id, i]));
  }

  private async versionRegions(versionId: string): Promise<string[]> {
    const rows = await this.#o.db.selectFrom('deliveries').select('region').where('version_id', '=', versionId).where('kind', '=', 'copy').execute();
    return rows.map((r) => r.region);
  }

  private async event(trx: Trx, d: Pick<DeliveryRow, 'version_id' | 'region'>, type: string, message: string, data: unknown): Promise<void> {
    await trx
      .insertInto('delivery_events')
      .values({ version_id: d.version_id, region: d.region, at: new Date(this.#o.clock.nowMs()), type, message, data: JSON.stringify(data) })
      .execute();
  }
}

/** A delivery with work left: not yet final, or cancelled but not yet cleaned up in the cloud. */
function unfinished<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, table: 'deliveries' | 'd') {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  return eb.or([
    eb(col('state'), 'in', ['Pending', 'Copying']),
    eb.and([eb(col('cancel_requested'), '=', true), eb(col('state'), '<>', 'Cancelled')]),
  ]);
}

/** What has been seen of a copy's progress, as the poll plan reads it. */
/** Where a delivery copies from: the version's source region (the ingest's own region, where its image lands). */
function sourceRegionOf(d: DeliveryRow): string {
  return d.source_region ?? d.region;
}

function progressOf(d: DeliveryRow, nowMs: number): CopyProgress {
  return {
    requestedAtMs: d.requested_at_ms ?? nowMs,
    sizeGiB: d.size_gib ?? 20,
    first: d.obs_first_pct !== null && d.obs_first_pct > 0 && d.obs_first_ms !== null ? { atMs: d.obs_first_ms, pct: d.obs_first_pct } : undefined,
    last: d.obs_last_pct !== null && d.obs_last_ms !== null ? { atMs: d.obs_last_ms, pct: d.obs_last_pct } : undefined,
  };
}

/** Ingests first (they unblock every region of a version), then unfinished starts. */
function priority(d: DeliveryRow): number {
  if (d.state === 'Copying') return 0;
  return d.kind === 'ingest' ? 1 : 2;
}
