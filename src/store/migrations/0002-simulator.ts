/**
 * Once made the cloud simulator's tables in the product's schema. The simulator now keeps them in
 * its own schema and migrations (src/cloud/simulator/sim-migrations.ts), which also move the
 * tables this step made in databases migrated before. The step stays, empty, because the
 * migrator checks that every migration a database has run still exists by name.
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
