/** The simulator's table of ECS resources made by deployments (the simulator deployer's state). */
import type { Kysely } from 'kysely';

export async function createSimInstances(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('instances')
    .addColumn('resource_id', 'text', (c) => c.primaryKey())
    .addColumn('deployment_id', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('image_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('logical_id', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'double precision', (c) => c.notNull())
    .addColumn('deleted_at_ms', 'double precision')
    .execute();
  await db.schema.withSchema(schema).createIndex('instances_account_region_idx').on('instances').columns(['account', 'region']).execute();
  await db.schema.withSchema(schema).createIndex('instances_deployment_idx').on('instances').column('deployment_id').execute();
}

/** RunInstances' instance type (null for resources a deployment made: templates do not always say). */
export async function addSimInstanceType(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).alterTable('instances').addColumn('instance_type', 'text').execute();
}
