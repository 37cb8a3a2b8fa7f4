/**
 * Where each copy comes from: the image a delivery copies, recorded before its CopyImage call
 * (a crash after it finds the copy again by the ClientToken derived from it), the relay plan's
 * choice of the region each copy of a version is meant to come from, and the reads the relay
 * planner and a pass's routing take.
 */
import type { Kysely } from 'kysely';
import { nextDeliveryState } from '../domain/delivery/delivery-state.ts';
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

/** Copies not yet final anywhere, with what the relay planner weighs: size and route. */
export async function unfinishedCopies(db: Db): Promise<Pick<DeliveryRow, 'version_id' | 'region' | 'size_gib' | 'relay_from' | 'source_region' | 'copy_source_region'>[]> {
  return db
    .selectFrom('deliveries')
    .select(['version_id', 'region', 'size_gib', 'relay_from', 'source_region', 'copy_source_region'])
    .where('kind', '=', 'copy')
    .where('state', 'in', ['Pending', 'Copying'])
    .where('cancel_requested', '=', false)
    .execute();
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
