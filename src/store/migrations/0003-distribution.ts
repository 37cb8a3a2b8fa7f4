/** Distribution: per-region delivery progress, the ingest step, region wake-ups and the event timeline. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropConstraint('deliveries_version_region_key').execute();
  await db.schema
    .alterTable('deliveries')
    // 'ingest': the source image brought into the distribution account in its own region;
    // 'copy': the copy into one distribution region (what users see).
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('copy'))
    .addColumn('source_region', 'text')
    .addColumn('source_image_id', 'text')
    .addColumn('size_gib', 'double precision')
    .addColumn('image_id', 'text')
    .addColumn('cloud_status', 'text')
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at_ms', 'double precision')
    .addColumn('requested_at_ms', 'double precision')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('obs_first_ms', 'double precision')
    .addColumn('obs_first_pct', 'integer')
    .addColumn('obs_last_ms', 'double precision')
    .addColumn('obs_last_pct', 'integer')
    .addColumn('next_poll_at_ms', 'double precision')
    .addColumn('detected_at_ms', 'double precision')
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('image_released', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('worker', 'text')
    .execute();
  await db.schema
    .alterTable('deliveries')
    .addUniqueConstraint('deliveries_version_kind_region_key', ['version_id', 'kind', 'region'])
    .execute();
  await sql`create index deliveries_active_region_idx on deliveries (region) where state in ('Pending', 'Copying') or (cancel_requested and state <> 'Cancelled')`.execute(db);

  await db.schema
    .createTable('region_schedule')
    .addColumn('region', 'text', (c) => c.primaryKey())
    .addColumn('wake_at_ms', 'double precision')
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('delivery_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id').onDelete('cascade'))
    .addColumn('region', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('delivery_events_version_idx').on('delivery_events').columns(['version_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('delivery_events').execute();
  await db.schema.dropTable('region_schedule').execute();
}
