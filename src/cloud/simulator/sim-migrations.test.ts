/** The simulator's own schema: made on open, and adopted from a database main's product migration 0002 had set up. */
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/stores.ts';
import { VirtualClock } from './clocks.ts';
import { sharedSimClock } from './sim-clock.ts';
import { defaultSimSchema, openSimDatabase, SIM_SCHEMA } from './sim-migrations.ts';
import { CloudSimulator } from './simulator.ts';

/** The product's migration 0002 as main ran it (frozen history: what an existing database holds). */
async function legacyProductMigration0002(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('sim_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'jsonb', (c) => c.notNull()).execute();
  await sql`create table sim_images (
    image_id text primary key, account text not null, region text not null, name text not null,
    size_gib double precision not null, tags jsonb not null default '[]'::jsonb, shared_with jsonb not null default '[]'::jsonb,
    source_image_id text, source_region text, client_token text, request_fingerprint text,
    requested_at_ms double precision not null, start_at_ms double precision not null, finish_at_ms double precision not null,
    fail_at_ms double precision, end_at_ms double precision not null,
    cancelled boolean not null default false, deleted boolean not null default false)`.execute(db);
  await sql`create index sim_images_account_region_idx on sim_images (account, region)`.execute(db);
  await sql`create index sim_images_region_end_idx on sim_images (region, end_at_ms)`.execute(db);
  await sql`create unique index sim_images_client_token_idx on sim_images (account, client_token) where client_token is not null`.execute(db);
}

const T0 = Date.UTC(2026, 0, 1);

describe.each(backends)('simulator schema on $name', (backend) => {
  if (backend.skipReason) {
    it.skip(backend.skipReason, () => {});
    return;
  }
  // The first store of a file builds the backend's template: under the hook's time limit, not a test's.
  beforeAll(async () => (await backend.open()).close());

  it('keeps its tables out of the product schema, in a schema of its own per product schema', async () => {
    const store = await backend.open();
    try {
      const schema = await defaultSimSchema(store.db);
      const product = store.target.kind === 'postgres' ? store.target.schema : undefined;
      expect(schema).toBe(product ? `${product}_sim` : SIM_SCHEMA);
      const sim = new CloudSimulator(await openSimDatabase(store.db), new VirtualClock(T0), 1);
      await sim.createImage({ account: 'a', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const { rows } = await sql<{ t: string | null }>`select to_regclass('sim_images')::text as t`.execute(store.db);
      expect(rows[0]!.t).toBeNull();
      const moved = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'images')}`.execute(store.db);
      expect(moved.rows[0]!.n).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('moves the rows of a database migrated before into its schema, and the simulated cloud carries on', async () => {
    const store = await backend.open();
    try {
      await legacyProductMigration0002(store.db as Kysely<unknown>);
      await sql`insert into sim_images (image_id, account, region, name, size_gib, requested_at_ms, start_at_ms, finish_at_ms, end_at_ms)
        values ('m-old', 'a', 'cn-hangzhou', 'old', 20, ${T0}, ${T0}, ${T0}, ${T0})`.execute(store.db);
      await sql`insert into sim_meta (key, value) values
        ('faults', '{"throttleRate":0,"transientRate":0,"regionFailureRate":{"us-east-1":1},"outages":[]}'),
        ('clock', ${JSON.stringify({ realMs: T0, simMs: T0 + 5_000, speed: 60 })}::jsonb)`.execute(store.db);

      const simDb = await openSimDatabase(store.db);
      await openSimDatabase(store.db); // a second process opening it finds nothing left to do
      const { rows } = await sql<{ t: string | null }>`select to_regclass('sim_images')::text as t`.execute(store.db);
      expect(rows[0]!.t).toBeNull();

      const clock = new VirtualClock(T0 + 60_000);
      const sim = new CloudSimulator(simDb, clock, 1);
      expect((await sim.ownedImages('a')).map((i) => i.imageId)).toEqual(['m-old']);
      expect((await sim.getFaults()).regionFailureRate).toEqual({ 'us-east-1': 1 });
      expect((await sharedSimClock(simDb, undefined, 1, () => T0 + 1_000)).nowMs()).toBe(T0 + 5_000 + 60_000);
      const copy = { account: 'a', sourceRegionId: 'cn-hangzhou', imageId: 'm-old', destinationRegionId: 'cn-beijing', clientToken: 't-1', name: 'c', tags: [] };
      const first = await sim.copyImage(copy);
      // The moved unique index still makes a repeated ClientToken idempotent.
      expect(await sim.copyImage(copy)).toEqual(first);
      await expect(simDb.insertInto('images').values({ image_id: 'dup', account: 'a', region: 'cn-beijing', name: 'd', size_gib: 1, client_token: 't-1', requested_at_ms: T0, start_at_ms: T0, finish_at_ms: T0, end_at_ms: T0 }).execute()).rejects.toMatchObject({ code: '23505' });
    } finally {
      await store.close();
    }
  });
});
