/**
 * Asks for a package's share permissions to be reconciled with its audience. Called inside the
 * transaction that changed the audience, so the request exists exactly when the change commits;
 * the reconciliation job consumes the rows.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Upserts one request per package: a newer generation, attempts reset, due now. */
export async function requestShareReconciliation(trx: Transaction<Database>, packageIds: Iterable<string>, now: Date): Promise<void> {
  // Sorted: concurrent transactions lock the rows in one order and cannot deadlock.
  const ids = [...new Set(packageIds)].sort();
  if (ids.length === 0) return;
  await trx
    .insertInto('share_reconciliations')
    .values(ids.map((id) => ({ package_id: id, requested_at: now })))
    .onConflict((oc) =>
      oc.column('package_id').doUpdateSet({
        requested_at: now,
        generation: sql`share_reconciliations.generation + 1`,
        attempts: 0,
        next_attempt_at: null,
      }),
    )
    .execute();
}
