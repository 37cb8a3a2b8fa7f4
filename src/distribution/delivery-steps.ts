/**
 * The steps of a pass on one delivery: start (or find after a crash) a copy, record a verdict,
 * cancel, release an ingested image. Each is a cloud step (cloud-steps.ts) followed by its
 * record through the deliveries repository, ordered so that a crash between the two is
 * recognised and completed by the next pass.
 */
import { startRefused, type DeliveryError } from '../domain/delivery/delivery-error.ts';
import type { CloudError } from '../cloud/provider.ts';
import { finishDelivery, deferStart, markCancelled, markImageReleased, markStarted, setVersionSize } from '../store/deliveries-repo.ts';
import { releasableIngests, type PassRow } from '../store/delivery-reads.ts';
import { markRequested, type CopySource } from '../store/delivery-sources.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { cancelOrDelete, checkSource, copyImage, deleteImage, findByTag, shareSource, type CloudSide } from './cloud-steps.ts';
import type { EngineContext } from './engine-options.ts';
import { firstPollAtMs } from './pass-plan.ts';
import { decideRetry } from './retry-policy.ts';

function side(ctx: EngineContext): CloudSide {
  return { cloud: ctx.cloud, account: ctx.distributionAccount };
}

/** When to try a failed call again (a call that failed for good is tried again at the longest interval). */
export function retryTime(ctx: EngineContext, error: CloudError, attemptNo: number): number {
  const d = decideRetry(error.kind === 'throttled' || error.kind === 'transient' ? error.kind : 'transient', attemptNo, ctx.retry, ctx.random());
  return ctx.clock.nowMs() + (d.type === 'retry' ? d.delayMs : ctx.retry.maximumIntervalMs);
}

/**
 * Starts (or, after a crash, finds) one copy from `source` (an ingest copies the supplier's
 * image; a copy, the image its route chose). Returns 'started', a retry time, or 'failed'.
 */
export async function start(ctx: EngineContext, d: PassRow, source: CopySource, entry = false): Promise<'started' | 'failed' | number> {
  const nowMs = ctx.clock.nowMs();
  if (d.state === 'Pending') {
    // An earlier attempt of this generation from another source may have reached the cloud
    // with its answer lost: find it before starting from elsewhere.
    if (d.copy_source_region !== null && (d.copy_source_region !== source.region || d.copy_source_image_id !== source.imageId)) {
      const found = await findByTag(side(ctx), d);
      if (!found.ok) return retryTime(ctx, found.error, d.attempts + 1);
      if (found.value) {
        await markRequested(ctx.db, d, d.requested_at_ms ?? nowMs, ctx.workerId, { region: d.copy_source_region, imageId: d.copy_source_image_id! });
        await recordStarted(ctx, d, found.value.imageId, d.requested_at_ms ?? nowMs);
        return 'started';
      }
    }
    // Record the intent and its source before calling the cloud: a crash from here on leaves a
    // row that the next pass recognises (Copying without an image ID) and completes idempotently.
    await markRequested(ctx.db, d, nowMs, ctx.workerId, source);
    d.copy_source_region = source.region;
    d.copy_source_image_id = source.imageId;
  } else {
    const found = await findByTag(side(ctx), d);
    if (!found.ok) return retryTime(ctx, found.error, d.attempts + 1);
    if (found.value) {
      await recordStarted(ctx, d, found.value.imageId, d.requested_at_ms ?? nowMs);
      return 'started';
    }
  }
  if (d.kind === 'ingest') {
    const src = await checkSource(ctx.cloud, d.owner_id, d.region, d.source_image_id!);
    if (!src.ok) return afterStartError(ctx, d, src.error);
    if (d.size_gib !== src.value.sizeGiB) {
      await setVersionSize(ctx.db, d.version_id, src.value.sizeGiB);
      d.size_gib = src.value.sizeGiB;
    }
    const share = await shareSource(side(ctx), d.owner_id, d.region, d.source_image_id!);
    if (!share.ok) return afterStartError(ctx, d, share.error);
  }
  // An interrupted start completes from the source it recorded (its ClientToken names it).
  const from = d.copy_source_region !== null ? { region: d.copy_source_region, imageId: d.copy_source_image_id! } : source;
  const label = d.kind === 'ingest' ? 'ingest' : d.region;
  const res = await copyImage(side(ctx), d, from, `${d.package_name}-v${d.number ?? 0}-${label}`);
  if (!res.ok) return afterStartError(ctx, d, res.error);
  ctx.failpoint('after-copy-image');
  if (entry) ctx.failpoint('after-entry-copy-image');
  await recordStarted(ctx, d, res.value.imageId, d.requested_at_ms ?? nowMs);
  return 'started';
}

/** The image an ingest copies: the supplier's source image, in its own region. */
export function ingestSource(d: DeliveryRow): CopySource {
  return { region: d.region, imageId: d.source_image_id! };
}

async function recordStarted(ctx: EngineContext, d: PassRow, imageId: string, requestedAtMs: number): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const what = d.kind === 'ingest' ? 'ingest into the distribution account' : 'copy';
  await markStarted(
    ctx.db,
    d,
    { imageId, requestedAtMs, nextPollAtMs: firstPollAtMs(d, requestedAtMs, nowMs, ctx.poll, ctx.speeds.current()), worker: ctx.workerId, nowMs },
    {
      versionId: d.version_id,
      region: d.region,
      atMs: nowMs,
      type: d.kind === 'ingest' ? 'IngestStarted' : 'CopyStarted',
      message: `${what} started in ${d.region}: ${imageId} (worker ${ctx.workerId})`,
      data: { imageId, worker: ctx.workerId },
    },
  );
}

/** A failed start: throttling and transient errors wait and retry; anything else fails the region. */
async function afterStartError(ctx: EngineContext, d: PassRow, error: CloudError): Promise<'failed' | number> {
  const decision = decideRetry(error.kind, d.attempts + 1, ctx.retry, ctx.random());
  if (decision.type === 'retry') {
    const at = ctx.clock.nowMs() + decision.delayMs;
    await deferStart(ctx.db, d, at, ctx.clock.nowMs());
    ctx.log.debug({ region: d.region, delivery: d.id, code: error.code }, 'copy start deferred');
    return at;
  }
  await finish(ctx, d, 'Failed', startRefused(error.kind, error.code, error.message));
  return 'failed';
}

/** Records a delivery's verdict with its event (once: a pass that got there first wins) and tells the observer. */
export async function finish(ctx: EngineContext, d: DeliveryRow, state: 'Available' | 'Failed', error: DeliveryError | null, imageId?: string): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const image = imageId ?? d.image_id;
  const what = d.kind === 'ingest' ? 'ingest' : 'copy';
  const available = state === 'Available';
  const won = await finishDelivery(ctx.db, d, { state, error, imageId: image, nowMs }, {
    versionId: d.version_id,
    region: d.region,
    atMs: nowMs,
    type: available ? (d.kind === 'ingest' ? 'IngestAvailable' : 'CopyAvailable') : d.kind === 'ingest' ? 'IngestFailed' : 'CopyFailed',
    message: available ? `${what} Available in ${d.region}: ${image}` : `${what} into ${d.region} failed: ${error!.code}${error!.cloudCode ? ` (${error!.cloudCode})` : ''}: ${error!.message}`,
    data: { imageId: image, error },
  });
  if (won && available) await ctx.speeds.recordFinished(d, nowMs);
  if (d.kind === 'copy') {
    ctx.observer.deliveryFinished?.({ region: d.region, state, durationMs: d.requested_at_ms === null ? null : nowMs - d.requested_at_ms, errorCode: error?.code ?? null });
  }
}

/** Deletes a failed copy rather than leave an orphan (best effort: a later failure leaves it unreleased). */
export async function discard(ctx: EngineContext, d: DeliveryRow, imageId: string): Promise<void> {
  if (await deleteImage(side(ctx), d.region, imageId)) await markImageReleased(ctx.db, d);
}

/** Cancels a running copy or deletes a finished one; true when the delivery is Cancelled. */
export async function cancelOne(ctx: EngineContext, d: DeliveryRow): Promise<boolean> {
  if (d.image_id && !(await cancelOrDelete(side(ctx), d.region, d.image_id))) return false;
  const nowMs = ctx.clock.nowMs();
  await markCancelled(ctx.db, d, nowMs, { versionId: d.version_id, region: d.region, atMs: nowMs, type: 'Cancelled', message: `${d.kind} in ${d.region} cancelled`, data: { imageId: d.image_id } });
  return true;
}

/**
 * Deletes the ingested image once every copy of its version is final and none uses it;
 * true when some could not be deleted yet (the region looks again soon).
 */
export async function releaseIngests(ctx: EngineContext, region: string): Promise<boolean> {
  let left = false;
  for (const i of await releasableIngests(ctx.db, region)) {
    if (!(await deleteImage(side(ctx), region, i.image_id!))) {
      left = true;
      continue;
    }
    await markImageReleased(ctx.db, i);
  }
  return left;
}
