/** Services, their revisions, associations and review events; reads are scoped by the caller's use case. */
import { sql, type Kysely, type Transaction } from 'kysely';
import { isServiceId } from '../domain/service/access.ts';
import type { Database } from './schema.ts';
import type { AssociationRow, RevisionRow, RevisionStateColumn, ServiceRow, StoredTemplate } from './services-schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ServiceRecord {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  deployType: 'ros' | 'terraform';
  serviceType: string;
  visibility: 'private' | 'public' | 'whitelist';
  accounts: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface RevisionRecord {
  id: string;
  serviceId: string;
  number: number;
  state: RevisionStateColumn;
  template: StoredTemplate;
  rejectReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  publishedAt: Date | null;
}

export interface AssociationRecord {
  revisionId: string;
  placeholder: string;
  packageId: string;
  /** null: the package's draft. */
  versionNumber: number | null;
}

function toService(r: ServiceRow): ServiceRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    name: r.name,
    description: r.description,
    deployType: r.deploy_type,
    serviceType: r.service_type,
    visibility: r.visibility,
    accounts: r.accounts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRevision(r: RevisionRow): RevisionRecord {
  return {
    id: r.id,
    serviceId: r.service_id,
    number: r.number,
    state: r.state,
    template: r.template,
    rejectReason: r.reject_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    publishedAt: r.published_at,
  };
}

function toAssociation(r: AssociationRow): AssociationRecord {
  return { revisionId: r.revision_id, placeholder: r.placeholder, packageId: r.package_id, versionNumber: r.version_number };
}

export async function insertService(db: Db, s: ServiceRecord): Promise<void> {
  await db
    .insertInto('services')
    .values({
      id: s.id,
      owner_id: s.ownerId,
      name: s.name,
      description: s.description,
      deploy_type: s.deployType,
      service_type: s.serviceType,
      visibility: s.visibility,
      accounts: JSON.stringify(s.accounts),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    })
    .execute();
}

export async function updateService(
  db: Db,
  id: string,
  changes: Partial<Pick<ServiceRecord, 'description' | 'visibility' | 'accounts'>> & { updatedAt: Date },
): Promise<void> {
  await db
    .updateTable('services')
    .set({
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.visibility !== undefined ? { visibility: changes.visibility } : {}),
      ...(changes.accounts !== undefined ? { accounts: JSON.stringify(changes.accounts) } : {}),
      updated_at: changes.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** One service by ID (any owner): callers decide visibility. `forUpdate` serialises changes to it. */
export async function findServiceById(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<ServiceRecord | undefined> {
  let q = db.selectFrom('services').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toService(row) : undefined;
}

/** One of the owner's services by ID or by name (names cannot contain '-', IDs do). */
export async function findOwnedService(db: Db, ownerId: string, ref: string, opts: { forUpdate?: boolean } = {}): Promise<ServiceRecord | undefined> {
  let q = db
    .selectFrom('services')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where(isServiceId(ref) ? 'id' : 'name', '=', ref);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toService(row) : undefined;
}

export interface ServiceListFilter {
  /** Services this account owns. */
  ownerId?: string;
  /** Only services with an Online revision (what consumers may see). */
  onlineOnly?: boolean;
  /** Only these IDs. */
  ids?: readonly string[];
  /** Services this account may see: its own, and Online ones public or whitelisting it. */
  visibleTo?: string;
  /** Only services whose displayed state (the Online revision's, else the latest's) is this. */
  state?: RevisionStateColumn;
  limit: number;
  after?: { createdAt: string; id: string };
}

export async function listServices(db: Db, f: ServiceListFilter): Promise<ServiceRecord[]> {
  let q = db.selectFrom('services').selectAll();
  if (f.ownerId !== undefined) q = q.where('owner_id', '=', f.ownerId);
  if (f.ids !== undefined) {
    if (f.ids.length === 0) return [];
    q = q.where('id', 'in', [...f.ids]);
  }
  if (f.onlineOnly) {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('service_revisions as r').select('r.id').whereRef('r.service_id', '=', 'services.id').where('r.state', '=', 'Online')),
    );
  }
  if (f.visibleTo !== undefined) {
    const me = f.visibleTo;
    q = q.where(
      sql<boolean>`(owner_id = ${me} or (exists (select 1 from service_revisions r where r.service_id = services.id and r.state = 'Online')
        and (visibility = 'public' or (visibility = 'whitelist' and accounts @> ${JSON.stringify([me])}::jsonb))))`,
    );
  }
  if (f.state !== undefined) {
    q = q.where(
      sql<boolean>`coalesce(
        (select r.state from service_revisions r where r.service_id = services.id and r.state = 'Online' limit 1),
        (select r.state from service_revisions r where r.service_id = services.id order by r.number desc limit 1)) = ${f.state}`,
    );
  }
  if (f.after) q = q.where(sql<boolean>`(created_at, id) > (${f.after.createdAt}::timestamptz, ${f.after.id})`);
  const rows = await q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
  return rows.map(toService);
}

export async function insertRevision(db: Db, r: RevisionRecord): Promise<void> {
  await db
    .insertInto('service_revisions')
    .values({
      id: r.id,
      service_id: r.serviceId,
      number: r.number,
      state: r.state,
      template: JSON.stringify(r.template),
      reject_reason: r.rejectReason,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      submitted_at: r.submittedAt,
      reviewed_at: r.reviewedAt,
      published_at: r.publishedAt,
    })
    .execute();
}

export async function updateRevision(
  db: Db,
  id: string,
  changes: Partial<Pick<RevisionRecord, 'state' | 'template' | 'rejectReason' | 'submittedAt' | 'reviewedAt' | 'publishedAt'>> & { updatedAt: Date },
): Promise<void> {
  await db
    .updateTable('service_revisions')
    .set({
      ...(changes.state !== undefined ? { state: changes.state } : {}),
      ...(changes.template !== undefined ? { template: JSON.stringify(changes.template) } : {}),
      ...(changes.rejectReason !== undefined ? { reject_reason: changes.rejectReason } : {}),
      ...(changes.submittedAt !== undefined ? { submitted_at: changes.submittedAt } : {}),
      ...(changes.reviewedAt !== undefined ? { reviewed_at: changes.reviewedAt } : {}),
      ...(changes.publishedAt !== undefined ? { published_at: changes.publishedAt } : {}),
      updated_at: changes.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Every revision of the services named, newest first within a service. */
export async function listRevisions(db: Db, serviceIds: readonly string[]): Promise<RevisionRecord[]> {
  if (serviceIds.length === 0) return [];
  const rows = await db
    .selectFrom('service_revisions')
    .selectAll()
    .where('service_id', 'in', [...serviceIds])
    .orderBy('service_id')
    .orderBy('number', 'desc')
    .execute();
  return rows.map(toRevision);
}

export async function nextRevisionNumber(db: Db, serviceId: string): Promise<number> {
  const row = await db
    .selectFrom('service_revisions')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** Replaces a revision's associations with these. */
export async function setAssociations(db: Db, revisionId: string, list: readonly Omit<AssociationRecord, 'revisionId'>[]): Promise<void> {
  await db.deleteFrom('revision_associations').where('revision_id', '=', revisionId).execute();
  if (list.length === 0) return;
  await db
    .insertInto('revision_associations')
    .values(list.map((a) => ({ revision_id: revisionId, placeholder: a.placeholder, package_id: a.packageId, version_number: a.versionNumber })))
    .execute();
}

export async function listAssociations(db: Db, revisionIds: readonly string[]): Promise<AssociationRecord[]> {
  if (revisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('revision_associations')
    .selectAll()
    .where('revision_id', 'in', [...revisionIds])
    .orderBy('revision_id')
    .orderBy('placeholder')
    .execute();
  return rows.map(toAssociation);
}

/** What visibility needs of every service whose revisions associate a package: state per revision. */
export interface PackageUse {
  serviceId: string;
  ownerId: string;
  visibility: ServiceRecord['visibility'];
  accounts: string[];
  revisionId: string;
  revisionState: RevisionStateColumn;
  versionNumber: number | null;
}

export async function packageUses(db: Db, packageIds: readonly string[]): Promise<(PackageUse & { packageId: string })[]> {
  if (packageIds.length === 0) return [];
  const rows = await db
    .selectFrom('revision_associations as a')
    .innerJoin('service_revisions as r', 'r.id', 'a.revision_id')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .select([
      'a.package_id',
      'a.version_number',
      's.id as service_id',
      's.owner_id',
      's.visibility',
      's.accounts',
      'r.id as revision_id',
      'r.state',
    ])
    .where('a.package_id', 'in', [...packageIds])
    .orderBy('s.id')
    .orderBy('r.number')
    .execute();
  return rows.map((r) => ({
    packageId: r.package_id,
    serviceId: r.service_id,
    ownerId: r.owner_id,
    visibility: r.visibility,
    accounts: r.accounts,
    revisionId: r.revision_id,
    revisionState: r.state,
    versionNumber: r.version_number,
  }));
}

export interface ServiceEventInput {
  serviceId: string;
  revisionId: string | null;
  at: Date;
  actor: string | null;
  type: string;
  message: string;
  data?: unknown;
}

export async function appendServiceEvent(db: Db, e: ServiceEventInput): Promise<void> {
  await db
    .insertInto('service_events')
    .values({
      service_id: e.serviceId,
      revision_id: e.revisionId,
      at: e.at,
      actor: e.actor,
      type: e.type,
      message: e.message,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })
    .execute();
}

export async function listServiceEvents(db: Db, serviceId: string) {
  return db.selectFrom('service_events').selectAll().where('service_id', '=', serviceId).orderBy('id').execute();
}
