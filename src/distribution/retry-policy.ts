/** Retry as data plus a pure decision: what to do after a failed cloud call. */
import type { CloudErrorKind } from '../cloud/provider.ts';

export interface RetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Attempts after which a retryable error becomes a failure; Infinity for never. */
  maximumAttempts: number;
  /** Error kinds that fail at once. */
  nonRetryable: readonly CloudErrorKind[];
}

/** Throttling and transient errors are retried for as long as it takes; they never fail a region. */
export const CLOUD_RETRY: RetryPolicy = {
  initialIntervalMs: 2_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 120_000,
  maximumAttempts: Infinity,
  nonRetryable: ['notFound', 'quota', 'permanent'],
};

export type RetryDecision = { type: 'retry'; delayMs: number } | { type: 'fail' };

/**
 * `attempt` is the number of consecutive failures so far (1 after the first). `random` in
 * [0, 1) spreads retries ("equal jitter": half fixed, half random) so throttled callers
 * do not return in lockstep.
 */
export function decideRetry(kind: CloudErrorKind, attempt: number, policy: RetryPolicy, random: number): RetryDecision {
  if (policy.nonRetryable.includes(kind) || attempt >= policy.maximumAttempts) return { type: 'fail' };
  const base = Math.min(policy.maximumIntervalMs, policy.initialIntervalMs * policy.backoffCoefficient ** Math.max(0, attempt - 1));
  return { type: 'retry', delayMs: Math.round(base / 2 + (base / 2) * random) };
}
