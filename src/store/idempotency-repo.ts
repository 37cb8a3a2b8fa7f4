/** Idempotency keys: the first result of a keyed request, returned again on every repeat. */
import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Claims `key` for this account inside the caller's transaction. Returns null when this
 * request is the first; otherwise the stored record. On PostgreSQL a concurrent claim of the
 * same key waits for the first transaction and then sees its committed result.
 */
export async function claimKey(
  db: Db,
  accountId: string,
  key: string,
  operation: string,
  fingerprint: string,
): Promise<{ operation: string; fingerprint: string; response: unknown } | null> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ account_id: accountId, key, operation, fingerprint, response: null })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return null;
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['operation', 'fingerprint', 'response'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row;
}

export async function storeResponse(db: Db, accountId: string, key: string, response: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ response: JSON.stringify(response) })
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
}

/** Forgets keys older than the retention window (24 h by default). */
export async function expireKeys(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('idempotency_keys').where(sql<boolean>`created_at < ${olderThan}`).execute();
}
