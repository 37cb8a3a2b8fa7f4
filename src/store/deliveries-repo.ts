/**
 * Deliveries and their event timeline: the only module that writes `deliveries` and
 * `delivery_events`. Every state it writes was chosen by the domain's delivery state machine.
 */
import type { DeliveryError } from '../domain/delivery/delivery-error.ts';
import type { Kysely } from 'kysely';
import type { DeliveryKind, DeliveryState } from '../domain/delivery/delivery-state.ts';
import { nextDeliveryState } from '../domain/delivery/delivery-state.ts';
import type { VersionState } from '../domain/version-state.ts';
import type { Db } from './database.ts';
import type { Database, DeliveryRow } from './schema.ts';
import { requestSharesOfVersion } from './share-reconciliations-repo.ts';

export type DeliveryEventType =
  | 'Published'
  | 'Retried'
  | 'CancelRequested'
  | 'DeleteRequested'
  | 'Cancelled'
  | 'IngestStarted'
  | 'CopyStarted'
  | 'IngestAvailable'
  | 'CopyAvailable'
  | 'IngestFailed'
  | 'CopyFailed'
  | `Version${VersionState}`;

export interface NewDeliveryEvent {
  versionId: string;
  /** Null for an event of the whole version. */
  region: string | null;
  atMs: number;
  type: DeliveryEventType;
  message: string;
  /** Stored as JSON; absent means no data. */
  data?: unknown;
}

/** Appends one entry to a version's timeline. */
export async function appendEvent(db: Db, e: NewDeliveryEvent): Promise<void> {
  await appendEvents(db, [e]);
}

/** Appends entries to timelines in one statement, in the order given. */
export async function appendEvents(db: Db, events: readonly NewDeliveryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('delivery_events')
    .values(events.map((e) => ({ version_id: e.versionId, region: e.region, at: new Date(e.atMs), type: e.type, message: e.message, data: e.data === undefined ? null : JSON.stringify(e.data) })))
    .execute();
}

export interface NewDelivery {
  id: string;
  versionId: string;
  kind: DeliveryKind;
  region: string;
  sourceRegion: string;
  sourceImageId: string;
  at: Date;
}

export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('deliveries')
    .values(
      rows.map((r) => ({
        id: r.id,
        version_id: r.versionId,
        kind: r.kind,
        region: r.region,
        state: 'Pending' as const,
        source_region: r.sourceRegion,
        source_image_id: r.sourceImageId,
        created_at: r.at,
        updated_at: r.at,
      })),
    )
    .execute();
}

export async function listDeliveries(db: Db, versionIds: readonly string[]): Promise<{ versionId: string; region: string; state: DeliveryState }[]> {
  if (versionIds.length === 0) return [];
  const rows = await db
    .selectFrom('deliveries')
    .select(['version_id', 'region', 'state'])
    .where('version_id', 'in', versionIds)
    .where('kind', '=', 'copy')
    .orderBy('region')
    .execute();
  return rows.map((r) => ({ versionId: r.version_id, region: r.region, state: r.state }));
}

/**
 * The deliveries of these versions that still hold, or are making, an image in the cloud: a
 * copy or ingest under way, a finished one whose image was not released, a cancellation not
 * yet done.
 */
export async function findLiveCopies(db: Db, versionIds: readonly string[]): Promise<{ version_id: string; region: string; state: DeliveryState }[]> {
  if (versionIds.length === 0) return [];
  return db
    .selectFrom('deliveries')
    .select(['version_id', 'region', 'state'])
    .where('version_id', 'in', versionIds)
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['Pending', 'Copying']),
        // A finished copy, or an ingested image not yet released (it may serve as a copy).
        eb.and([eb('state', '=', 'Available'), eb('image_released', '=', false)]),
        eb.and([eb('cancel_requested', '=', true), eb('state', '<>', 'Cancelled')]),
      ]),
    )
    .orderBy('region')
    .execute();
}

// ---- cancellation and retry, asked by the owner ----

/** A delivery with nothing in the cloud: Cancelled on the spot. */
export async function cancelAtOnce(db: Db, d: Pick<DeliveryRow, 'id' | 'state'>, at: Date): Promise<void> {
  const state = nextDeliveryState(d.state, { type: 'cancel' });
  await db.updateTable('deliveries').set({ state, cancel_requested: true, finished_at: at, updated_at: at }).where('id', '=', d.id).execute();
}

/** A delivery with an image in the cloud: the engine cancels or deletes it on its next pass. */
export async function requestCancellation(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('deliveries').set({ cancel_requested: true, updated_at: at }).where('id', '=', id).execute();
}

/** A finished delivery starts over as a new generation (a new ClientToken), with nothing of its last run. */
export async function resetForRetry(db: Db, d: Pick<DeliveryRow, 'id' | 'state' | 'generation'>, at: Date): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      state: nextDeliveryState(d.state, { type: 'retry' }),
      error_code: null,
      error_cloud_code: null,
      error_message: null,
      attempts: 0,
      next_attempt_at_ms: null,
      image_id: null,
      progress: 0,
      cloud_status: null,
      obs_first_ms: null,
      obs_first_pct: null,
      obs_last_ms: null,
      obs_last_pct: null,
      next_poll_at_ms: null,
      started_at: null,
      finished_at: null,
      requested_at_ms: null,
      detected_at_ms: null,
      copy_source_region: null,
      copy_source_image_id: null,
      cancel_requested: false,
      image_released: false,
      updated_at: at,
      generation: d.generation + 1,
    })
    .where('id', '=', d.id)
    .execute();
}

// ---- the engine's writes: one delivery at a time ----

export interface StartedCopy {
  imageId: string;
  requestedAtMs: number;
  nextPollAtMs: number;
  worker: string;
  nowMs: number;
}

/** The cloud holds the copy now (started, or found after a crash); its first look is planned. */
export async function markStarted(db: Kysely<Database>, d: Pick<DeliveryRow, 'id'>, s: StartedCopy, event: NewDeliveryEvent): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('deliveries')
      .set({
        // The intent was recorded first: a start always confirms a Copying delivery.
        state: nextDeliveryState('Copying', { type: 'started' }),
        image_id: s.imageId,
        attempts: 0,
        next_attempt_at_ms: null,
        requested_at_ms: s.requestedAtMs,
        started_at: new Date(s.nowMs),
        next_poll_at_ms: s.nextPollAtMs,
        cloud_status: 'Creating',
        worker: s.worker,
        updated_at: new Date(s.nowMs),
      })
      .where('id', '=', d.id)
      .execute();
    await appendEvent(trx, event);
  });
}

/** A start that failed in a way worth another try: back to Pending until `retryAtMs`. */
export async function deferStart(db: Db, d: Pick<DeliveryRow, 'id' | 'state' | 'attempts'>, retryAtMs: number, nowMs: number): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ state: nextDeliveryState(d.state, { type: 'defer' }), attempts: d.attempts + 1, next_attempt_at_ms: retryAtMs, updated_at: new Date(nowMs) })
    .where('id', '=', d.id)
    .execute();
}

export interface Outcome {
  state: 'Available' | 'Failed';
  error: DeliveryError | null;
  imageId: string | null;
  nowMs: number;
}

/**
 * Records the final verdict on an unfinished delivery with its event; false when another pass
 * got there first (the row was no longer Pending or Copying).
 */
export async function finishDelivery(
  db: Kysely<Database>,
  d: Pick<DeliveryRow, 'id' | 'state' | 'progress' | 'cloud_status'>,
  o: Outcome,
  event: NewDeliveryEvent,
): Promise<boolean> {
  const state = nextDeliveryState(d.state, { type: 'finish', outcome: o.state });
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('deliveries')
      .set({
        state,
        progress: state === 'Available' ? 100 : d.progress,
        image_id: o.imageId,
        cloud_status: state === 'Available' ? 'Available' : (o.error?.cloudCode ?? d.cloud_status),
        error_code: o.error?.code ?? null,
        error_cloud_code: o.error?.cloudCode ?? null,
        error_message: o.error?.message ?? null,
        finished_at: new Date(o.nowMs),
        detected_at_ms: o.nowMs,
        next_poll_at_ms: null,
        next_attempt_at_ms: null,
        updated_at: new Date(o.nowMs),
      })
      .where('id', '=', d.id)
      .where('state', 'in', ['Pending', 'Copying'])
      .returning('version_id')
      .executeTakeFirst();
    if (!r) return false;
    await appendEvent(trx, event);
    // A new copy gets the package's current share permissions.
    if (state === 'Available') await requestSharesOfVersion(trx, r.version_id, new Date(o.nowMs));
    return true;
  });
}

export interface Observation {
  pct: number;
  status: string;
  first: { atMs: number; pct: number } | undefined;
  nowMs: number;
  nextPollAtMs: number;
}

/** What one look at a running copy showed, and when to look again. */
export async function recordObservation(db: Db, d: Pick<DeliveryRow, 'id'>, o: Observation): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      progress: o.pct,
      cloud_status: o.status,
      obs_first_ms: o.first?.atMs ?? null,
      obs_first_pct: o.first?.pct ?? null,
      obs_last_ms: o.nowMs,
      obs_last_pct: o.pct,
      next_poll_at_ms: o.nextPollAtMs,
    })
    .where('id', '=', d.id)
    .execute();
}

/** The delivery's image is gone from the cloud (deleted, or never there). */
export async function markImageReleased(db: Db, d: Pick<DeliveryRow, 'id'>): Promise<void> {
  await db.updateTable('deliveries').set({ image_released: true }).where('id', '=', d.id).execute();
}

/** The cloud cancelled (or deleted) what the owner asked to cancel. */
export async function markCancelled(db: Kysely<Database>, d: Pick<DeliveryRow, 'id' | 'state'>, nowMs: number, event: NewDeliveryEvent): Promise<void> {
  const state = nextDeliveryState(d.state, { type: 'cancel' });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('deliveries')
      .set({ state, image_released: true, next_poll_at_ms: null, finished_at: new Date(nowMs), updated_at: new Date(nowMs) })
      .where('id', '=', d.id)
      .execute();
    await appendEvent(trx, event);
  });
}

/** The source image's real size, learnt at ingest, for every delivery of its version. */
export async function setVersionSize(db: Db, versionId: string, sizeGiB: number): Promise<void> {
  await db.updateTable('deliveries').set({ size_gib: sizeGiB }).where('version_id', '=', versionId).execute();
}
