/** The region lease is short and kept alive by its pass: renewed while held, given back after. */
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../../test/support/stores.ts';
import type { Store } from '../store/database.ts';
import { claimRegion, keepRegion, releaseRegion, type Lease } from './region-lease.ts';

const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

async function leaseOf(store: Store, region: string) {
  return store.db
    .selectFrom('region_schedule')
    .select(['lease_holder', sql<string>`lease_until::text`.as('until'), sql<boolean>`lease_until > now()`.as('live')])
    .where('region', '=', region)
    .executeTakeFirstOrThrow();
}

describe('region lease', () => {
  it('a held lease is renewed on a heartbeat, outliving its length, until the pass stops renewing it', async () => {
    const store = await pgliteBackend.open();
    stores.push(store);
    const lease: Lease = {
      db: store.db,
      wakeups: { wake: async () => {} },
      clock: { nowMs: () => 1_000 },
      workerId: 'w1',
      leaseSeconds: 0.3,
      log: pino({ level: 'silent' }),
    };
    await store.db.insertInto('region_schedule').values({ region: 'cn-beijing', wake_at_ms: 500, lease_holder: null, lease_until: null }).execute();
    expect(await claimRegion(lease, 'cn-beijing', 500)).toBe('claimed');
    const first = await leaseOf(store, 'cn-beijing');
    // Only who holds it: whether 0.3 s are already over when this read runs depends on the machine's load.
    expect(first.lease_holder).toBe('w1');
    expect(first.until).not.toBeNull();

    const stop = keepRegion(lease, 'cn-beijing');
    // Several renewals: the lease end moves on each beat.
    const seen = new Set([first.until]);
    while (seen.size < 4) {
      const cur = await leaseOf(store, 'cn-beijing');
      expect(cur.lease_holder).toBe('w1');
      seen.add(cur.until);
      await new Promise((r) => setTimeout(r, 50));
    }
    stop();
    await releaseRegion(lease, 'cn-beijing', null);
    expect(await leaseOf(store, 'cn-beijing')).toMatchObject({ lease_holder: null, live: null });
  });
});
