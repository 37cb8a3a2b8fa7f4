/** Service instances (deployments) and their events. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { InstanceImageColumn, InstanceRow, InstanceStateColumn, StoredTemplate } from './services-schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface InstanceRecord {
  id: string;
  serviceId: string;
  revisionId: string;
  ownerId: string;
  region: string;
  state: InstanceStateColumn;
  isTest: boolean;
  parameters: Record<string, string>;
  images: InstanceImageColumn[];
  resolvedTemplate: StoredTemplate;
  resources: unknown[];
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toInstance(r: InstanceRow): InstanceRecord {
  return {
    id: r.id,
    serviceId: r.service_id,
    revisionId: r.revision_id,
    ownerId: r.owner_id,
    region: r.region,
    state: r.state,
    isTest: r.is_test,
    parameters: r.parameters,
    images: r.images,
    resolvedTemplate: r.resolved_template,
    resources: r.resources,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertInstance(db: Db, i: InstanceRecord): Promise<void> {
  await db
    .insertInto('instances')
    .values({
      id: i.id,
      service_id: i.serviceId,
      revision_id: i.revisionId,
      owner_id: i.ownerId,
      region: i.region,
      state: i.state,
      is_test: i.isTest,
      parameters: JSON.stringify(i.parameters),
      images: JSON.stringify(i.images),
      resolved_template: JSON.stringify(i.resolvedTemplate),
      resources: JSON.stringify(i.resources),
      error_code: i.errorCode,
      error_message: i.errorMessage,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
    })
    .execute();
}

export async function updateInstance(
  db: Db,
  id: string,
  changes: Partial<Pick<InstanceRecord, 'state' | 'resources' | 'errorCode' | 'errorMessage'>> & { updatedAt: Date },
): Promise<void> {
  await db
    .updateTable('instances')
    .set({
      ...(changes.state !== undefined ? { state: changes.state } : {}),
      ...(changes.resources !== undefined ? { resources: JSON.stringify(changes.resources) } : {}),
      ...(changes.errorCode !== undefined ? { error_code: changes.errorCode } : {}),
      ...(changes.errorMessage !== undefined ? { error_message: changes.errorMessage } : {}),
      updated_at: changes.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** One of the owner's instances. */
export async function findOwnedInstance(db: Db, ownerId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<InstanceRecord | undefined> {
  let q = db.selectFrom('instances').selectAll().where('owner_id', '=', ownerId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toInstance(row) : undefined;
}

export async function findInstanceById(db: Db, id: string): Promise<InstanceRecord | undefined> {
  const row = await db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toInstance(row) : undefined;
}

export async function listOwnedInstances(
  db: Db,
  ownerId: string,
  page: { limit: number; after?: { createdAt: string; id: string } },
): Promise<InstanceRecord[]> {
  let q = db.selectFrom('instances').selectAll().where('owner_id', '=', ownerId);
  if (page.after) q = q.where(sql<boolean>`(created_at, id) > (${page.after.createdAt}::timestamptz, ${page.after.id})`);
  const rows = await q.orderBy('created_at').orderBy('id').limit(page.limit).execute();
  return rows.map(toInstance);
}

export async function appendInstanceEvent(db: Db, e: { instanceId: string; at: Date; type: string; message: string; data?: unknown }): Promise<void> {
  await db
    .insertInto('instance_events')
    .values({ instance_id: e.instanceId, at: e.at, type: e.type, message: e.message, data: e.data === undefined ? null : JSON.stringify(e.data) })
    .execute();
}

export async function listInstanceEvents(db: Db, instanceId: string) {
  return db.selectFrom('instance_events').selectAll().where('instance_id', '=', instanceId).orderBy('id').execute();
}

/** Every instance, in any state, whose images include a version of this package (the domain decides which are live). */
export async function instancesUsingPackage(db: Db, packageId: string): Promise<InstanceRecord[]> {
  const rows = await db
    .selectFrom('instances')
    .selectAll()
    .where(sql<boolean>`images @> ${JSON.stringify([{ packageId }])}::jsonb`)
    .execute();
  return rows.map(toInstance);
}
