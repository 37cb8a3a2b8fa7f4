/**
 * The durable queue of share-permission reconciliations, one row per package, and the regional
 * images a reconciliation shares. The row's `next_attempt_at` is both the backoff after a failure
 * and, while a worker runs the package, that worker's lease: a claim moves it into the future,
 * and the value it set is the worker's token (renew, finish and fail compare it), so a second
 * worker can take a package over only once the first one's lease ran out. Times are the
 * database's clock: leases guard processes against each other in real seconds.
 */
import { sql } from 'kysely';
import type { Db } from './database.ts';

/** `now() + ms`, truncated to milliseconds so a JavaScript Date holds it exactly (it is a token). */
const nowPlus = (ms: number) => sql<Date>`date_trunc('milliseconds', now() + make_interval(secs => ${ms / 1000}))`;

/**
 * Asks for the packages' copies to be reconciled, in the caller's transaction. A pending row's
 * generation goes up, so a run that started before this request runs again; its
 * `next_attempt_at` is left alone: it is the running worker's lease or a failure's backoff.
 */
export async function upsertShareRequests(db: Db, packageIds: readonly string[], at: Date): Promise<void> {
  const ids = [...new Set(packageIds)].sort();
  if (ids.length === 0) return;
  await db
    .insertInto('share_reconciliations')
    .values(ids.map((id) => ({ package_id: id, requested_at: at })))
    .onConflict((oc) =>
      oc.column('package_id').doUpdateSet((eb) => ({ requested_at: eb.ref('excluded.requested_at'), generation: sql`share_reconciliations.generation + 1` })),
    )
    .execute();
}

/** The package of a delivery's version: its copy turning Available asks for its shares. */
export async function requestSharesOfVersion(db: Db, versionId: string, at: Date): Promise<void> {
  const v = await db.selectFrom('versions').select('package_id').where('id', '=', versionId).executeTakeFirst();
  if (v) await upsertShareRequests(db, [v.package_id], at);
}

export interface ShareClaim {
  packageId: string;
  generation: number;
  /** Consecutive failed runs so far. */
  attempts: number;
  /** The lease's end: the holder's token. */
  token: Date;
}

/** Claims a due package for one run; undefined when nothing is due or another worker holds it. */
export async function claimShareRequest(db: Db, packageId: string, leaseMs: number): Promise<ShareClaim | undefined> {
  const row = await db
    .updateTable('share_reconciliations')
    .set({ next_attempt_at: nowPlus(leaseMs) })
    .where('package_id', '=', packageId)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', sql<Date>`now()`)]))
    .returning(['generation', 'attempts', 'next_attempt_at'])
    .executeTakeFirst();
  return row ? { packageId, generation: row.generation, attempts: row.attempts, token: row.next_attempt_at! } : undefined;
}

/** Extends the lease; false when it was lost (it ran out and another worker claimed the package). */
export async function renewShareClaim(db: Db, claim: ShareClaim, leaseMs: number): Promise<boolean> {
  const row = await db
    .updateTable('share_reconciliations')
    .set({ next_attempt_at: nowPlus(leaseMs) })
    .where('package_id', '=', claim.packageId)
    .where('next_attempt_at', '=', claim.token)
    .returning('next_attempt_at')
    .executeTakeFirst();
  if (!row) return false;
  claim.token = row.next_attempt_at!;
  return true;
}

/**
 * After a successful run: the row goes only if no request came since the claim
 * (compare-and-delete on the generation); else it is due again at once. 'lost': the lease was.
 */
export async function finishShareRun(db: Db, claim: ShareClaim): Promise<'done' | 'again' | 'lost'> {
  const deleted = await db
    .deleteFrom('share_reconciliations')
    .where('package_id', '=', claim.packageId)
    .where('generation', '=', claim.generation)
    .where('next_attempt_at', '=', claim.token)
    .executeTakeFirst();
  if (deleted.numDeletedRows > 0n) return 'done';
  const again = await db
    .updateTable('share_reconciliations')
    .set({ next_attempt_at: null, attempts: 0, last_error: null })
    .where('package_id', '=', claim.packageId)
    .where('next_attempt_at', '=', claim.token)
    .executeTakeFirst();
  return again.numUpdatedRows > 0n ? 'again' : 'lost';
}

/** After a failed run: one more attempt counted, the error kept, the next attempt after `delayMs`. */
export async function failShareRun(db: Db, claim: ShareClaim, error: string, delayMs: number): Promise<void> {
  await db
    .updateTable('share_reconciliations')
    .set({ attempts: claim.attempts + 1, last_error: error, next_attempt_at: nowPlus(delayMs) })
    .where('package_id', '=', claim.packageId)
    .where('next_attempt_at', '=', claim.token)
    .execute();
}

/** Packages due now: never run, retry time reached, or a dead worker's lease ran out. */
export async function dueShareRequests(db: Db, limit = 500): Promise<string[]> {
  const rows = await db
    .selectFrom('share_reconciliations')
    .select('package_id')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', sql<Date>`now()`)]))
    .orderBy('requested_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.package_id);
}

export interface RegionalImage {
  region: string;
  imageId: string;
}

/**
 * The package's owner and the images the distribution account holds for it: every Available,
 * unreleased delivery image (ingests included) of each version not being deleted. Undefined
 * when the package is gone.
 */
export async function packageShareTargets(db: Db, packageId: string): Promise<{ ownerId: string; images: RegionalImage[] } | undefined> {
  const pkg = await db.selectFrom('packages').select('owner_id').where('id', '=', packageId).executeTakeFirst();
  if (!pkg) return undefined;
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('versions as v', 'v.id', 'd.version_id')
    .select(['d.region', 'd.image_id'])
    .distinct()
    .where('v.package_id', '=', packageId)
    .where('v.delete_requested_at', 'is', null)
    .where('d.state', '=', 'Available')
    .where('d.image_released', '=', false)
    .where('d.image_id', 'is not', null)
    .orderBy('d.region')
    .orderBy('d.image_id')
    .execute();
  return { ownerId: pkg.owner_id, images: rows.map((r) => ({ region: r.region, imageId: r.image_id! })) };
}
