/** Use cases around a published version's distribution: status, timeline, retry, cancel, image IDs. */
import type { Caller } from '../domain/account.ts';
import { ErrorCode, ImagenestError, notFound } from '../domain/errors.ts';
import type { PackageRecord, VersionRecord } from '../domain/package.ts';
import { START_LATENCY_MS } from '../domain/delivery/copy-estimate.ts';
import { isFinalDelivery, transition } from '../domain/version-state.ts';
import type { RegionImage, RegionStatus, VersionStatus } from '../contract/schemas.ts';
import type { Db } from '../store/database.ts';
import { appendEvent, resetForRetry } from '../store/deliveries-repo.ts';
import { findOwnedPackage, setVersionState } from '../store/packages-repo.ts';
import { deliveryEstimate, type DeliveryEstimate } from '../store/delivery-progress.ts';
import { loadSpeedBook } from '../store/speeds-repo.ts';
import { PRIOR_SPEEDS, routeSpeeds, type RouteSpeeds } from '../domain/delivery/learned-speeds.ts';
import type { DeliveryRow } from '../store/schema.ts';
import type { AppDeps } from './deps.ts';
import { requestCancel } from './cancellation.ts';
import { requireVersion } from './packages.ts';
import { keyOf, versionKey } from '../store/version-facts.ts';
import { changingImages, versionFactsIn } from './image-map.ts';
import { describeRefusal, versionImage } from '../domain/deployment/image-resolution.ts';

async function load(db: Db, caller: Caller, ref: string, label: string, forUpdate = false): Promise<{ p: PackageRecord; v: VersionRecord }> {
  const p = await findOwnedPackage(db, caller.accountId, ref, { forUpdate });
  if (!p) throw notFound('package', ref);
  return { p, v: await requireVersion(db, p, label) };
}

function regionStatus(d: DeliveryRow, estimate: DeliveryEstimate | null): RegionStatus {
  return {
    region: d.region,
    state: d.state,
    progress: d.progress,
    estimatedProgress: estimate ? Math.round(estimate.pct * 10) / 10 : d.state === 'Available' ? 100 : d.progress,
    expectedFinishAt: estimate ? new Date(estimate.endMs).toISOString() : null,
    imageId: d.image_id,
    sourceRegion: d.copy_source_region,
    sourceImageId: d.copy_source_image_id,
    error: d.error_code ? { code: d.error_code, cloudCode: d.error_cloud_code, message: d.error_message ?? '' } : null,
    startedAt: d.started_at?.toISOString() ?? null,
    finishedAt: d.finished_at?.toISOString() ?? null,
  };
}

/** What the engine expects of a delivery not yet final (null when final): a copy waiting for its ingest starts when that is expected to end. */
function estimateOf(d: DeliveryRow, ingest: DeliveryEstimate | null, nowMs: number, speeds: RouteSpeeds): DeliveryEstimate | null {
  if (isFinalDelivery(d.state) || d.cancel_requested) return null;
  return deliveryEstimate(d, nowMs, START_LATENCY_MS, d.kind === 'copy' && ingest ? ingest.endMs : nowMs, speeds);
}

export async function versionStatus(deps: AppDeps, caller: Caller, ref: string, label: string): Promise<VersionStatus> {
  const { p, v } = await load(deps.db, caller, ref, label);
  const rows = await deps.db.selectFrom('deliveries').selectAll().where('version_id', '=', v.id).orderBy('region').execute();
  const events = await deps.db.selectFrom('delivery_events').selectAll().where('version_id', '=', v.id).orderBy('id').execute();
  const now = deps.clock.now();
  const ingestRow = rows.find((r) => r.kind === 'ingest');
  // The learned speeds only matter while something is still on its way.
  const speeds = rows.some((r) => !isFinalDelivery(r.state)) ? routeSpeeds(await loadSpeedBook(deps.db)) : PRIOR_SPEEDS;
  const ingestEstimate = ingestRow ? estimateOf(ingestRow, null, now.getTime(), speeds) : null;
  return {
    package: p.name,
    packageId: p.id,
    version: v.number ?? 'draft',
    state: v.state,
    asOf: now.toISOString(),
    ingest: ingestRow ? regionStatus(ingestRow, ingestEstimate) : null,
    regions: rows.filter((r) => r.kind === 'copy').map((r) => regionStatus(r, estimateOf(r, ingestEstimate, now.getTime(), speeds))),
    events: events.map((e) => ({ at: e.at.toISOString(), region: e.region, type: e.type, message: e.message })),
  };
}

/** Retries the failed (or cancelled) regions of a version in place; the content stays locked. */
export async function retry(deps: AppDeps, caller: Caller, ref: string, label: string, region?: string): Promise<VersionStatus> {
  await changingImages(deps.lookups?.images, () => deps.db.transaction().execute(async (trx) => {
    const { p, v } = await load(trx, caller, ref, label, true);
    if (v.deleteRequestedAt || p.deleteRequestedAt) {
      throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, `version ${v.number} of ${p.name} is being deleted; it cannot be retried`);
    }
    const next = transition(v.state, { type: 'retry' });
    if (!next.ok) throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, next.reason);
    // Region order everywhere several regions are woken in one transaction: no deadlocks between them.
    const rows = await trx.selectFrom('deliveries').selectAll().where('version_id', '=', v.id).orderBy('region').forUpdate().execute();
    const copies = rows.filter((r) => r.kind === 'copy');
    const retryable = copies.filter((r) => (r.state === 'Failed' || r.state === 'Cancelled') && (!region || r.region === region));
    if (region && !copies.some((r) => r.region === region)) {
      throw new ImagenestError(ErrorCode.REGION_NOT_AVAILABLE, `${region} is not a distribution region of version ${v.number}`, { context: { region } });
    }
    if (retryable.length === 0) {
      throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, region ? `${region} has not failed; only Failed or Cancelled regions are retried` : 'no region has failed');
    }
    const now = deps.clock.now();
    const ingest = rows.find((r) => r.kind === 'ingest');
    const wake = new Set<string>();
    if (ingest && (ingest.state !== 'Available' || ingest.image_released)) {
      await resetForRetry(trx, ingest, now);
      wake.add(ingest.region);
    }
    for (const r of retryable) {
      await resetForRetry(trx, r, now);
      wake.add(r.region);
    }
    for (const region of [...wake].sort()) await deps.wakeups.wake(trx, region, deps.clock.now().getTime());
    await setVersionState(trx, v.id, next.state, now);
    await appendEvent(trx, { versionId: v.id, region: region ?? null, atMs: deps.clock.now().getTime(), type: 'Retried', message: `retry of ${retryable.map((r) => r.region).join(', ')}` });
  }));
  return versionStatus(deps, caller, ref, label);
}

/** Cancels a distribution: running copies are cancelled and finished ones deleted, region by region. */
export async function cancel(deps: AppDeps, caller: Caller, ref: string, label: string): Promise<VersionStatus> {
  await changingImages(deps.lookups?.images, () => deps.db.transaction().execute(async (trx) => {
    const { v } = await load(trx, caller, ref, label, true);
    if (v.number === null) throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, 'a draft is not being distributed');
    const n = await requestCancel(trx, deps, v.id);
    await appendEvent(trx, { versionId: v.id, region: null, atMs: deps.clock.now().getTime(), type: 'CancelRequested', message: `cancel requested for ${n} deliveries` });
  }));
  return versionStatus(deps, caller, ref, label);
}

/**
 * The image ID of a version in a region, handed out only once the cloud reports it Available;
 * the draft's and the source region's come from the same resolution deployments use.
 */
export async function imageId(deps: AppDeps, caller: Caller, ref: string, label: string, region: string): Promise<RegionImage> {
  const remembered = await deps.lookups?.images.ownedImage(caller.accountId, ref, label, region);
  if (remembered) return { imageId: remembered.imageId, region, version: remembered.versionNumber };
  const { p, v } = await load(deps.db, caller, ref, label);
  const version = v.number ?? 'draft';
  const key = keyOf(p.id, v.number);
  const facts = (await versionFactsIn(deps.db, deps.lookups?.images, [key], region)).get(versionKey(key));
  if (!facts) throw notFound('version', `${p.name}/${label}`);
  const r = versionImage(facts, region);
  if (v.number !== null) deps.lookups?.images.rememberOwned(caller.accountId, ref, label, v.id);
  if (r.ok) return { imageId: r.imageId, region, version };
  throw new ImagenestError(ErrorCode.REGION_NOT_AVAILABLE, describeRefusal(r.refusal), {
    details: { region, state: r.refusal.state },
    context: { region, version: String(version) },
  });
}
