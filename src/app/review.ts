/**
 * Review and release of a service revision (SPEC §7): submit, approve, reject, publish,
 * offline. Each goes through the domain's state machine and is recorded as an event; a change
 * to or from Online asks for the share permissions of the packages it concerns to be reconciled.
 */
import type { Transaction } from 'kysely';
import type { Caller } from '../domain/account.ts';
import { notReadyError, submitReadiness } from '../domain/service/association.ts';
import { applyReviewAction, latestRevision, onlineRevision, planPublish } from '../domain/service/review-state.ts';
import type { ServiceAction } from '../domain/service/access.ts';
import type { Service } from '../contract/services.ts';
import type { Database } from '../store/schema.ts';
import { listAssociations, listRevisions, type RevisionRecord } from '../store/services-repo.ts';
import { loadVersionFacts } from '../store/version-facts.ts';
import type { AppDeps } from './deps.ts';
import { analyseTemplate, loadService, openRevision, transitionRevision, type ServiceContext } from './service-context.ts';
import { serviceView, toAssociation } from './service-views.ts';
import { requestShareReconciliation } from './share-requests.ts';

type Step = (trx: Transaction<Database>, ctx: ServiceContext) => Promise<void>;

/** Runs one review step on the locked service and answers with the service as it now is. */
async function reviewStep(deps: AppDeps, caller: Caller, ref: string, action: ServiceAction, step: Step): Promise<Service> {
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await loadService(trx, caller, ref, action, true);
    await step(trx, ctx);
    return serviceView(trx, ctx.service, await listRevisions(trx, [ctx.service.id]), ctx.relation);
  });
}

/**
 * The revision a review action applies to: the one under work, else the latest. When neither
 * fits, the state machine's refusal names the state found.
 */
function reviewed(ctx: ServiceContext): RevisionRecord {
  return openRevision(ctx.revisions) ?? latestRevision(ctx.revisions)!;
}

const actorOf = (caller: Caller) => ({ role: caller.role, accountId: caller.accountId });

/** Refused with SERVICE_NOT_READY (every problem listed) unless the template has no error and every placeholder is associated with an existing version. */
export function submit(deps: AppDeps, caller: Caller, ref: string): Promise<Service> {
  return reviewStep(deps, caller, ref, 'submit', async (trx, ctx) => {
    const revision = reviewed(ctx);
    // The state first: submitting a Submitted revision is a state conflict, not a readiness problem.
    applyReviewAction(revision.state, { type: 'submit' }, caller.role);
    const associations = (await listAssociations(trx, [revision.id])).map(toAssociation);
    const facts = await loadVersionFacts(trx, associations);
    const problems = submitReadiness({
      files: analyseTemplate(revision.template, ctx.service.deployType),
      associations,
      existingVersions: [...facts.values()].filter((f) => !f.deleting),
    });
    if (problems.length > 0) throw notReadyError(problems);
    await transitionRevision(trx, deps, ctx.service.id, revision, { type: 'submit' }, actorOf(caller), (at) => ({ submittedAt: at, rejectReason: null }));
  });
}

export function approve(deps: AppDeps, caller: Caller, ref: string): Promise<Service> {
  return reviewStep(deps, caller, ref, 'approve', async (trx, ctx) => {
    await transitionRevision(trx, deps, ctx.service.id, reviewed(ctx), { type: 'approve' }, actorOf(caller), (at) => ({ reviewedAt: at }));
  });
}

export function reject(deps: AppDeps, caller: Caller, ref: string, reason: string): Promise<Service> {
  return reviewStep(deps, caller, ref, 'reject', async (trx, ctx) => {
    await transitionRevision(trx, deps, ctx.service.id, reviewed(ctx), { type: 'reject', reason }, actorOf(caller), (at) => ({
      reviewedAt: at,
      rejectReason: reason.trim(),
    }));
  });
}

async function reconcileRevisions(trx: Transaction<Database>, deps: AppDeps, revisionIds: string[]): Promise<void> {
  const packages = (await listAssociations(trx, revisionIds)).map((a) => a.packageId);
  await requestShareReconciliation(trx, packages, deps.clock.now());
}

/** Approved (or Offline) → Online; the revision Online until now goes Offline, superseded. */
export function publish(deps: AppDeps, caller: Caller, ref: string): Promise<Service> {
  return reviewStep(deps, caller, ref, 'publish', async (trx, ctx) => {
    const online = onlineRevision(ctx.revisions);
    // Republishing an Offline service: its latest revision, when nothing is under work.
    const target = openRevision(ctx.revisions) ?? (online ? online : latestRevision(ctx.revisions)!);
    const steps = planPublish(ctx.revisions, target.id, caller.role);
    for (const step of steps) {
      const revision = ctx.revisions.find((r) => r.id === step.revisionId)!;
      const actor = step.actor === 'system' ? { role: 'system' as const, accountId: null } : actorOf(caller);
      await transitionRevision(trx, deps, ctx.service.id, revision, step.action, actor, (at) => (step.action.type === 'publish' ? { publishedAt: at } : {}));
    }
    await reconcileRevisions(trx, deps, steps.map((s) => s.revisionId));
  });
}

/** Online → Offline: consumers can no longer deploy it; owner or admin. */
export function offline(deps: AppDeps, caller: Caller, ref: string): Promise<Service> {
  return reviewStep(deps, caller, ref, 'offline', async (trx, ctx) => {
    const revision = onlineRevision(ctx.revisions) ?? reviewed(ctx);
    await transitionRevision(trx, deps, ctx.service.id, revision, { type: 'offline' }, actorOf(caller));
    await reconcileRevisions(trx, deps, [revision.id]);
  });
}
