/**
 * Learned copy speeds: per route class and per region pair, the faded statistics of the
 * throughput of the copies the engine has seen finish (domain/delivery/learned-speeds.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('copy_speeds')
    // 'class:<route class>' or 'pair:<from region>><to region>'.
    .addColumn('route', 'text', (c) => c.primaryKey())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('weighted_log', 'double precision', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('copy_speeds').execute();
}
