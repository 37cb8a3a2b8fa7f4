import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ImagenestError } from '../errors.ts';
import { relationTo, requireAccess, serviceAccess, ServiceAction, type ServiceRelation } from './access.ts';

const A = ServiceAction;
/** The access rules, written out row by row: [relation, visible to others, allowed actions]. */
const allowed: [ServiceRelation, boolean, ServiceAction[]][] = [
  ['owner', false, [A.view, A.events, A.editTemplate, A.setVisibility, A.associate, A.submit, A.publish, A.offline, A.test, A.deploy]],
  ['owner', true, [A.view, A.events, A.editTemplate, A.setVisibility, A.associate, A.submit, A.publish, A.offline, A.test, A.deploy]],
  ['admin', false, [A.view, A.events, A.approve, A.reject, A.offline, A.deploy]],
  ['admin', true, [A.view, A.events, A.approve, A.reject, A.offline, A.deploy]],
  ['other', true, [A.view, A.deploy]],
  ['other', false, []],
];

describe('service access table', () => {
  it.each(allowed)('%s (visible to others: %s) may do exactly %j', (relation, visible, actions) => {
    for (const action of Object.values(A)) {
      const d = serviceAccess(relation, action, visible);
      if (actions.includes(action)) expect(d, action).toBe('allow');
      else expect(d, action).toBe(relation === 'other' && !visible ? 'notFound' : 'forbidden');
    }
  });

  it('hides an invisible service from others on every action, and never from its owner or admin (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(A)), fc.constantFrom<ServiceRelation>('owner', 'admin', 'other'), (action, relation) => {
        const hidden = serviceAccess(relation, action, false) === 'notFound';
        expect(hidden).toBe(relation === 'other');
      }),
    );
  });

  it('never lets anyone judge their own review', () => {
    expect(serviceAccess('owner', A.approve, true)).toBe('forbidden');
    expect(serviceAccess('owner', A.reject, true)).toBe('forbidden');
  });

  it('tells the relation from the caller', () => {
    expect(relationTo({ accountId: 'acc-1', role: 'supplier' }, 'acc-1')).toBe('owner');
    expect(relationTo({ accountId: 'acc-2', role: 'admin' }, 'acc-1')).toBe('admin');
    expect(relationTo({ accountId: 'acc-3', role: 'supplier' }, 'acc-1')).toBe('other');
    expect(relationTo({ accountId: 'acc-4', role: 'consumer' }, 'acc-1')).toBe('other');
  });

  it('refuses with NOT_FOUND or FORBIDDEN', () => {
    expect(() => requireAccess('notFound', A.view, 'svc-1', 'other')).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
    expect(() => requireAccess('forbidden', A.submit, 'svc-1', 'other')).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN }));
    expect(() => requireAccess('allow', A.view, 'svc-1', 'owner')).not.toThrow();
  });
});

describe('requireAccess, word for word', () => {
  const refusal = (decision: 'allow' | 'notFound' | 'forbidden', relation: 'owner' | 'admin' | 'other', action: ServiceAction = 'publish', ref = 'shop') => {
    try {
      requireAccess(decision, action, ref, relation);
      return undefined;
    } catch (err) {
      const e = err as ImagenestError;
      return [e.code, e.message, e.context];
    }
  };

  it('allows silently, hides what may not be seen, and names the relation in a refusal', () => {
    expect(refusal('allow', 'other')).toBeUndefined();
    expect(refusal('notFound', 'other')).toEqual(['NOT_FOUND', "service 'shop' not found among your own services (another account's service is named by its ID, svc-…)", { resource: 'shop' }]);
    expect(refusal('notFound', 'other', 'view', 'svc-0abc')).toEqual(['NOT_FOUND', "service 'svc-0abc' not found", { resource: 'svc-0abc' }]);
    expect(refusal('forbidden', 'other')).toEqual(['FORBIDDEN', "you may not publish another account's service", { resource: 'shop' }]);
    expect(refusal('forbidden', 'admin')).toEqual(['FORBIDDEN', 'you may not publish a service as admin', { resource: 'shop' }]);
    expect(refusal('forbidden', 'owner')).toEqual(['FORBIDDEN', 'you may not publish your own service', { resource: 'shop' }]);
    // Approving and rejecting are the reviewer's: the refusal says who may, not whose service it is.
    expect(refusal('forbidden', 'other', 'approve')).toEqual(['FORBIDDEN', 'only an admin may approve a service', { resource: 'shop' }]);
    expect(refusal('forbidden', 'owner', 'reject')).toEqual(['FORBIDDEN', 'only an admin may reject a service', { resource: 'shop' }]);
  });
});
