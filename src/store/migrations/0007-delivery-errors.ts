/**
 * Delivery errors in Imagenest's own documented codes, with the cloud's code beside them:
 * rows written before carried the cloud's code (or a made-up one) in error_code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('error_cloud_code', 'text').execute();
  await sql`
    update deliveries set
      error_cloud_code = case when error_code = 'IngestFailed' then null else error_code end,
      error_code = case
        when error_code = 'IngestFailed' then 'INGEST_FAILED'
        when error_code in ('CreateFailed', 'UnAvailable', 'Deprecated') then 'COPY_FAILED'
        when error_code like 'QuotaExceed%' then 'QUOTA_EXCEEDED'
        when error_code like '%NotFound%' then 'SOURCE_IMAGE_NOT_FOUND'
        else 'CLOUD_REJECTED'
      end
    where error_code is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update deliveries set error_code = coalesce(error_cloud_code, error_code)`.execute(db);
  await db.schema.alterTable('deliveries').dropColumn('error_cloud_code').execute();
}
