/**
 * The copies running out of each source region, counted by every pass that starts copies when
 * the engine keeps to a cap on that side (engine-options.ts `copiesOutPerRegion`): a partial
 * index keeps the count to the running copies, however many are finished.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index deliveries_copying_source_idx on deliveries (copy_source_region) where state = 'Copying'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index deliveries_copying_source_idx`.execute(db);
}
