/** Share reconciliations asked for by the use cases that change a package's audience. */
import type { Db } from '../store/database.ts';
import { upsertShareRequests } from '../store/share-reconciliations-repo.ts';

/**
 * Asks for the share permissions of every regional copy of these packages to be brought in line
 * with their audience. Call it in the transaction that changes the audience (association,
 * service visibility, whitelist, service state): the request commits with the change, and the
 * worker's sweep runs it (a repeat request while one runs makes that run go again).
 */
export async function requestShareReconciliation(trx: Db, packageIds: readonly string[], now: Date): Promise<void> {
  await upsertShareRequests(trx, packageIds, now);
}
