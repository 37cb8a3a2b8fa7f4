/**
 * What follows from finished deliveries: a version's state recomputed from its regions (through
 * the version state machine), and versions (and packages) whose deletion waited for their last
 * regional copy removed once it is gone.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Wakeups } from '../app/ports.ts';
import { deriveVersionState, transition } from '../domain/version-state.ts';
import { appendEvent, findLiveCopies } from '../store/deliveries-repo.ts';
import { copyStatesOf } from '../store/delivery-reads.ts';
import { deletePackage, deleteVersion, setVersionState } from '../store/packages-repo.ts';
import type { Database } from '../store/schema.ts';

export interface SettleDeps {
  db: Kysely<Database>;
  clock: { nowMs(): number };
  wakeups: Wakeups;
}

/** Recomputes the state of each version from its regions' delivery states. */
export async function settleVersions(s: SettleDeps, versionIds: readonly string[]): Promise<void> {
  for (const versionId of versionIds) {
    await s.db.transaction().execute(async (trx) => {
      const v = await trx.selectFrom('versions').select(['id', 'state', 'number']).where('id', '=', versionId).forUpdate().executeTakeFirst();
      if (!v || v.number === null) return;
      const states = await copyStatesOf(trx, versionId);
      if (states.length === 0) return;
      const outcome = deriveVersionState(states);
      if (outcome === v.state) return;
      const next = transition(v.state, { type: 'regions-changed', outcome });
      // A published version always follows its regions; refused only for a draft, excluded above.
      if (!next.ok) throw new Error(next.reason);
      const nowMs = s.clock.nowMs();
      await setVersionState(trx, versionId, next.state, new Date(nowMs));
      await appendEvent(trx, { versionId, region: null, atMs: nowMs, type: `Version${next.state}`, message: `version ${v.number} is ${next.state}` });
    });
  }
}

/**
 * Deletes the versions whose deletion was asked once their last regional copy is gone (all of
 * them when `versionIds` is not given), and a package deleted with them once it has no version
 * left. Each check runs under the version's row lock after the caller's own changes were
 * committed, so whichever pass removes the last copy sees that none is left.
 */
export async function purgeDeleted(db: Kysely<Database>, log: Logger, versionIds?: readonly string[]): Promise<string[]> {
  let q = db.selectFrom('versions').select(['id', 'package_id']).where('delete_requested_at', 'is not', null);
  if (versionIds) {
    if (versionIds.length === 0) return [];
    q = q.where('id', 'in', versionIds);
  }
  const purged: string[] = [];
  for (const { id, package_id } of await q.execute()) {
    await db.transaction().execute(async (trx) => {
      // Package first, then version: the order the use cases lock in.
      const p = await trx.selectFrom('packages').select(['id', 'name', 'delete_requested_at']).where('id', '=', package_id).forUpdate().executeTakeFirst();
      const v = await trx.selectFrom('versions').select(['id', 'number']).where('id', '=', id).where('delete_requested_at', 'is not', null).forUpdate().executeTakeFirst();
      if (!p || !v || (await findLiveCopies(trx, [v.id])).length > 0) return;
      await deleteVersion(trx, v.id);
      purged.push(v.id);
      log.info({ package: p.name, version: v.number }, 'deleted version: its last regional copy is gone');
      if (p.delete_requested_at) {
        const left = await trx.selectFrom('versions').select('id').where('package_id', '=', p.id).limit(1).executeTakeFirst();
        if (!left) {
          await deletePackage(trx, p.id);
          log.info({ package: p.name }, 'deleted package: its last version is gone');
        }
      }
    });
  }
  return purged;
}
