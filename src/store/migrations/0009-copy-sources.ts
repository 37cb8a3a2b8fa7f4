/**
 * Relay distribution: a copy may start from any region that already holds its version, not only
 * from the ingest. Each delivery records the image it copies from before its CopyImage call
 * (copy_source_*), and the relay plan's choice of the region it is meant to copy from
 * (relay_from: null until planned; the ingest's region means direct).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('copy_source_region', 'text')
    .addColumn('copy_source_image_id', 'text')
    .addColumn('relay_from', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('copy_source_region').dropColumn('copy_source_image_id').dropColumn('relay_from').execute();
}
