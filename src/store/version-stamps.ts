/**
 * What decides whether a remembered regional image of a published version may still be served
 * (app/image-map.ts): the version's liveness and its deliveries' generation sum, in one query.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface VersionStamp {
  versionId: string;
  packageId: string;
  versionNumber: number | null;
  /** Deletion of the version or of its package was asked. */
  deleting: boolean;
  /** Some delivery of the version is being (or was) cancelled: its Available copies may go at any moment. */
  cancelling: boolean;
  /** The sum of its deliveries' generations: a retry raises it, nothing lowers it. */
  generation: string;
}

function stamps(db: Db) {
  return db
    .selectFrom('versions as v')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .select([
      'v.id',
      'v.package_id',
      'v.number',
      sql<boolean>`v.delete_requested_at is not null or p.delete_requested_at is not null`.as('deleting'),
      sql<boolean>`exists (select 1 from deliveries d where d.version_id = v.id and d.cancel_requested)`.as('cancelling'),
      sql<string>`(select coalesce(sum(d.generation), 0)::text from deliveries d where d.version_id = v.id)`.as('generation'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof stamps>['execute']>>[number];

const toStamp = (r: Row): VersionStamp => ({ versionId: r.id, packageId: r.package_id, versionNumber: r.number, deleting: r.deleting, cancelling: r.cancelling, generation: r.generation });

/** The stamps of the versions asked for that still exist, by version ID. */
export async function loadVersionStamps(db: Db, versionIds: readonly string[]): Promise<Map<string, VersionStamp>> {
  if (versionIds.length === 0) return new Map();
  const rows = await stamps(db).where('v.id', 'in', [...new Set(versionIds)]).execute();
  return new Map(rows.map((r) => [r.id, toStamp(r)]));
}

/** The stamps of the published versions named by package and number that still exist. */
export async function loadVersionStampsByNumber(db: Db, keys: readonly { packageId: string; versionNumber: number }[]): Promise<VersionStamp[]> {
  if (keys.length === 0) return [];
  const rows = await stamps(db)
    .where('v.package_id', 'in', [...new Set(keys.map((k) => k.packageId))])
    .where('v.number', 'in', [...new Set(keys.map((k) => k.versionNumber))])
    .execute();
  return rows.filter((r) => keys.some((k) => k.packageId === r.package_id && k.versionNumber === r.number)).map(toStamp);
}
