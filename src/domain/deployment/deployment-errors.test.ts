/** The refusals of deployable.ts and version-use.ts, word for word: users and scripts read them. */
import { describe, expect, it } from 'vitest';
import { ErrorCode, ImagenestError } from '../errors.ts';
import { deploymentRevision } from './deployable.ts';
import { versionInUseError, versionUsers } from './version-use.ts';

const rev = (id: string, state: 'Draft' | 'Submitted' | 'Approved' | 'Rejected' | 'Online' | 'Offline', number: number) => ({ id, state, number });

function caught(run: () => unknown): ImagenestError {
  try {
    run();
  } catch (err) {
    return err as ImagenestError;
  }
  throw new Error('expected a refusal');
}

describe('deploymentRevision', () => {
  it('says why a service cannot be deployed: no Online revision for consumers, no revision at all for a test', () => {
    const consumer = caught(() => deploymentRevision('svc-1', [rev('r1', 'Draft', 1)] as never, 'consumer'));
    expect([consumer.code, consumer.message]).toEqual([ErrorCode.SERVICE_NOT_DEPLOYABLE, 'service svc-1 cannot be deployed: it has no Online revision']);
    expect(consumer.context).toEqual({ resource: 'svc-1' });
    const test = caught(() => deploymentRevision('svc-2', [], 'test'));
    expect([test.code, test.message]).toEqual([ErrorCode.SERVICE_NOT_DEPLOYABLE, 'service svc-2 cannot be deployed: it has no revision']);
  });
});

describe('versionInUseError', () => {
  const users = versionUsers(
    { packageId: 'pkg-1', version: 2 },
    [{ serviceId: 's1', serviceName: 'shop', revisionId: 'r1', state: 'Online', versions: [{ packageId: 'pkg-1', version: 2 }] }],
    [{ instanceId: 'i-1', state: 'Deployed', versions: [{ packageId: 'pkg-1', version: 2 }] }],
  );

  it('names a version and every user, with the users and the version in its details and context', () => {
    const e = versionInUseError({ packageId: 'pkg-1', version: 2 }, users);
    expect(e.code).toBe(ErrorCode.VERSION_IN_USE);
    expect(e.message).toBe('version 2 of package pkg-1 is in use by service shop (Online), instance i-1 (Deployed); take them offline or delete them first');
    expect(e.details).toEqual({ users });
    expect(e.context).toEqual({ packageId: 'pkg-1', version: '2' });
  });

  it('names a whole package when no version is given, with no version in its context', () => {
    const e = versionInUseError({ packageId: 'pkg-1' }, users.slice(1));
    expect(e.message).toBe('package pkg-1 is in use by instance i-1 (Deployed); take them offline or delete them first');
    expect(e.context).toEqual({ packageId: 'pkg-1' });
  });
});
