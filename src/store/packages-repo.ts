/** Packages and versions, always scoped to the owning account; a broken name uniqueness comes out as a `UniqueViolation`. */
import { sql } from 'kysely';
import type { PackageRecord, VersionRecord } from '../domain/package.ts';
import type { PackageType, Tag, VersionContent } from '../domain/package-rules.ts';
import type { VersionState } from '../domain/version-state.ts';
import type { Db } from './database.ts';
import type { PackageRow, VersionRow } from './schema.ts';
import { mapUniqueViolation } from './unique-violation.ts';

export function toPackage(row: PackageRow): PackageRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    resourceGroup: row.resource_group,
    tags: row.tags,
    type: row.type as PackageType,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deleteRequestedAt: row.delete_requested_at,
  };
}

export function toVersion(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    packageId: row.package_id,
    number: row.number,
    name: row.name,
    description: row.description,
    content: row.content as unknown as VersionContent,
    state: row.state as VersionState,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    deleteRequestedAt: row.delete_requested_at,
  };
}

export async function insertPackage(db: Db, p: PackageRecord): Promise<void> {
  await mapUniqueViolation(() => db
    .insertInto('packages')
    .values({
      id: p.id,
      owner_id: p.ownerId,
      name: p.name,
      description: p.description,
      resource_group: p.resourceGroup,
      tags: JSON.stringify(p.tags),
      type: p.type,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })
    .execute());
}

/** Finds one of the owner's packages by ID or by name (names cannot contain '-', IDs do). */
export async function findOwnedPackage(
  db: Db,
  ownerId: string,
  idOrName: string,
  options: { forUpdate?: boolean } = {},
): Promise<PackageRecord | undefined> {
  let q = db
    .selectFrom('packages')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where(idOrName.includes('-') ? 'id' : 'name', '=', idOrName);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toPackage(row) : undefined;
}

export interface PackageFilter {
  nameContains?: string | undefined;
  resourceGroup?: string | undefined;
  tags?: Tag[] | undefined;
}

export interface PageCursor {
  createdAt: string;
  id: string;
}


/** One page of the owner's packages, oldest first, keyset-paginated on (created_at, id). */
export async function listOwnedPackages(
  db: Db,
  ownerId: string,
  filter: PackageFilter,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<PackageRecord[]> {
  let q = db.selectFrom('packages').selectAll().where('owner_id', '=', ownerId);
  if (filter.nameContains) q = q.where(sql<boolean>`position(lower(${filter.nameContains}) in lower(name)) > 0`);
  if (filter.resourceGroup) q = q.where('resource_group', '=', filter.resourceGroup);
  for (const tag of filter.tags ?? []) {
    q = q.where(sql<boolean>`tags @> ${JSON.stringify([tag])}::jsonb`);
  }
  if (page.after) {
    const { createdAt, id } = page.after;
    q = q.where(sql<boolean>`(created_at, id) > (${createdAt}::timestamptz, ${id})`);
  }
  const rows = await q.orderBy('created_at').orderBy('id').limit(page.limit).execute();
  return rows.map(toPackage);
}



export async function updatePackage(db: Db, p: PackageRecord): Promise<void> {
  await db
    .updateTable('packages')
    .set({
      description: p.description,
      resource_group: p.resourceGroup,
      tags: JSON.stringify(p.tags),
      updated_at: p.updatedAt,
    })
    .where('id', '=', p.id)
    .execute();
}

export async function deletePackage(db: Db, id: string): Promise<void> {
  await db.deleteFrom('packages').where('id', '=', id).execute();
}

export async function listVersions(db: Db, packageIds: readonly string[]): Promise<VersionRecord[]> {
  if (packageIds.length === 0) return [];
  const rows = await db
    .selectFrom('versions')
    .selectAll()
    .where('package_id', 'in', packageIds)
    // Published versions in number order, the draft last.
    .orderBy(sql`number asc nulls last`)
    .execute();
  return rows.map(toVersion);
}

export async function findDraft(db: Db, packageId: string): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('versions')
    .selectAll()
    .where('package_id', '=', packageId)
    .where('number', 'is', null)
    .executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

export async function findVersionByNumber(db: Db, packageId: string, n: number): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('versions')
    .selectAll()
    .where('package_id', '=', packageId)
    .where('number', '=', n)
    .executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

export async function findVersionById(db: Db, packageId: string, id: string): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('versions')
    .selectAll()
    .where('package_id', '=', packageId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

export async function insertVersion(db: Db, v: VersionRecord): Promise<void> {
  await mapUniqueViolation(() => db
    .insertInto('versions')
    .values({
      id: v.id,
      package_id: v.packageId,
      number: v.number,
      name: v.name,
      description: v.description,
      content: JSON.stringify(v.content),
      state: v.state,
      created_at: v.createdAt,
      updated_at: v.updatedAt,
      published_at: v.publishedAt,
    })
    .execute());
}

/** Rewrites a draft. The `number is null` guard makes a concurrently published version untouchable. */
export async function updateDraft(db: Db, v: VersionRecord): Promise<boolean> {
  const r = await mapUniqueViolation(() => db
    .updateTable('versions')
    .set({
      name: v.name,
      description: v.description,
      content: JSON.stringify(v.content),
      updated_at: v.updatedAt,
    })
    .where('id', '=', v.id)
    .where('number', 'is', null)
    .executeTakeFirst());
  return r.numUpdatedRows === 1n;
}

export async function nextVersionNumber(db: Db, packageId: string): Promise<number> {
  const row = await db
    .selectFrom('versions')
    .select(sql<number>`coalesce(max(number), 0) + 1`.as('n'))
    .where('package_id', '=', packageId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markPublished(
  db: Db,
  versionId: string,
  number: number,
  state: VersionState,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('versions')
    .set({ number, state, published_at: at, updated_at: at })
    .where('id', '=', versionId)
    .where('number', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function deleteVersion(db: Db, id: string): Promise<void> {
  await db.deleteFrom('versions').where('id', '=', id).execute();
}

/** Writes a version's state; the caller took it from the version state machine. */
export async function setVersionState(db: Db, versionId: string, state: VersionState, at: Date): Promise<void> {
  await db.updateTable('versions').set({ state, updated_at: at }).where('id', '=', versionId).execute();
}
