/**
 * Deletion that removes regional copies: a version (or package) whose copies still exist is
 * marked, its copies are cancelled or deleted by the engine, and the rows go once none is left.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('versions').addColumn('delete_requested_at', 'timestamptz').execute();
  await db.schema.alterTable('packages').addColumn('delete_requested_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('packages').dropColumn('delete_requested_at').execute();
  await db.schema.alterTable('versions').dropColumn('delete_requested_at').execute();
}
