import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReviewState } from '../service/review-state.ts';
import { mayUse, packageAudience, serviceVisibleTo, type AssociatedService, type Audience } from './visibility.ts';

const OWNER = 'acc-owner';
const A = 'acc-a';
const B = 'acc-b';
const C = 'acc-c';

const svc = (visibility: AssociatedService['visibility'], accounts: string[] = [], state: ReviewState = 'Online'): AssociatedService => ({
  ownerId: OWNER,
  visibility,
  accounts,
  state,
});

describe('package audience: every row of SPEC §6, in its order of precedence', () => {
  const rows: [string, AssociatedService[], Audience][] = [
    ['none → private (owner only)', [], { visibility: 'private', rule: 'noService', accounts: [OWNER] }],
    ['at least one public service → public', [svc('public')], { visibility: 'public', rule: 'publicService', accounts: [OWNER] }],
    ['all services private → private', [svc('private'), svc('private')], { visibility: 'private', rule: 'allPrivate', accounts: [OWNER] }],
    ['a service with a whitelist → that whitelist plus the owner', [svc('whitelist', [B, A])], { visibility: 'whitelist', rule: 'whitelist', accounts: [A, B, OWNER].sort() }],
    // Combinations.
    ['public + whitelist → public (public comes first)', [svc('whitelist', [A]), svc('public')], { visibility: 'public', rule: 'publicService', accounts: [OWNER] }],
    ['public + private → public', [svc('private'), svc('public')], { visibility: 'public', rule: 'publicService', accounts: [OWNER] }],
    ['two whitelists → their union plus the owner', [svc('whitelist', [A, B]), svc('whitelist', [B, C])], { visibility: 'whitelist', rule: 'whitelist', accounts: [A, B, C, OWNER].sort() }],
    ['whitelist + private → the whitelist', [svc('private'), svc('whitelist', [A])], { visibility: 'whitelist', rule: 'whitelist', accounts: [A, OWNER].sort() }],
    ['the public service went offline → the whitelist', [svc('public', [], 'Offline'), svc('whitelist', [A])], { visibility: 'whitelist', rule: 'whitelist', accounts: [A, OWNER].sort() }],
    ['a whitelist service went offline → its accounts lose access', [svc('whitelist', [A], 'Offline'), svc('whitelist', [B])], { visibility: 'whitelist', rule: 'whitelist', accounts: [B, OWNER].sort() }],
    ['the only service went offline → private', [svc('public', [], 'Offline')], { visibility: 'private', rule: 'noOnlineService', accounts: [OWNER] }],
    ['owner listed in a whitelist → once', [svc('whitelist', [OWNER, A])], { visibility: 'whitelist', rule: 'whitelist', accounts: [A, OWNER].sort() }],
  ];

  it.each(rows)('%s', (_, services, expected) => {
    expect(packageAudience(OWNER, services)).toEqual(expected);
  });

  it.each(['Draft', 'Submitted', 'Approved', 'Rejected', 'Offline'] as const)('a %s service grants nobody anything', (state) => {
    for (const s of [svc('public', [], state), svc('whitelist', [A], state)]) {
      const audience = packageAudience(OWNER, [s]);
      expect(audience).toEqual({ visibility: 'private', rule: 'noOnlineService', accounts: [OWNER] });
      expect(mayUse(audience, A)).toBe(false);
      expect(mayUse(audience, OWNER)).toBe(true);
    }
  });

  it('an association removed: the service no longer counts', () => {
    const both = [svc('whitelist', [A]), svc('whitelist', [B])];
    expect(mayUse(packageAudience(OWNER, both), A)).toBe(true);
    expect(mayUse(packageAudience(OWNER, both.slice(1)), A)).toBe(false);
    expect(packageAudience(OWNER, [])).toMatchObject({ visibility: 'private', rule: 'noService' });
  });

  it('mayUse: public grants everyone, otherwise the listed accounts only', () => {
    expect(mayUse(packageAudience(OWNER, [svc('public')]), 'acc-anyone')).toBe(true);
    expect(mayUse(packageAudience(OWNER, [svc('whitelist', [A])]), 'acc-anyone')).toBe(false);
    expect(mayUse(packageAudience(OWNER, [svc('private')]), A)).toBe(false);
  });

  it('the owner always may use it, and nobody gains access from a service that is not Online (property)', () => {
    const service = fc.record({
      ownerId: fc.constant(OWNER),
      visibility: fc.constantFrom('private', 'public', 'whitelist') as fc.Arbitrary<AssociatedService['visibility']>,
      accounts: fc.subarray([A, B, C]),
      state: fc.constantFrom(...Object.values(ReviewState)),
    });
    fc.assert(
      fc.property(fc.array(service, { maxLength: 6 }), fc.constantFrom(A, B, C), (services, consumer) => {
        const audience = packageAudience(OWNER, services);
        expect(mayUse(audience, OWNER)).toBe(true);
        const online = services.filter((s) => s.state === 'Online');
        const grantedByOnline = online.some((s) => s.visibility === 'public' || (s.visibility === 'whitelist' && s.accounts.includes(consumer)));
        expect(mayUse(audience, consumer)).toBe(grantedByOnline);
      }),
    );
  });
});

describe('service visible to an account', () => {
  it('owner always; others only while Online and by its visibility', () => {
    expect(serviceVisibleTo(svc('private', [], 'Draft'), OWNER)).toBe(true);
    expect(serviceVisibleTo(svc('public', [], 'Approved'), A)).toBe(false);
    expect(serviceVisibleTo(svc('public'), A)).toBe(true);
    expect(serviceVisibleTo(svc('whitelist', [A]), A)).toBe(true);
    expect(serviceVisibleTo(svc('whitelist', [A]), B)).toBe(false);
    expect(serviceVisibleTo(svc('private'), A)).toBe(false);
  });
});
