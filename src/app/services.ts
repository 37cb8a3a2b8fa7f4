/**
 * Use cases for services (issue 10, SPEC §7): create, list, show, edit the template, set the
 * visibility, associate placeholders with package versions, and the review timeline. Review
 * transitions live in review.ts; shared loading and the state machine step in service-context.ts.
 */
import type { Transaction } from 'kysely';
import type { Caller } from '../domain/account.ts';
import { ErrorCode, ImagenestError, notFound, validationError, type Violation } from '../domain/errors.ts';
import { checkAssociation, checkAssociations, placeholdersOf, requirePlaceholder, type Association } from '../domain/service/association.ts';
import { latestRevision, onlineRevision } from '../domain/service/review-state.ts';
import {
  checkTemplate,
  checkWhitelist,
  ServiceVisibility,
  validateService,
  type ServiceInput,
  type ServiceTemplate,
} from '../domain/service/service-rules.ts';
import type { AssociateRequest, Service, ServiceEvent, ServiceList, TemplateUpdateResult } from '../contract/services.ts';
import { findDraft, findVersionByNumber } from '../store/packages-repo.ts';
import type { Database } from '../store/schema.ts';
import {
  appendServiceEvent,
  insertRevision,
  insertService,
  listAssociations,
  listRevisions,
  listServiceEvents,
  listServices as listServiceRows,
  nextRevisionNumber,
  setAssociations,
  updateRevision,
  updateService,
  type RevisionRecord,
  type ServiceRecord,
} from '../store/services-repo.ts';
import type { RevisionStateColumn, StoredTemplate } from '../store/services-schema.ts';
import type { AppDeps } from './deps.ts';
import { requirePackage } from './packages.ts';
import { decodeToken, encodeToken, pageLimit } from './paging.ts';
import { analyseTemplate, loadService, openRevision, storedTemplate, transitionRevision, type ServiceContext } from './service-context.ts';
import { serviceSummary, serviceView, toAssociation } from './service-views.ts';
import { requestShareReconciliation } from './share-requests.ts';

function serviceNameTaken(err: unknown, name: string): never {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505' && `${e.constraint ?? ''} ${e.message ?? ''}`.includes('services_owner_name_key')) {
    throw new ImagenestError(ErrorCode.SERVICE_NAME_TAKEN, `you already have a service named '${name}'; service names are unique per account`, {
      details: { violations: [{ field: 'name', rule: 'unique', message: 'already used by another of your services' }] },
    });
  }
  throw err;
}

/** A new Draft revision, not yet reviewed. */
function draftRevision(deps: AppDeps, serviceId: string, number: number, template: StoredTemplate, now: Date): RevisionRecord {
  return { id: deps.ids.id('rev'), serviceId, number, state: 'Draft', template, rejectReason: null, createdAt: now, updatedAt: now, submittedAt: null, reviewedAt: null, publishedAt: null };
}

async function reload(trx: Transaction<Database>, ctx: ServiceContext): Promise<Service> {
  return serviceView(trx, ctx.service, await listRevisions(trx, [ctx.service.id]), ctx.relation);
}

/** Creates a service and its first Draft revision holding the template. Suppliers only. */
export async function createService(deps: AppDeps, caller: Caller, input: ServiceInput): Promise<Service> {
  if (caller.role !== 'supplier') {
    throw new ImagenestError(ErrorCode.FORBIDDEN, `a ${caller.role} account cannot create services; use a supplier account`);
  }
  const valid = validateService(input);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const service: ServiceRecord = {
      id: deps.ids.id('svc'),
      ownerId: caller.accountId,
      name: valid.name,
      description: valid.description,
      deployType: valid.deployType,
      serviceType: valid.serviceType,
      visibility: valid.visibility,
      accounts: valid.accounts,
      createdAt: now,
      updatedAt: now,
    };
    const revision = draftRevision(deps, service.id, 1, storedTemplate(valid.template, valid.deployType), now);
    try {
      await insertService(trx, service);
    } catch (err) {
      serviceNameTaken(err, valid.name);
    }
    await insertRevision(trx, revision);
    await appendServiceEvent(trx, { serviceId: service.id, revisionId: revision.id, at: now, actor: caller.accountId, type: 'create', message: `service ${service.name} created with revision 1 (Draft)`, data: { revision: 1, from: null, to: 'Draft' } });
    return serviceView(trx, service, [revision], 'owner');
  });
}

export interface ListServicesQuery {
  limit?: number | undefined;
  nextToken?: string | undefined;
  state?: string | undefined;
}

const STATES: readonly RevisionStateColumn[] = ['Draft', 'Submitted', 'Approved', 'Rejected', 'Online', 'Offline'];

/** Admin: every service (e.g. `state=Submitted`, the review queue); others: their own and the Online ones visible to them. */
export async function listServices(deps: AppDeps, caller: Caller, query: ListServicesQuery): Promise<ServiceList> {
  const limit = pageLimit(query.limit);
  const state = query.state as RevisionStateColumn | undefined;
  if (state !== undefined && !STATES.includes(state)) {
    throw validationError([{ field: 'state', rule: 'enum', message: `state must be one of ${STATES.join(', ')}; got ${JSON.stringify(query.state)}` }]);
  }
  const after = query.nextToken ? decodeToken(query.nextToken) : undefined;
  const rows = await listServiceRows(deps.db, {
    ...(caller.role === 'admin' ? {} : { visibleTo: caller.accountId }),
    ...(state ? { state } : {}),
    ...(after ? { after } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const revisions = await listRevisions(deps.db, page.map((s) => s.id));
  return {
    items: page.map((s) => serviceSummary(s, revisions, s.ownerId === caller.accountId ? 'owner' : caller.role === 'admin' ? 'admin' : 'other')),
    nextToken: rows.length > limit ? encodeToken(page[page.length - 1]!) : null,
  };
}

export async function getService(deps: AppDeps, caller: Caller, ref: string): Promise<Service> {
  const ctx = await loadService(deps.db, caller, ref, 'view');
  return serviceView(deps.db, ctx.service, ctx.revisions, ctx.relation);
}

/**
 * The revision an edit goes to, with its associations: the open one (a Rejected one goes back
 * to Draft; a Submitted or Approved one refuses, per the state machine), else a new Draft
 * copied from the latest revision — consumers keep deploying the Online one meanwhile.
 */
async function revisionToEdit(trx: Transaction<Database>, deps: AppDeps, caller: Caller, ctx: ServiceContext): Promise<{ revision: RevisionRecord; associations: Association[] }> {
  const open = openRevision(ctx.revisions);
  if (open) {
    if (open.state !== 'Draft') await transitionRevision(trx, deps, ctx.service.id, open, { type: 'edit' }, { role: caller.role, accountId: caller.accountId });
    return { revision: open, associations: (await listAssociations(trx, [open.id])).map(toAssociation) };
  }
  const base = latestRevision(ctx.revisions)!;
  const now = deps.clock.now();
  const revision = draftRevision(deps, ctx.service.id, await nextRevisionNumber(trx, ctx.service.id), base.template, now);
  await insertRevision(trx, revision);
  const associations = (await listAssociations(trx, [base.id])).map(toAssociation);
  await setAssociations(trx, revision.id, associations.map(toRow));
  await appendServiceEvent(trx, { serviceId: ctx.service.id, revisionId: revision.id, at: now, actor: caller.accountId, type: 'edit', message: `revision ${revision.number} opened as a Draft copy of revision ${base.number}`, data: { revision: revision.number, from: null, to: 'Draft', copiedFrom: base.number } });
  ctx.revisions.unshift(revision);
  return { revision, associations };
}

function toRow(a: Association) {
  return { placeholder: a.placeholder, packageId: a.packageId, versionNumber: a.version === 'draft' ? null : a.version };
}

/** Replaces the template of the revision under work; associations whose placeholder left it are dropped and reported. */
export async function updateTemplate(deps: AppDeps, caller: Caller, ref: string, template: ServiceTemplate): Promise<TemplateUpdateResult> {
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await loadService(trx, caller, ref, 'editTemplate', true);
    const violations = checkTemplate(template, ctx.service.deployType);
    if (violations.length > 0) throw validationError(violations);
    const { revision, associations } = await revisionToEdit(trx, deps, caller, ctx);
    const stored = storedTemplate(template, ctx.service.deployType);
    const { stale } = checkAssociations(placeholdersOf(analyseTemplate(stored, ctx.service.deployType)), associations);
    const now = deps.clock.now();
    await updateRevision(trx, revision.id, { template: stored, updatedAt: now });
    revision.template = stored;
    if (stale.length > 0) await setAssociations(trx, revision.id, associations.filter((a) => !stale.includes(a)).map(toRow));
    await appendServiceEvent(trx, { serviceId: ctx.service.id, revisionId: revision.id, at: now, actor: caller.accountId, type: 'templateUpdated', message: `revision ${revision.number}: template replaced${stale.length ? `; ${stale.length} association(s) dropped` : ''}`, data: { revision: revision.number, dropped: stale } });
    await requestShareReconciliation(trx, stale.map((a) => a.packageId), now);
    return { ...(await reload(trx, ctx)), droppedAssociations: stale };
  });
}

/** Changes who may see and deploy the service, at once and without review. */
export async function setVisibility(deps: AppDeps, caller: Caller, ref: string, input: { visibility: string; accounts?: string[] | undefined }): Promise<Service> {
  const violations: Violation[] = [];
  if (!Object.values(ServiceVisibility).includes(input.visibility as ServiceVisibility)) {
    violations.push({ field: 'visibility', rule: 'enum', message: `visibility must be one of ${Object.values(ServiceVisibility).join(', ')}; got ${JSON.stringify(input.visibility)}` });
  }
  violations.push(...checkWhitelist(input.visibility, input.accounts));
  if (violations.length > 0) throw validationError(violations);
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await loadService(trx, caller, ref, 'setVisibility', true);
    const before = { visibility: ctx.service.visibility, accounts: ctx.service.accounts };
    const now = deps.clock.now();
    ctx.service.visibility = input.visibility as ServiceVisibility;
    ctx.service.accounts = [...new Set(input.accounts ?? [])].sort();
    ctx.service.updatedAt = now;
    await updateService(trx, ctx.service.id, { visibility: ctx.service.visibility, accounts: ctx.service.accounts, updatedAt: now });
    await appendServiceEvent(trx, { serviceId: ctx.service.id, revisionId: null, at: now, actor: caller.accountId, type: 'visibility', message: `visibility ${before.visibility} → ${ctx.service.visibility}`, data: { before, after: { visibility: ctx.service.visibility, accounts: ctx.service.accounts } } });
    // Only the Online revision grants anything (visibility.ts): its packages' audiences changed.
    const online = onlineRevision(ctx.revisions);
    if (online) await requestShareReconciliation(trx, (await listAssociations(trx, [online.id])).map((a) => a.packageId), now);
    return reload(trx, ctx);
  });
}

/** Binds a placeholder of the revision under work to a version of one of the caller's packages. */
export async function associate(deps: AppDeps, caller: Caller, ref: string, input: AssociateRequest): Promise<Service> {
  const violations = checkAssociation({ placeholder: input.placeholder, packageId: input.package, version: input.version }).map((v) => ({
    ...v,
    field: v.field.replace(/^association\./, '').replace('packageId', 'package'),
  }));
  if (violations.length > 0) throw validationError(violations);
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await loadService(trx, caller, ref, 'associate', true);
    // Locked: a package deletion waits for this association, or this refuses a package being deleted.
    const pkg = await requirePackage(trx, caller, input.package, true);
    const version = input.version === 'draft' ? await findDraft(trx, pkg.id) : await findVersionByNumber(trx, pkg.id, input.version);
    if (!version) throw notFound('version', `${pkg.name}/${input.version}`);
    if (version.deleteRequestedAt) {
      throw new ImagenestError(ErrorCode.CONFLICT, `version ${input.version} of ${pkg.name} is being deleted`, { context: { packageId: pkg.id, version: String(input.version) } });
    }
    const { revision, associations } = await revisionToEdit(trx, deps, caller, ctx);
    requirePlaceholder(placeholdersOf(analyseTemplate(revision.template, ctx.service.deployType)), input.placeholder);
    const previous = associations.find((a) => a.placeholder === input.placeholder);
    const next: Association = { placeholder: input.placeholder, packageId: pkg.id, version: input.version };
    await setAssociations(trx, revision.id, [...associations.filter((a) => a !== previous), next].map(toRow));
    const now = deps.clock.now();
    await appendServiceEvent(trx, { serviceId: ctx.service.id, revisionId: revision.id, at: now, actor: caller.accountId, type: 'associate', message: `revision ${revision.number}: ${input.placeholder} → ${pkg.name} ${input.version}`, data: { revision: revision.number, association: next, previous: previous ?? null } });
    await requestShareReconciliation(trx, [pkg.id, ...(previous ? [previous.packageId] : [])], now);
    return reload(trx, ctx);
  });
}

/** Removes a placeholder's association from the revision under work. */
export async function dissociate(deps: AppDeps, caller: Caller, ref: string, placeholder: string): Promise<Service> {
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await loadService(trx, caller, ref, 'associate', true);
    const { revision, associations } = await revisionToEdit(trx, deps, caller, ctx);
    const removed = associations.find((a) => a.placeholder === placeholder);
    if (!removed) throw notFound('association', placeholder);
    await setAssociations(trx, revision.id, associations.filter((a) => a !== removed).map(toRow));
    const now = deps.clock.now();
    await appendServiceEvent(trx, { serviceId: ctx.service.id, revisionId: revision.id, at: now, actor: caller.accountId, type: 'dissociate', message: `revision ${revision.number}: ${placeholder} no longer associated`, data: { revision: revision.number, previous: removed } });
    await requestShareReconciliation(trx, [removed.packageId], now);
    return reload(trx, ctx);
  });
}

/** The service's timeline: creation, edits, associations, visibility and every review transition. */
export async function serviceEvents(deps: AppDeps, caller: Caller, ref: string): Promise<ServiceEvent[]> {
  const ctx = await loadService(deps.db, caller, ref, 'events');
  const rows = await listServiceEvents(deps.db, ctx.service.id);
  return rows.map((e) => {
    const data = (e.data ?? {}) as { revision?: number; from?: RevisionStateColumn | null; to?: RevisionStateColumn | null };
    return { at: e.at.toISOString(), actor: e.actor, type: e.type, revision: data.revision ?? null, from: data.from ?? null, to: data.to ?? null, message: e.message, data: (e.data ?? null) as Record<string, unknown> | null };
  });
}
