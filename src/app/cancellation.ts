/** Cancelling a version's distribution: the step `package cancel` and deletion share. */
import type { Transaction } from 'kysely';
import { cancelAtOnce, requestCancellation } from '../store/deliveries-repo.ts';
import type { Database } from '../store/schema.ts';
import type { AppDeps } from './deps.ts';

/**
 * Marks every delivery of a version for cancellation, in the caller's transaction: a delivery
 * with nothing in the cloud is Cancelled at once; the engine cancels running copies and deletes
 * finished ones in the regions it wakes here. Returns how many deliveries it touched.
 */
export async function requestCancel(trx: Transaction<Database>, deps: AppDeps, versionId: string): Promise<number> {
  // Region order everywhere several regions are woken in one transaction: no deadlocks between them.
  const rows = await trx.selectFrom('deliveries').selectAll().where('version_id', '=', versionId).where('state', '<>', 'Cancelled').orderBy('region').forUpdate().execute();
  const now = deps.clock.now();
  for (const r of rows) {
    if (!r.image_id && r.state !== 'Copying') {
      await cancelAtOnce(trx, r, now);
    } else {
      await requestCancellation(trx, r.id, now);
      await deps.wakeups.wake(trx, r.region, deps.clock.now().getTime());
    }
  }
  return rows.length;
}
