/** The cloud simulator's state: it lives in the same database so a restarted server continues. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sim_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sim_images')
    .addColumn('image_id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size_gib', 'double precision', (c) => c.notNull())
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('shared_with', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('source_image_id', 'text')
    .addColumn('source_region', 'text')
    .addColumn('client_token', 'text')
    .addColumn('request_fingerprint', 'text')
    // Times are the simulator's clock, in epoch milliseconds.
    .addColumn('requested_at_ms', 'double precision', (c) => c.notNull())
    .addColumn('start_at_ms', 'double precision', (c) => c.notNull())
    .addColumn('finish_at_ms', 'double precision', (c) => c.notNull())
    .addColumn('fail_at_ms', 'double precision')
    .addColumn('end_at_ms', 'double precision', (c) => c.notNull())
    .addColumn('cancelled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.createIndex('sim_images_account_region_idx').on('sim_images').columns(['account', 'region']).execute();
  await db.schema.createIndex('sim_images_region_end_idx').on('sim_images').columns(['region', 'end_at_ms']).execute();
  await sql`create unique index sim_images_client_token_idx on sim_images (account, client_token) where client_token is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sim_images').execute();
  await db.schema.dropTable('sim_meta').execute();
}
