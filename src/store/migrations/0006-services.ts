/**
 * Services (SPEC §6–§7): services with their revisions under review, the association of each
 * template placeholder with a package version, service instances (consumer deployments), the
 * review and deployment timelines, and the durable queue of share-permission reconciliations.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('deploy_type', 'text', (c) => c.notNull().check(sql`deploy_type in ('ros', 'terraform')`))
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('private', 'public', 'whitelist')`))
    // The whitelist: account IDs, meaningful when visibility is 'whitelist'.
    .addColumn('accounts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('services_owner_name_key', ['owner_id', 'name'])
    .execute();
  await db.schema.createIndex('services_owner_created_idx').on('services').columns(['owner_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('service_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('Draft', 'Submitted', 'Approved', 'Rejected', 'Online', 'Offline')`),
    )
    // { files: [{ name, text }] }: one ROS/Terraform file, or a bundle of Terraform files.
    .addColumn('template', 'jsonb', (c) => c.notNull())
    .addColumn('reject_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addUniqueConstraint('service_revisions_service_number_key', ['service_id', 'number'])
    .execute();
  // Consumers use the one Online revision while the vendor works on at most one other (its
  // draft, under review, approved or rejected); the database keeps both true under races.
  await sql`create unique index service_revisions_one_online_idx on service_revisions (service_id) where state = 'Online'`.execute(db);
  await sql`create unique index service_revisions_one_open_idx on service_revisions (service_id) where state in ('Draft', 'Submitted', 'Approved', 'Rejected')`.execute(db);

  await db.schema
    .createTable('revision_associations')
    .addColumn('revision_id', 'text', (c) => c.notNull().references('service_revisions.id').onDelete('cascade'))
    .addColumn('placeholder', 'text', (c) => c.notNull())
    .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id'))
    // null: the package's draft version.
    .addColumn('version_number', 'integer')
    .addPrimaryKeyConstraint('revision_associations_pkey', ['revision_id', 'placeholder'])
    .execute();
  await db.schema.createIndex('revision_associations_package_idx').on('revision_associations').column('package_id').execute();

  await db.schema
    .createTable('service_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('revision_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('service_events_service_idx').on('service_events').columns(['service_id', 'id']).execute();

  await db.schema
    .createTable('instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('revision_id', 'text', (c) => c.notNull().references('service_revisions.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('Deploying', 'Deployed', 'Failed', 'Deleting', 'Deleted')`))
    // A supplier's test deployment of its own revision under work.
    .addColumn('is_test', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // [{ placeholder, packageId, packageName, version, imageId }]
    .addColumn('images', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // { files: [{ name, text }] }: the template as deployed, image IDs spliced in.
    .addColumn('resolved_template', 'jsonb', (c) => c.notNull())
    // What the deployer created, for deletion: opaque to the control plane.
    .addColumn('resources', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('instances_owner_created_idx').on('instances').columns(['owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('instances_revision_idx').on('instances').column('revision_id').execute();

  await db.schema
    .createTable('instance_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull().references('instances.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('instance_events_instance_idx').on('instance_events').columns(['instance_id', 'id']).execute();

  // A package whose regional copies' share permissions must be brought in line with its
  // audience. Written in the transaction that changed the audience (or made a copy
  // Available), removed by the reconciliation that finished after that request: a crash in
  // between leaves the row, and the sweep runs it again.
  await db.schema
    .createTable('share_reconciliations')
    .addColumn('package_id', 'text', (c) => c.primaryKey())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['share_reconciliations', 'instance_events', 'instances', 'service_events', 'revision_associations', 'service_revisions', 'services']) {
    await db.schema.dropTable(t).execute();
  }
}
