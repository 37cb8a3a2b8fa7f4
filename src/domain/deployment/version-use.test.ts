import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import { ReviewState } from '../service/review-state.ts';
import { InstanceState } from './instance-state.ts';
import { versionInUseError, versionUsers, type InstanceUse, type RevisionUse, type VersionKey } from './version-use.ts';

const v1: VersionKey = { packageId: 'pkg-1', version: 1 };
const rev = (state: ReviewState, versions: VersionKey[] = [v1]): RevisionUse => ({ serviceId: 'svc-1', serviceName: 'shop', revisionId: `rev-${state}`, state, versions });
const ins = (state: InstanceState, versions: VersionKey[] = [v1]): InstanceUse => ({ instanceId: `ins-${state}`, state, versions });

describe('who holds a version', () => {
  it.each(Object.values(ReviewState))('a %s revision holds it when submitted, approved or online', (state) => {
    const holds = ['Submitted', 'Approved', 'Online'].includes(state);
    expect(versionUsers({ ...v1 }, [rev(state)], [])).toEqual(
      holds ? [{ kind: 'revision', serviceId: 'svc-1', serviceName: 'shop', revisionId: `rev-${state}`, state }] : [],
    );
  });

  it.each(Object.values(InstanceState))('a %s instance holds it unless deleted', (state) => {
    expect(versionUsers({ ...v1 }, [], [ins(state)]).length).toBe(state === 'Deleted' ? 0 : 1);
  });

  it('matches the version, or any version when the whole package is deleted', () => {
    const other = [{ packageId: 'pkg-1', version: 2 }];
    expect(versionUsers({ ...v1 }, [rev('Online', other)], [ins('Deployed', other)])).toEqual([]);
    expect(versionUsers({ packageId: 'pkg-1' }, [rev('Online', other)], [ins('Deployed', other)]).map((u) => u.kind)).toEqual(['revision', 'instance']);
    expect(versionUsers({ packageId: 'pkg-1', version: 'draft' }, [rev('Online', [{ packageId: 'pkg-1', version: 'draft' }])], [])).toHaveLength(1);
    expect(versionUsers({ packageId: 'pkg-2' }, [rev('Online')], [ins('Deployed')])).toEqual([]);
  });

  it('refuses with VERSION_IN_USE listing the users', () => {
    const users = versionUsers({ ...v1 }, [rev('Online')], [ins('Deployed')]);
    const err = versionInUseError({ ...v1 }, users);
    expect(err.code).toBe(ErrorCode.VERSION_IN_USE);
    expect(err.details).toEqual({ users });
    expect(err.context).toEqual({ packageId: 'pkg-1', version: '1' });
  });
});
