/**
 * What every service use case starts from: the service the caller names, its revisions, and
 * whether the caller may act on it (domain/service/access.ts); the template as the engine sees
 * it; and the one way a revision changes state (the review state machine, recorded as an event).
 */
import type { Transaction } from 'kysely';
import type { Caller } from '../domain/account.ts';
import { isServiceId, relationTo, requireAccess, serviceAccess, type ServiceAction, type ServiceRelation } from '../domain/service/access.ts';
import type { AnalysedFile } from '../domain/service/association.ts';
import { applyReviewAction, serviceState, type ReviewAction, type ReviewActor, type ReviewState } from '../domain/service/review-state.ts';
import { isTemplateBundle, type DeployType, type ServiceTemplate } from '../domain/service/service-rules.ts';
import { serviceVisibleTo } from '../domain/visibility/visibility.ts';
import { analyze, detectFormat } from '../templates/engine.ts';
import type { Db } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import {
  appendServiceEvent,
  findOwnedService,
  findServiceById,
  listRevisions,
  updateRevision,
  type RevisionRecord,
  type ServiceRecord,
} from '../store/services-repo.ts';
import type { StoredTemplate } from '../store/services-schema.ts';
import type { AppDeps } from './deps.ts';

export interface ServiceContext {
  service: ServiceRecord;
  /** Newest first. */
  revisions: RevisionRecord[];
  relation: ServiceRelation;
}

/** The states of the one revision the vendor works on. */
export const OPEN_STATES: readonly ReviewState[] = ['Draft', 'Submitted', 'Approved', 'Rejected'];

export function openRevision(revisions: readonly RevisionRecord[]): RevisionRecord | undefined {
  return revisions.find((r) => OPEN_STATES.includes(r.state));
}

/**
 * The service `ref` names (an ID, or the name of one of the caller's own), if the caller may
 * take `action` on it: NOT_FOUND when it may not even see it, FORBIDDEN when it sees but may not act.
 * `forUpdate` locks the service row: every change to a service and its revisions takes it first.
 */
export async function loadService(db: Db, caller: Caller, ref: string, action: ServiceAction, forUpdate = false): Promise<ServiceContext> {
  const service = isServiceId(ref)
    ? await findServiceById(db, ref, { forUpdate })
    : await findOwnedService(db, caller.accountId, ref, { forUpdate });
  const revisions = service ? await listRevisions(db, [service.id]) : [];
  const relation = service ? relationTo(caller, service.ownerId) : 'other';
  const visible =
    service !== undefined &&
    serviceVisibleTo({ ownerId: service.ownerId, visibility: service.visibility, accounts: service.accounts, state: serviceState(revisions) ?? 'Draft' }, caller.accountId);
  requireAccess(service ? serviceAccess(relation, action, visible) : 'notFound', action, ref, relation);
  return { service: service!, revisions, relation };
}

const FILE_NAMES = { 'ros-yaml': 'template.yaml', 'ros-json': 'template.json', 'terraform-hcl': 'main.tf', 'terraform-json': 'main.tf.json' } as const;

/** A template as a request carries it → as stored: a single file is named for its format. */
export function storedTemplate(t: ServiceTemplate, deployType: DeployType): StoredTemplate {
  if (isTemplateBundle(t)) {
    return { files: Object.keys(t.files).sort().map((name) => ({ name, text: t.files[name]! })) };
  }
  const format = detectFormat('', t);
  return { files: [{ name: format ? FILE_NAMES[format] : deployType === 'terraform' ? 'main.tf' : 'template.yaml', text: t }] };
}

/**
 * The template engine's analysis of every file, plus one error when a file's format does not
 * fit the deploy type (a ROS service cannot deploy a Terraform file): submit refuses either.
 */
export function analyseTemplate(t: StoredTemplate, deployType: DeployType): AnalysedFile[] {
  return t.files.map((f) => {
    const a = analyze(f.name, f.text);
    const family = a.format === null ? null : a.format.startsWith('ros') ? 'ros' : 'terraform';
    const diagnostics: AnalysedFile['diagnostics'][number][] = [...a.diagnostics];
    if (family !== null && family !== deployType) {
      diagnostics.push({
        severity: 'error',
        code: 'DEPLOY_TYPE_MISMATCH',
        message: `${f.name} is a ${family === 'ros' ? 'ROS' : 'Terraform'} template; this service deploys with ${deployType}`,
        line: 1,
        column: 1,
      });
    }
    return { file: f.name, sites: a.sites, diagnostics };
  });
}

/** Extra columns a transition sets, from the state it leads to. */
type TransitionColumns = Partial<Pick<RevisionRecord, 'rejectReason' | 'submittedAt' | 'reviewedAt' | 'publishedAt'>>;

/**
 * Moves a revision through the review state machine and records who did it, when, from → to.
 * Refusals (role, state, reason) come from the domain with their codes. Returns the new state.
 */
export async function transitionRevision(
  trx: Transaction<Database>,
  deps: AppDeps,
  serviceId: string,
  revision: RevisionRecord,
  action: ReviewAction,
  actor: { role: ReviewActor; accountId: string | null },
  columns: (at: Date) => TransitionColumns = () => ({}),
): Promise<ReviewState> {
  const from = revision.state;
  const to = applyReviewAction(from, action, actor.role);
  const at = deps.clock.now();
  await updateRevision(trx, revision.id, { state: to, updatedAt: at, ...columns(at) });
  const reason = action.type === 'reject' ? action.reason : undefined;
  await appendServiceEvent(trx, {
    serviceId,
    revisionId: revision.id,
    at,
    actor: actor.accountId,
    type: action.type,
    message: `revision ${revision.number}: ${action.type}, ${from} → ${to}${reason ? `: ${reason}` : ''}`,
    data: { revision: revision.number, from, to, ...(reason ? { reason } : {}) },
  });
  revision.state = to;
  return to;
}
