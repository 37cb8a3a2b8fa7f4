/**
 * The distribution engine's reads of `deliveries`: what a pass loads for its region, which
 * regions have work, and the ingests and copies of a version. Nothing here writes; the writes are
 * deliveries-repo.ts.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { DeliveryState } from '../domain/delivery/delivery-state.ts';
import type { Db } from './database.ts';
import type { DeliveryRow } from './schema.ts';

/** A delivery as a pass sees it: with its version's number and its package's owner and name. */
export interface PassRow extends DeliveryRow {
  number: number | null;
  package_id: string;
  owner_id: string;
  package_name: string;
}

/**
 * A delivery with work left: not yet final (or, with `states` ['Copying'], running), or cancelled
 * but not yet cleaned up in the cloud.
 */
function unfinished<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, table: 'deliveries' | 'd', states: readonly DeliveryState[] = ['Pending', 'Copying']) {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  return eb.or([eb(col('state'), 'in', states), eb.and([eb(col('cancel_requested'), '=', true), eb(col('state'), '<>', 'Cancelled')])]);
}

/** The deliveries into `region` as PassRows, for a read to narrow. */
function passRows(db: Db, region: string) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .selectAll('d')
    .select(['v.number', 'v.package_id', 'p.owner_id', 'p.name as package_name'])
    .where('d.region', '=', region);
}

/**
 * Every delivery into `region` with work left; with `inFlight`, only those running or with a
 * cancellation asked — what a pass polls and cancels, however long the region's queue.
 */
export async function loadRegion(db: Db, region: string, scope: 'unfinished' | 'inFlight' = 'unfinished'): Promise<PassRow[]> {
  const rows = await passRows(db, region)
    .where((eb) => unfinished(eb, 'd', scope === 'inFlight' ? ['Copying'] : undefined))
    .execute();
  return rows as PassRow[];
}

/**
 * The queued copies into `region` that settle without a slot: their version's ingest failed (or
 * was cancelled), or the ingested image is this region's copy. What a pass with every slot busy
 * still reads, instead of the whole queue.
 */
export async function loadSettleable(db: Db, region: string): Promise<PassRow[]> {
  const rows = await passRows(db, region)
    .innerJoin('deliveries as i', (j) => j.onRef('i.version_id', '=', 'd.version_id').on('i.kind', '=', 'ingest'))
    .where('d.kind', '=', 'copy')
    .where('d.state', '=', 'Pending')
    .where('d.cancel_requested', '=', false)
    .where('i.state', 'not in', ['Pending', 'Copying'])
    .where((eb) => eb.or([eb('i.state', '<>', 'Available'), eb('i.image_id', 'is', null), eb('i.region', '=', eb.ref('d.region'))]))
    .execute();
  return rows as PassRow[];
}

/** The regions where some delivery has work left. */
export async function regionsWithWork(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('deliveries').select('region').distinct().where((eb) => unfinished(eb, 'deliveries')).execute();
  return rows.map((r) => r.region);
}

export async function anyUnfinished(db: Db): Promise<boolean> {
  const rows = await db.selectFrom('deliveries').select('id').where((eb) => unfinished(eb, 'deliveries')).limit(1).execute();
  return rows.length > 0;
}

/** The ingest of each version that has a copy among `rows`. */
export async function ingestsFor(db: Db, rows: readonly DeliveryRow[]): Promise<Map<string, DeliveryRow>> {
  const ids = [...new Set(rows.filter((r) => r.kind === 'copy').map((r) => r.version_id))];
  if (ids.length === 0) return new Map();
  const ingests = await db.selectFrom('deliveries').selectAll().where('kind', '=', 'ingest').where('version_id', 'in', ids).execute();
  return new Map(ingests.map((i) => [i.version_id, i]));
}

/** The regions a version is copied into. */
export async function copyRegionsOf(db: Db, versionId: string): Promise<string[]> {
  const rows = await db.selectFrom('deliveries').select('region').where('version_id', '=', versionId).where('kind', '=', 'copy').execute();
  return rows.map((r) => r.region);
}

export async function copyStatesOf(db: Db, versionId: string): Promise<DeliveryState[]> {
  const rows = await db.selectFrom('deliveries').select('state').where('version_id', '=', versionId).where('kind', '=', 'copy').execute();
  return rows.map((r) => r.state);
}

export async function ingestOf(db: Db, versionId: string): Promise<Pick<DeliveryRow, 'region' | 'state' | 'image_released'> | undefined> {
  return db.selectFrom('deliveries').select(['region', 'state', 'image_released']).where('version_id', '=', versionId).where('kind', '=', 'ingest').executeTakeFirst();
}

/**
 * Ingested images to release (in `region`, or anywhere when null): those of versions being
 * deleted, once every copy is final. A live published version keeps its ingested image, which
 * serves its source region (SPEC §4); cancellation and deletion normally remove it with the
 * copies, so this only catches one their pass left behind.
 */
export function releasableIngests(db: Db, region: string | null): Promise<DeliveryRow[]> {
  let q = db.selectFrom('deliveries as i').selectAll('i').where('i.kind', '=', 'ingest');
  if (region !== null) q = q.where('i.region', '=', region);
  return q
    .where('i.state', '=', 'Available')
    .where('i.image_released', '=', false)
    .where(({ exists, selectFrom }) => exists(selectFrom('versions as v').select('v.id').whereRef('v.id', '=', 'i.version_id').where('v.delete_requested_at', 'is not', null)))
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
