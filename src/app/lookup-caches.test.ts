/** The token cache and the bounded cache under it, on a fake clock: expiry, bounds, what is never remembered. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { replaceTokens } from '../store/accounts-repo.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { authenticate } from './accounts.ts';
import { BoundedCache } from './bounded-cache.ts';
import type { AppDeps } from './deps.ts';
import { hashToken } from './ids.ts';
import { createLookupCaches, TOKEN_CACHE_TTL_MS } from './lookup-caches.ts';

describe('BoundedCache', () => {
  it('drops the least recently used entry past its bound', () => {
    const c = new BoundedCache<string, number>({ maxEntries: 2, nowMs: () => 0 });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, undefined, 3, 2]);
  });

  it('serves an entry for less than its TTL, never at or after it', () => {
    let now = 1_000;
    const c = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 5_000, nowMs: () => now });
    c.set('a', 1);
    now += 4_999;
    expect(c.get('a')).toBe(1);
    now += 1;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});

describe('authentication from the token cache', () => {
  let store: Store;
  let deps: AppDeps;
  let now = 0;
  beforeAll(async () => {
    store = await pgliteBackend.open();
    deps = { ...depsFor(store) };
    deps.lookups = createLookupCaches(store.db, 'this-process', () => now);
  });
  afterAll(async () => store?.close());

  it(`accepts a token replaced elsewhere for less than ${TOKEN_CACHE_TTL_MS} ms after it was last checked, then refuses it`, async () => {
    const admin = await makeAccount(deps, 'admin');
    expect((await authenticate(deps, admin.token))?.id).toBe(admin.accountId);
    // `imagenest admin reset-token` writes to the database, not to this process.
    await replaceTokens(store.db, admin.accountId, hashToken('inest_the_new_one'), new Date());
    now += TOKEN_CACHE_TTL_MS - 1;
    expect((await authenticate(deps, admin.token))?.id).toBe(admin.accountId);
    now += 1;
    expect(await authenticate(deps, admin.token)).toBeUndefined();
    expect((await authenticate(deps, 'inest_the_new_one'))?.id).toBe(admin.accountId);
  });

  it('never remembers an unknown token: one created afterwards works at once', async () => {
    const token = 'inest_not_yet_issued';
    expect(await authenticate(deps, token)).toBeUndefined();
    const a = await makeAccount(deps, 'consumer');
    await replaceTokens(store.db, a.accountId, hashToken(token), new Date());
    expect((await authenticate(deps, token))?.id).toBe(a.accountId);
  });
});
