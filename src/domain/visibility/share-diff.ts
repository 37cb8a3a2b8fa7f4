/**
 * The share-permission calls that bring one regional copy from what it is shared with to
 * what its package's audience asks for (ModifyImageSharePermission, ≤10 accounts a call).
 */
import { assertNever } from '../assert-never.ts';
import type { Audience } from './visibility.ts';

/** ECS ModifyImageSharePermission: 1–10 accounts a call (cloud/provider.ts MAX_SHARE_ACCOUNTS). */
export const SHARE_BATCH = 10;

/** How a copy is, or should be, shared. */
export interface ShareState {
  isPublic: boolean;
  accounts: readonly string[];
}

export type ShareCall =
  | { kind: 'add'; accounts: string[] }
  | { kind: 'remove'; accounts: string[] }
  | { kind: 'setPublic'; isPublic: boolean };

/** The shares an audience asks for (account IDs as the cloud knows them: map them first if they differ). */
export function desiredShares(audience: Audience): ShareState {
  return { isPublic: audience.visibility === 'public', accounts: audience.accounts };
}

function batches(accounts: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < accounts.length; i += SHARE_BATCH) out.push(accounts.slice(i, i + SHARE_BATCH));
  return out;
}

/**
 * The calls to make, grants first and revocations last, so that an account keeping access
 * never loses it in between (e.g. public → whitelist adds the accounts before going private).
 * The copy's owner (the distribution account) is never shared with nor revoked. Sorted and
 * deduplicated: the same inputs always give the same calls; desired == current gives none.
 */
export function shareDiff(current: ShareState, desired: ShareState, copyOwner: string): ShareCall[] {
  const have = new Set(current.accounts);
  const want = new Set(desired.accounts);
  const add = [...want].filter((a) => !have.has(a) && a !== copyOwner).sort();
  const remove = [...have].filter((a) => !want.has(a) && a !== copyOwner).sort();
  const calls: ShareCall[] = batches(add).map((accounts) => ({ kind: 'add', accounts }));
  if (desired.isPublic && !current.isPublic) calls.push({ kind: 'setPublic', isPublic: true });
  if (!desired.isPublic && current.isPublic) calls.push({ kind: 'setPublic', isPublic: false });
  calls.push(...batches(remove).map((accounts): ShareCall => ({ kind: 'remove', accounts })));
  return calls;
}

/** The share state after `calls`: what the cloud would report once they all succeeded. */
export function applyShareCalls(current: ShareState, calls: readonly ShareCall[]): ShareState {
  let isPublic = current.isPublic;
  const accounts = new Set(current.accounts);
  for (const call of calls) {
    switch (call.kind) {
      case 'add':
        call.accounts.forEach((a) => accounts.add(a));
        break;
      case 'remove':
        call.accounts.forEach((a) => accounts.delete(a));
        break;
      case 'setPublic':
        isPublic = call.isPublic;
        break;
      default:
        assertNever(call);
    }
  }
  return { isPublic, accounts: [...accounts].sort() };
}
