/**
 * Services → the wire view. Consumers see what they deploy (the Online revision's number and
 * state); the owner and admin also see each revision's template, diagnostics, placeholders
 * with their associations and the regions where each associated version is usable now.
 */
import type { Service, ServiceSummary, RevisionView, AssociationView } from '../contract/services.ts';
import { usableRegions } from '../domain/deployment/image-resolution.ts';
import type { ServiceRelation } from '../domain/service/access.ts';
import { checkAssociations, placeholdersOf, type Association } from '../domain/service/association.ts';
import { onlineRevision, serviceState } from '../domain/service/review-state.ts';
import type { Db } from '../store/database.ts';
import { listAssociations, type AssociationRecord, type RevisionRecord, type ServiceRecord } from '../store/services-repo.ts';
import { loadVersionFacts, versionKey } from '../store/version-facts.ts';
import { analyseTemplate, openRevision } from './service-context.ts';

export function toAssociation(a: AssociationRecord): Association {
  return { placeholder: a.placeholder, packageId: a.packageId, version: a.versionNumber ?? 'draft' };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function revisionHead(r: RevisionRecord): RevisionView {
  return {
    id: r.id,
    number: r.number,
    state: r.state,
    rejectReason: r.rejectReason,
    createdAt: r.createdAt.toISOString(),
    submittedAt: iso(r.submittedAt),
    reviewedAt: iso(r.reviewedAt),
    publishedAt: iso(r.publishedAt),
  };
}

function serviceHead(s: ServiceRecord, revisions: readonly RevisionRecord[], relation: ServiceRelation) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    deployType: s.deployType,
    serviceType: s.serviceType,
    visibility: s.visibility,
    ...(relation === 'other' ? {} : { accounts: s.accounts }),
    ownerId: s.ownerId,
    state: serviceState(revisions) ?? 'Draft',
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function serviceSummary(s: ServiceRecord, revisions: readonly RevisionRecord[], relation: ServiceRelation): ServiceSummary {
  const own = revisions.filter((r) => r.serviceId === s.id);
  return {
    ...serviceHead(s, own, relation),
    onlineRevision: onlineRevision(own)?.number ?? null,
    draftRevision: relation === 'other' ? null : (openRevision(own)?.number ?? null),
  };
}

/** The full view of one service; `revisions` newest first, as the repository lists them. */
export async function serviceView(db: Db, s: ServiceRecord, revisions: readonly RevisionRecord[], relation: ServiceRelation): Promise<Service> {
  const online = onlineRevision(revisions);
  const draft = relation === 'other' ? undefined : openRevision(revisions);
  const shown = [online, draft].filter((r): r is RevisionRecord => r !== undefined);
  const details = relation === 'other' ? new Map<string, RevisionView>() : await revisionDetails(db, s, shown);
  const view = (r: RevisionRecord | undefined) => (r ? (details.get(r.id) ?? revisionHead(r)) : null);
  return { ...serviceHead(s, revisions, relation), revisions: { online: view(online), draft: view(draft) } };
}

async function revisionDetails(db: Db, s: ServiceRecord, revisions: readonly RevisionRecord[]): Promise<Map<string, RevisionView>> {
  const associations = await listAssociations(db, revisions.map((r) => r.id));
  const facts = await loadVersionFacts(db, associations.map(toAssociation));
  const missing = [...new Set(associations.map((a) => a.packageId))].filter((id) => ![...facts.values()].some((f) => f.packageId === id));
  const names = new Map(
    missing.length ? (await db.selectFrom('packages').select(['id', 'name']).where('id', 'in', missing).execute()).map((p) => [p.id, p.name]) : [],
  );
  const associationView = (a: Association): AssociationView => {
    const f = facts.get(versionKey(a));
    return { packageId: a.packageId, packageName: f?.packageName ?? names.get(a.packageId) ?? null, version: a.version, availableRegions: f ? usableRegions(f) : [] };
  };
  const out = new Map<string, RevisionView>();
  for (const r of revisions) {
    const files = analyseTemplate(r.template, s.deployType);
    const own = associations.filter((a) => a.revisionId === r.id).map(toAssociation);
    const placeholders = placeholdersOf(files);
    const byPlaceholder = new Map(own.map((a) => [a.placeholder, a]));
    out.set(r.id, {
      ...revisionHead(r),
      template: r.template,
      diagnostics: files.flatMap((f) => f.diagnostics.map((d) => ({ file: f.file, severity: d.severity, code: d.code, message: d.message, line: d.line, column: d.column, resource: d.resource ?? null }))),
      placeholders: placeholders.map((p) => {
        const a = byPlaceholder.get(p.value);
        return { value: p.value, sites: p.sites, association: a ? associationView(a) : null };
      }),
      staleAssociations: checkAssociations(placeholders, own).stale,
    });
  }
  return out;
}
