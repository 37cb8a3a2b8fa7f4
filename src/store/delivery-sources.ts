/**
 * Where each copy comes from: the image a delivery copies, recorded before its CopyImage call
 * (a crash after it finds the copy again by the ClientToken derived from it), the relay plan's
 * choice of the region each copy of a version is meant to come from, and the reads the relay
 * planner and a pass's routing take.
 */
import { sql, type Kysely } from 'kysely';
import { nextDeliveryState } from '../domain/delivery/delivery-state.ts';
import { DEFAULT_SIZE_GIB } from './delivery-progress.ts';
import type { Db } from './database.ts';
import type { Database, DeliveryRow } from './schema.ts';

/** An image a copy starts from: the ingest's, or a copy of the same version already Available. */
export interface CopySource {
  region: string;
  imageId: string;
}

/**
 * Records the intent to call CopyImage, and from which image, before calling it: a crash from
 * here on is recognised by the next pass, which completes it from the same source.
 */
export async function markRequested(db: Db, d: Pick<DeliveryRow, 'id'>, nowMs: number, worker: string, source: CopySource): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      state: nextDeliveryState('Pending', { type: 'request' }),
      requested_at_ms: nowMs,
      worker,
      copy_source_region: source.region,
      copy_source_image_id: source.imageId,
      updated_at: new Date(nowMs),
    })
    .where('id', '=', d.id)
    .where('state', '=', 'Pending')
    .execute();
}

/** Every copy of these versions, final or not: who holds the version, who is making it, who waits for whom. */
export async function copiesOfVersions(db: Db, versionIds: readonly string[]): Promise<DeliveryRow[]> {
  if (versionIds.length === 0) return [];
  return db.selectFrom('deliveries').selectAll().where('kind', '=', 'copy').where('version_id', 'in', [...new Set(versionIds)]).execute();
}

/** The copies running out of one source region: how many, and the soonest any of them is looked at (when a slot out may free). */
export interface RunningOut {
  count: number;
  nextLookAtMs: number | null;
}

/** The copies (ingests included) running out of each source region now, as this database knows them. */
export async function copiesRunningOut(db: Db): Promise<Map<string, RunningOut>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['copy_source_region', sql<string>`count(*)`.as('n'), sql<string | null>`min(next_poll_at_ms)`.as('next')])
    .where('state', '=', 'Copying')
    .where('copy_source_region', 'is not', null)
    .groupBy('copy_source_region')
    .execute();
  return new Map(rows.map((r) => [r.copy_source_region!, { count: Number(r.n), nextLookAtMs: r.next === null ? null : Number(r.next) }]));
}

/** Work queued on one route: the summed size of the unfinished copies into `region` from `fromRegion`. */
export interface QueuedRoute {
  region: string;
  fromRegion: string;
  /** Σ max(1, size) over the copies (what a copy's expected time is linear in). */
  sizeGiB: number;
}

/**
 * The copies not yet final anywhere (but those of `exceptVersion`), summed per route: what the
 * relay planner weighs. One row per (destination, source) pair, however long the backlog.
 */
export async function queuedRoutes(db: Db, exceptVersion: string): Promise<QueuedRoute[]> {
  const from = sql<string>`coalesce(copy_source_region, relay_from, source_region, region)`;
  const rows = await db
    .selectFrom('deliveries')
    .select(['region', from.as('from_region'), sql<string>`sum(greatest(1, coalesce(size_gib, ${DEFAULT_SIZE_GIB})))`.as('size_gib')])
    .where('kind', '=', 'copy')
    .where('state', 'in', ['Pending', 'Copying'])
    .where('cancel_requested', '=', false)
    .where('version_id', '<>', exceptVersion)
    .groupBy(['region', from])
    .execute();
  return rows.map((r) => ({ region: r.region, fromRegion: r.from_region, sizeGiB: Number(r.size_gib) }));
}

/**
 * Plans a version's relays once: under a lock on its copies, those not yet planned get the
 * region `plan` chooses for them (reading through the transaction it is given). Two workers
 * planning the same version at once take turns, and the second finds it planned.
 */
export async function planVersion(
  db: Kysely<Database>,
  versionId: string,
  plan: (copies: DeliveryRow[], trx: Db) => Promise<ReadonlyMap<string, string>>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The version's copies locked in region order, as cancellation locks them: never a deadlock between the two.
    const copies = await trx.selectFrom('deliveries').selectAll().where('version_id', '=', versionId).where('kind', '=', 'copy').orderBy('region').forUpdate().execute();
    if (!copies.some((c) => c.relay_from === null)) return;
    const from = await plan(copies, trx);
    for (const c of copies) {
      const f = from.get(c.region);
      if (c.relay_from === null && f !== undefined) await trx.updateTable('deliveries').set({ relay_from: f }).where('id', '=', c.id).execute();
    }
  });
}

/** A region's copy of a version as the pass ranks it before routing: its planned source, and whether it is an entry. */
export interface RelayRole {
  plannedFrom: string | null;
  /** Some other region's copy, still waiting, is planned to come from this region's. */
  entry: boolean;
}

/** The relay role of the copy into `region` of each of these versions (two narrow reads, one row per version). */
export async function relayRoles(db: Db, region: string, versionIds: readonly string[]): Promise<Map<string, RelayRole>> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return new Map();
  const own = await db.selectFrom('deliveries').select(['version_id', 'relay_from']).where('kind', '=', 'copy').where('region', '=', region).where('version_id', 'in', ids).execute();
  const entries = await db
    .selectFrom('deliveries')
    .select('version_id')
    .distinct()
    .where('kind', '=', 'copy')
    .where('relay_from', '=', region)
    .where('region', '<>', region)
    .where('state', '=', 'Pending')
    .where('version_id', 'in', ids)
    .execute();
  const isEntry = new Set(entries.map((e) => e.version_id));
  return new Map(own.map((r) => [r.version_id, { plannedFrom: r.relay_from, entry: isEntry.has(r.version_id) }]));
}

/** The regions whose copies of a version wait to copy from `region` (they learn of its verdict). */
export async function dependentRegions(db: Db, versionId: string, region: string): Promise<string[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select('region')
    .where('version_id', '=', versionId)
    .where('kind', '=', 'copy')
    .where('state', '=', 'Pending')
    .where('relay_from', '=', region)
    .execute();
  return rows.map((r) => r.region);
}
