import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import type { RevisionState } from '../service/review-state.ts';
import { deploymentRevision } from './deployable.ts';

const rev = (number: number, state: RevisionState['state']): RevisionState => ({ id: `rev-${number}`, number, state });

describe('the revision a deployment uses', () => {
  const revisions = [rev(1, 'Online'), rev(2, 'Submitted')];

  it('a consumer deploys the Online revision, a test the latest one', () => {
    expect(deploymentRevision('svc-1', revisions, 'consumer').id).toBe('rev-1');
    expect(deploymentRevision('svc-1', revisions, 'test').id).toBe('rev-2');
  });

  it('refuses with SERVICE_NOT_DEPLOYABLE when there is nothing to deploy', () => {
    for (const state of ['Draft', 'Submitted', 'Approved', 'Rejected', 'Offline'] as const) {
      expect(() => deploymentRevision('svc-1', [rev(1, state)], 'consumer')).toThrow(
        expect.objectContaining({ code: ErrorCode.SERVICE_NOT_DEPLOYABLE, context: { resource: 'svc-1' } }),
      );
    }
    expect(() => deploymentRevision('svc-1', [], 'test')).toThrow(expect.objectContaining({ code: ErrorCode.SERVICE_NOT_DEPLOYABLE }));
  });
});
