/**
 * The decisions of a share reconciliation, pure: which services grant a package's audience
 * (from every revision that associates it), and what a failed call or run leads to.
 */
import type { CloudErrorKind } from '../cloud/provider.ts';
import type { ReviewState } from '../domain/service/review-state.ts';
import type { ServiceVisibility } from '../domain/service/service-rules.ts';
import type { AssociatedService } from '../domain/visibility/visibility.ts';
import { decideRetry, type RetryPolicy } from './retry-policy.ts';

/** One revision that associates the package (services-repo's packageUses). */
export interface PackageUseRow {
  serviceId: string;
  ownerId: string;
  visibility: ServiceVisibility;
  accounts: readonly string[];
  revisionState: ReviewState;
}

/**
 * One entry per service: `Online` when the revision consumers use associates the package (only
 * that grants access), else the state of its last associating revision, which grants nothing.
 * `uses` come ordered by service, then revision number.
 */
export function servicesUsing(uses: readonly PackageUseRow[]): AssociatedService[] {
  const byService = new Map<string, AssociatedService>();
  for (const u of uses) {
    const prior = byService.get(u.serviceId);
    if (prior?.state === 'Online') continue;
    byService.set(u.serviceId, { ownerId: u.ownerId, visibility: u.visibility, accounts: u.accounts, state: u.revisionState });
  }
  return [...byService.values()];
}

/** Calls retried inside one run before the run gives up and backs off as a whole. */
export const CALL_ATTEMPTS_PER_RUN = 4;

export type CallFailure = { type: 'retry'; delayMs: number } | { type: 'skipImage' } | { type: 'failRun' };

/**
 * A failed cloud call within a run. The image being gone (released, deleted) leaves nothing to
 * share; throttling and transient errors wait and retry per the policy, a few times per run.
 */
export function afterCallFailure(kind: CloudErrorKind, attempt: number, policy: RetryPolicy, random: number): CallFailure {
  if (kind === 'notFound') return { type: 'skipImage' };
  if (attempt >= CALL_ATTEMPTS_PER_RUN) return { type: 'failRun' };
  const d = decideRetry(kind, attempt, policy, random);
  return d.type === 'retry' ? d : { type: 'failRun' };
}

/**
 * When a failed run is tried again: per the policy for a retryable error; after a permanent
 * one, at the policy's longest interval (an audience must be enforced in the end, and the
 * cause, a missing credential say, may be fixed meanwhile). `failed`: counted as a failure.
 */
export function afterRunFailure(kind: CloudErrorKind | null, attempts: number, policy: RetryPolicy, random: number): { delayMs: number; failed: boolean } {
  const d = kind === null ? ({ type: 'fail' } as const) : decideRetry(kind, attempts, policy, random);
  return d.type === 'retry' ? { delayMs: d.delayMs, failed: false } : { delayMs: policy.maximumIntervalMs, failed: true };
}
