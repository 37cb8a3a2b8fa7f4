/**
 * The simulator's own schema and migrations, applied when the simulator is opened: the product's
 * migrations create none of its tables, and `imagenest emulator` migrates only this schema.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { SimDb } from './sim-schema.ts';
import { addSimInstanceType, createSimInstances } from './sim-instances-migration.ts';
import { SimTablePlugin } from './sim-table-plugin.ts';

/** The simulator's schema beside a product in PostgreSQL's default schema. */
export const SIM_SCHEMA = 'imagenest_sim';

/**
 * Before the simulator had a schema, the product's migration 0002 made these tables in the
 * product's schema; their rows and indexes move as they are, under the names used here.
 */
const LEGACY = [
  { from: 'sim_meta', to: 'meta', indexes: [['sim_meta_pkey', 'meta_pkey']] },
  {
    from: 'sim_images',
    to: 'images',
    indexes: [
      ['sim_images_pkey', 'images_pkey'],
      ['sim_images_account_region_idx', 'images_account_region_idx'],
      ['sim_images_region_end_idx', 'images_region_end_idx'],
      ['sim_images_client_token_idx', 'images_client_token_idx'],
    ],
  },
] as const;

async function adoptLegacyTables(db: Kysely<unknown>, schema: string): Promise<boolean> {
  // to_regclass resolves through the search path, i.e. in the product's schema.
  const { rows } = await sql<{ found: string | null }>`select to_regclass('sim_images')::text as found`.execute(db);
  if (!rows[0]?.found) return false;
  for (const t of LEGACY) {
    await sql`alter table ${sql.id(t.from)} set schema ${sql.id(schema)}`.execute(db);
    await sql`alter table ${sql.id(schema, t.from)} rename to ${sql.id(t.to)}`.execute(db);
    for (const [from, to] of t.indexes) await sql`alter index ${sql.id(schema, from)} rename to ${sql.id(to)}`.execute(db);
  }
  return true;
}

function migrations(schema: string): Record<string, Migration> {
  return {
    '0001-simulator': {
      async up(db) {
        if (await adoptLegacyTables(db, schema)) return;
        const s = db.schema.withSchema(schema);
        await s
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'jsonb', (c) => c.notNull())
          .execute();
        await s
          .createTable('images')
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
          .addColumn('requested_at_ms', 'double precision', (c) => c.notNull())
          .addColumn('start_at_ms', 'double precision', (c) => c.notNull())
          .addColumn('finish_at_ms', 'double precision', (c) => c.notNull())
          .addColumn('fail_at_ms', 'double precision')
          .addColumn('end_at_ms', 'double precision', (c) => c.notNull())
          .addColumn('cancelled', 'boolean', (c) => c.notNull().defaultTo(false))
          .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
          .execute();
        await s.createIndex('images_account_region_idx').on('images').columns(['account', 'region']).execute();
        await s.createIndex('images_region_end_idx').on('images').columns(['region', 'end_at_ms']).execute();
        await sql`create unique index images_client_token_idx on ${sql.id(schema, 'images')} (account, client_token) where client_token is not null`.execute(db);
      },
    },
    // ModifyImageSharePermission's IsPublic: a public image is usable by every account.
    '0002-image-is-public': {
      async up(db) {
        await db.schema.withSchema(schema).alterTable('images').addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
      },
    },
    '0003-instances': { up: (db) => createSimInstances(db, schema) },
    '0004-instance-type': { up: (db) => addSimInstanceType(db, schema) },
  };
}

/**
 * The simulator's schema for the database `db` reaches: `imagenest_sim` beside the default
 * schema, else `<schema>_sim`, so each product schema (each test suite's, say) has its own cloud.
 */
export async function defaultSimSchema<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const current = rows[0]?.schema ?? 'public';
  return current === 'public' ? SIM_SCHEMA : `${current}_sim`;
}

/** Migrates the simulator's schema (several processes starting at once take turns) and returns a handle scoped to it. */
export async function openSimDatabase<DB>(db: Kysely<DB>, schema?: string): Promise<SimDb> {
  const name = schema ?? (await defaultSimSchema(db));
  // Names of its own for the bookkeeping tables: when the product's migrator (no schema set) asks
  // whether `kysely_migration_lock` exists, Kysely looks in every schema and would find these.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(name) },
    migrationTableSchema: name,
    migrationTableName: 'sim_migration',
    migrationLockTableName: 'sim_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`simulator migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  // The caller's handle shares its connections; only the table names it reaches change.
  return (db as unknown as SimDb).withPlugin(new SimTablePlugin(name));
}
