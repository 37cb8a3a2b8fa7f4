import { describe, expect, it } from 'vitest';
import { CLOUD_RETRY } from './retry-policy.ts';
import { afterCallFailure, afterRunFailure, CALL_ATTEMPTS_PER_RUN, servicesUsing, type PackageUseRow } from './share-plan.ts';

const use = (serviceId: string, revisionState: PackageUseRow['revisionState'], visibility: PackageUseRow['visibility'] = 'whitelist'): PackageUseRow => ({
  serviceId,
  ownerId: 'vendor',
  visibility,
  accounts: ['c1'],
  revisionState,
});

describe('servicesUsing', () => {
  it('counts a service Online when its Online revision associates the package, whatever its draft does', () => {
    expect(servicesUsing([use('s1', 'Online'), use('s1', 'Draft')]).map((s) => s.state)).toEqual(['Online']);
  });

  it('grants nothing through a service whose only associating revision is a draft or Offline', () => {
    expect(servicesUsing([use('s1', 'Offline'), use('s2', 'Submitted')]).map((s) => s.state)).toEqual(['Offline', 'Submitted']);
  });
});

describe('afterCallFailure', () => {
  it('skips an image that is gone, retries throttling a few times per run, then fails the run', () => {
    expect(afterCallFailure('notFound', 1, CLOUD_RETRY, 0.5)).toEqual({ type: 'skipImage' });
    expect(afterCallFailure('throttled', 1, CLOUD_RETRY, 0)).toEqual({ type: 'retry', delayMs: 1_000 });
    expect(afterCallFailure('transient', CALL_ATTEMPTS_PER_RUN, CLOUD_RETRY, 0)).toEqual({ type: 'failRun' });
    expect(afterCallFailure('permanent', 1, CLOUD_RETRY, 0)).toEqual({ type: 'failRun' });
  });
});

describe('afterRunFailure', () => {
  it('backs a retryable failure off per the policy without counting it failed; a permanent one waits the longest interval', () => {
    expect(afterRunFailure('throttled', 3, CLOUD_RETRY, 0)).toEqual({ delayMs: 4_000, failed: false });
    expect(afterRunFailure('permanent', 1, CLOUD_RETRY, 0)).toEqual({ delayMs: CLOUD_RETRY.maximumIntervalMs, failed: true });
    expect(afterRunFailure(null, 1, CLOUD_RETRY, 0)).toEqual({ delayMs: CLOUD_RETRY.maximumIntervalMs, failed: true });
  });
});
