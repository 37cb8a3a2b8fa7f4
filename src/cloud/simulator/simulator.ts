/**
 * The embedded cloud simulator: a CloudProvider whose state lives in the database, so several
 * processes share one simulated cloud and a restarted server continues. Copies obey the ECS
 * rules distribution must respect (SPEC §9) and faults are injected from a seed.
 */
import { sql } from 'kysely';
import { findRegion, REGIONS } from '../../domain/regions.ts';
import {
  CloudError,
  MAX_DESCRIBE_IDS,
  type CallAs,
  type CloudImage,
  type CloudProvider,
  type CloudRegion,
  type CopyImageRequest,
  type DescribeImagesRequest,
  type ImageRef,
  type ImageSharePermission,
  type SharePermissionRequest,
} from '../provider.ts';
import type { SimFaults, SimImageRecord, SimInstanceRecord, SimulatorAdmin } from '../simulator-port.ts';
import { seededUnit, type SimOptions } from './model.ts';
import { placeCopy, replanQueue } from './sim-copy.ts';
import { marketplaceImagesIn } from './marketplace.ts';
import { clientTokenUse, imageAt, imageMadeWith, imageRecord, insertOwnedImage, newImageId, PUBLIC_IMAGES, publicImage } from './sim-images.ts';
import { SimEcsInstances } from './sim-ecs-instances.ts';
import { describeSimInstances } from './sim-instances.ts';
import { nextCounter, readFaults, takeCopyToken, writeMeta } from './sim-meta.ts';
import type { SimDb, SimImageRow, SimTrx } from './sim-schema.ts';
import { mayUseImage, modifyShares, sharePermission, usableBy } from './sim-shares.ts';

export type { SimFaults } from '../simulator-port.ts';
export { NO_FAULTS, SIM_CALL_LIMIT_PER_MIN } from './sim-meta.ts';
export type { SimOptions } from './model.ts';

export interface SimClock {
  nowMs(): number;
}

type Trx = SimTrx;
type Row = SimImageRow;

export interface CallRecord {
  action: string;
  outcome: 'ok' | string;
}

export class CloudSimulator implements CloudProvider, SimulatorAdmin {
  /** Observers of every call (metrics, benchmarks). */
  readonly listeners: ((call: CallRecord) => void)[] = [];

  /** `db` is scoped to the simulator's schema: see openSimDatabase. `options`: speed skew and source cap (model.ts). */
  constructor(
    private readonly db: SimDb,
    private readonly clock: SimClock,
    private readonly seed: number | string = 1,
    readonly options: SimOptions = {},
  ) {}

  // ---- administration (not part of the port) ----

  async setFaults(faults: SimFaults): Promise<void> {
    await writeMeta(this.db, 'faults', faults);
  }

  async getFaults(): Promise<SimFaults> {
    return readFaults(this.db);
  }

  /** Makes a custom image owned by `account`, Available at once. */
  async createImage(req: CallAs & { regionId: string; sizeGiB: number; name?: string }): Promise<CloudImage> {
    if (!findRegion(req.regionId)) throw new CloudError('permanent', 'InvalidRegionId.NotFound', `unknown region ${req.regionId}`, 'CreateImage', 404);
    const nowMs = this.clock.nowMs();
    const imageId = await this.db
      .transaction()
      .execute((trx) => insertOwnedImage(trx, this.seed, { account: req.account, regionId: req.regionId, sizeGiB: req.sizeGiB, name: req.name, atMs: nowMs, readyAtMs: nowMs }));
    const row = await this.db.selectFrom('images').selectAll().where('image_id', '=', imageId).executeTakeFirstOrThrow();
    return imageAt(row, nowMs);
  }

  /** Every live image an account owns (tests and benchmarks count copies with it). */
  async ownedImages(account: string): Promise<CloudImage[]> {
    const rows = await this.db
      .selectFrom('images')
      .selectAll()
      .where('account', '=', account)
      .where('deleted', '=', false)
      .where('cancelled', '=', false)
      .orderBy('requested_at_ms')
      .execute();
    const nowMs = this.clock.nowMs();
    return rows.map((r) => imageAt(r, nowMs));
  }

  /** Every image an account ever had, deleted and cancelled ones included. */
  async imageRecords(account: string): Promise<SimImageRecord[]> {
    const rows = await this.db.selectFrom('images').selectAll().where('account', '=', account).orderBy('requested_at_ms').execute();
    const nowMs = this.clock.nowMs();
    return rows.map((r) => imageRecord(r, nowMs));
  }

  /** ECS instances through the API, and images made from them (the emulator's RunInstances … CreateImage). */
  ecsInstances(): SimEcsInstances {
    return new SimEcsInstances(this.db, this.clock, this.seed);
  }

  async instanceRecords(account: string): Promise<SimInstanceRecord[]> {
    return describeSimInstances(this.db, { account });
  }

  /** The simulator's own record of every copy: when it was requested, started and finished. */
  async copyTimeline(account: string): Promise<Row[]> {
    return this.db
      .selectFrom('images')
      .selectAll()
      .where('account', '=', account)
      .where('source_image_id', 'is not', null)
      .orderBy('requested_at_ms')
      .execute();
  }

  // ---- the port ----

  async describeRegions(req: CallAs): Promise<CloudRegion[]> {
    return this.call('DescribeRegions', null, req.account, async () => REGIONS.map((r) => ({ regionId: r.id, localName: r.name })));
  }

  async describeImages(req: DescribeImagesRequest): Promise<CloudImage[]> {
    return this.call('DescribeImages', req.regionId, req.account, async (trx, nowMs) => {
      if (req.imageIds && req.imageIds.length > MAX_DESCRIBE_IDS) {
        throw new CloudError('permanent', 'InvalidParameter.ImageIds', `at most ${MAX_DESCRIBE_IDS} image IDs a call`, 'DescribeImages');
      }
      const marketplace = marketplaceImagesIn(req.regionId).filter((i) => !req.imageIds || req.imageIds.includes(i.imageId));
      if (req.ownerAlias === 'marketplace') return req.tag ? [] : marketplace;
      let q = trx
        .selectFrom('images')
        .selectAll()
        .where('region', '=', req.regionId)
        .where('deleted', '=', false)
        .where('cancelled', '=', false)
        .where(usableBy(req.account));
      if (req.imageIds) q = q.where('image_id', 'in', req.imageIds.length ? req.imageIds : ['']);
      if (req.tag) q = q.where(sql<boolean>`tags @> ${JSON.stringify([req.tag])}::jsonb`);
      const rows = await q.orderBy('requested_at_ms').execute();
      const images = rows.map((r) => imageAt(r, nowMs));
      if (!req.tag) {
        for (const p of PUBLIC_IMAGES) {
          if (!req.imageIds || req.imageIds.includes(p.imageId)) images.push(publicImage(p, req.regionId));
        }
        // Like ECS with no owner alias: marketplace images only when asked for by ID.
        if (req.imageIds) images.push(...marketplace);
      }
      return images;
    });
  }

  async copyImage(req: CopyImageRequest): Promise<{ imageId: string }> {
    return this.call('CopyImage', req.sourceRegionId, req.account, async (trx, nowMs) => {
      const from = findRegion(req.sourceRegionId);
      const to = findRegion(req.destinationRegionId);
      if (!from || !to) {
        throw new CloudError('permanent', 'InvalidRegionId.NotFound', `unknown region ${from ? req.destinationRegionId : req.sourceRegionId}`, 'CopyImage', 404);
      }
      const token = clientTokenUse(req.clientToken, [req.sourceRegionId, req.imageId, req.destinationRegionId], 'CopyImage');
      const prior = await imageMadeWith(trx, req.account, token, 'CopyImage');
      if (prior) return { imageId: prior };
      const source = await trx
        .selectFrom('images')
        .selectAll()
        .where('image_id', '=', req.imageId)
        .where('region', '=', req.sourceRegionId)
        .where('deleted', '=', false)
        .where('cancelled', '=', false)
        .executeTakeFirst();
      const visible = source && mayUseImage(source, req.account);
      if (!source || !visible) {
        throw new CloudError('notFound', 'InvalidImageId.NotFound', `image ${req.imageId} does not exist in ${req.sourceRegionId} or is not shared with ${req.account}`, 'CopyImage', 404);
      }
      if (source.account !== req.account && req.destinationRegionId !== req.sourceRegionId) {
        throw new CloudError('permanent', 'InvalidImageId.SharedImageCrossRegion', 'a shared image can be copied only within its own region; copy it into your account first', 'CopyImage', 403);
      }
      if (imageAt(source, nowMs).status !== 'Available') {
        throw new CloudError('permanent', 'IncorrectImageStatus', `image ${req.imageId} is not Available`, 'CopyImage', 403);
      }
      const imageId = await newImageId(trx, this.seed);
      const timing = await placeCopy(trx, this.seed, this.options, { imageId, sizeGiB: source.size_gib, from, to, nowMs });
      const { startAtMs } = timing;
      const finishAtMs = startAtMs + timing.durationMs;
      const faults = await readFaults(trx);
      const failRate = faults.regionFailureRate[to.id] ?? 0;
      const failAtMs =
        seededUnit(this.seed, imageId, 'fail') < failRate
          ? startAtMs + Math.round(timing.durationMs * (0.2 + 0.6 * seededUnit(this.seed, imageId, 'failAt')))
          : null;
      await trx
        .insertInto('images')
        .values({
          image_id: imageId,
          account: req.account,
          region: to.id,
          name: req.name,
          size_gib: source.size_gib,
          tags: JSON.stringify(req.tags),
          source_image_id: source.image_id,
          source_region: from.id,
          client_token: token.token,
          request_fingerprint: token.fingerprint,
          requested_at_ms: nowMs,
          start_at_ms: startAtMs,
          finish_at_ms: finishAtMs,
          fail_at_ms: failAtMs,
          end_at_ms: failAtMs ?? finishAtMs,
        })
        .execute();
      return { imageId };
    });
  }

  async cancelCopyImage(req: ImageRef): Promise<void> {
    return this.call('CancelCopyImage', req.regionId, req.account, async (trx, nowMs) => {
      const row = await this.ownedRow(trx, req, 'CancelCopyImage');
      const { status } = imageAt(row, nowMs);
      if (row.source_image_id === null || (status !== 'Creating' && status !== 'Waiting')) {
        throw new CloudError('permanent', 'IncorrectImageStatus', `image ${req.imageId} is ${status}; only a running copy can be cancelled`, 'CancelCopyImage', 403);
      }
      await trx.updateTable('images').set({ cancelled: true, end_at_ms: nowMs }).where('image_id', '=', row.image_id).execute();
      await replanQueue(trx, this.seed, this.options, row.region, nowMs);
    });
  }

  async deleteImage(req: ImageRef): Promise<void> {
    return this.call('DeleteImage', req.regionId, req.account, async (trx, nowMs) => {
      const row = await this.ownedRow(trx, req, 'DeleteImage');
      const { status } = imageAt(row, nowMs);
      if (status === 'Creating' || status === 'Waiting') {
        throw new CloudError('permanent', 'IncorrectImageStatus', `image ${req.imageId} is still copying; cancel the copy first`, 'DeleteImage', 403);
      }
      await trx
        .updateTable('images')
        .set({ deleted: true, end_at_ms: Math.min(row.end_at_ms, nowMs) })
        .where('image_id', '=', row.image_id)
        .execute();
    });
  }

  async modifyImageSharePermission(req: SharePermissionRequest): Promise<void> {
    return this.call('ModifyImageSharePermission', req.regionId, req.account, async (trx) => {
      await modifyShares(trx, await this.ownedRow(trx, req, 'ModifyImageSharePermission'), req);
    });
  }

  async describeImageSharePermission(req: ImageRef): Promise<ImageSharePermission> {
    return this.call('DescribeImageSharePermission', req.regionId, req.account, async (trx) =>
      sharePermission(await this.ownedRow(trx, req, 'DescribeImageSharePermission')),
    );
  }

  // ---- internals ----

  /**
   * Runs one API call: counts it, applies outages, injected throttling and transient errors and
   * the CopyImage rate limit, then `fn` in a transaction. Fault draws commit even when the call
   * fails, so every call advances the seeded sequence exactly once.
   */
  private async call<T>(action: string, region: string | null, account: string, fn: (trx: Trx, nowMs: number) => Promise<T>): Promise<T> {
    const nowMs = this.clock.nowMs();
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = await this.db.transaction().execute(async (trx) => {
        const n = await nextCounter(trx, 'calls');
        const faults = await readFaults(trx);
        const injected = await this.injectedFault(trx, faults, action, region, account, n, nowMs);
        if (injected) return { ok: false as const, error: injected };
        return { ok: true as const, value: await fn(trx, nowMs) };
      });
    } catch (error) {
      outcome = { ok: false, error };
    }
    const code = outcome.ok ? 'ok' : outcome.error instanceof CloudError ? outcome.error.code : 'Error';
    for (const l of this.listeners) l({ action, outcome: code });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private async injectedFault(
    trx: Trx,
    faults: SimFaults,
    action: string,
    region: string | null,
    account: string,
    n: number,
    nowMs: number,
  ): Promise<CloudError | null> {
    if (region && faults.outages.some((o) => o.region === region && nowMs >= o.fromMs && nowMs < o.toMs)) {
      return new CloudError('transient', 'ServiceUnavailable', `the ECS endpoint of ${region} is unavailable`, action, 503);
    }
    if (seededUnit(this.seed, 'throttle', n) < faults.throttleRate) {
      return new CloudError('throttled', 'Throttling.User', 'Request was denied due to user flow control.', action, 400);
    }
    if (seededUnit(this.seed, 'transient', n) < faults.transientRate) {
      return new CloudError('transient', 'InternalError', 'The request processing has failed due to some unknown error.', action, 500);
    }
    if (action === 'CopyImage' && !(await takeCopyToken(trx, account, nowMs))) {
      return new CloudError('throttled', 'Throttling.User', 'Request was denied due to user flow control.', action, 400);
    }
    return null;
  }

  private async ownedRow(trx: Trx, req: ImageRef, action: string): Promise<Row> {
    const row = await trx
      .selectFrom('images')
      .selectAll()
      .where('image_id', '=', req.imageId)
      .where('region', '=', req.regionId)
      .where('account', '=', req.account)
      .where('deleted', '=', false)
      .where('cancelled', '=', false)
      .executeTakeFirst();
    if (!row) {
      throw new CloudError('notFound', 'InvalidImageId.NotFound', `image ${req.imageId} not found in ${req.regionId}`, action, 404);
    }
    return row;
  }
}
