import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SHARE_ACCOUNTS } from '../../cloud/provider.ts';
import { applyShareCalls, desiredShares, SHARE_BATCH, shareDiff, type ShareState } from './share-diff.ts';
import { packageAudience } from './visibility.ts';

const DIST = 'acc-distribution';
const accs = (from: number, n: number) => Array.from({ length: n }, (_, i) => `acc-${String(from + i).padStart(3, '0')}`);
const state = (accounts: string[], isPublic = false): ShareState => ({ isPublic, accounts });

describe('share diff', () => {
  it('uses the cloud limit of 10 accounts a call', () => {
    expect(SHARE_BATCH).toBe(MAX_SHARE_ACCOUNTS);
  });

  it('makes no call when the copy is shared as it should be', () => {
    expect(shareDiff(state(accs(0, 3), true), state([...accs(0, 3)].reverse(), true), DIST)).toEqual([]);
  });

  it('adds and removes in batches of at most 10, sorted', () => {
    const calls = shareDiff(state(accs(0, 12)), state(accs(5, 20)), DIST);
    expect(calls).toEqual([
      { kind: 'add', accounts: accs(12, 10) },
      { kind: 'add', accounts: accs(22, 3) },
      { kind: 'remove', accounts: accs(0, 5) },
    ]);
  });

  it('grants before it revokes: public → whitelist adds the accounts, then goes private', () => {
    expect(shareDiff(state(['acc-owner'], true), state(['acc-a', 'acc-owner']), DIST)).toEqual([
      { kind: 'add', accounts: ['acc-a'] },
      { kind: 'setPublic', isPublic: false },
    ]);
    expect(shareDiff(state(['acc-a', 'acc-owner']), state(['acc-owner'], true), DIST)).toEqual([
      { kind: 'setPublic', isPublic: true },
      { kind: 'remove', accounts: ['acc-a'] },
    ]);
  });

  it('never shares with nor revokes the copy owner', () => {
    expect(shareDiff(state([DIST]), state(['acc-a', DIST]), DIST)).toEqual([{ kind: 'add', accounts: ['acc-a'] }]);
    expect(shareDiff(state([DIST, 'acc-a']), state([]), DIST)).toEqual([{ kind: 'remove', accounts: ['acc-a'] }]);
  });

  it('revokes a consumer removed from the whitelist', () => {
    const before = desiredShares(packageAudience('acc-owner', [{ ownerId: 'acc-owner', visibility: 'whitelist', accounts: ['acc-a', 'acc-b'], state: 'Online' }]));
    const after = desiredShares(packageAudience('acc-owner', [{ ownerId: 'acc-owner', visibility: 'whitelist', accounts: ['acc-b'], state: 'Online' }]));
    expect(shareDiff(before, after, DIST)).toEqual([{ kind: 'remove', accounts: ['acc-a'] }]);
  });

  it('applying the diff to the current shares yields the desired ones, and a second diff is empty (property)', () => {
    const pool = [DIST, ...accs(0, 30)];
    const share = fc.record({ isPublic: fc.boolean(), accounts: fc.subarray(pool) });
    fc.assert(
      fc.property(share, share, (current, desired) => {
        const calls = shareDiff(current, desired, DIST);
        for (const c of calls) {
          if (c.kind !== 'setPublic') {
            expect(c.accounts.length).toBeGreaterThanOrEqual(1);
            expect(c.accounts.length).toBeLessThanOrEqual(SHARE_BATCH);
            expect(c.accounts).not.toContain(DIST);
          }
        }
        const after = applyShareCalls(current, calls);
        const withoutOwner = (s: ShareState) => s.accounts.filter((a) => a !== DIST).sort();
        expect(after.isPublic).toBe(desired.isPublic);
        expect(withoutOwner(after)).toEqual(withoutOwner(desired));
        expect(after.accounts.includes(DIST)).toBe(current.accounts.includes(DIST));
        expect(shareDiff(after, desired, DIST)).toEqual([]);
      }),
    );
  });
});
