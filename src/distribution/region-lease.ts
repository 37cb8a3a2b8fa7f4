/**
 * One pass per region at a time: a worker claims the region's wake-up with a lease in
 * `region_schedule`, and gives it back with the region's next wake-up.
 *
 * The lease runs on the database's clock, both when it is set and when it is checked: it guards
 * worker processes against each other in real seconds, whatever the engine's clock (simulated
 * time may run many times faster than a pass takes).
 *
 * The lease is short and renewed while its pass runs, so the region of a worker that died
 * mid-pass is free again within seconds rather than after the longest pass could take.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Wakeups } from '../app/ports.ts';
import type { Database } from '../store/schema.ts';

/** How long after a deferred wake-up the region is looked at again: the holder may not have seen this work. */
const DEFERRED_RETRY_MS = 2_000;
/** After a failed pass, look again soon rather than never. */
const FAILED_PASS_RETRY_MS = 10_000;

export interface Lease {
  db: Kysely<Database>;
  wakeups: Wakeups;
  clock: { nowMs(): number };
  workerId: string;
  leaseSeconds: number;
  log: Logger;
}

/** When a lease taken or renewed now runs out, on the database's clock. */
const leaseEnd = (l: Lease) => sql<Date>`now() + make_interval(secs => ${l.leaseSeconds})`;

/** True while another process's lease on the row has not run out (on the database's clock). */
const leaseLive = sql<boolean>`coalesce(lease_until > now(), false)`;

/**
 * Claims the region for one pass. 'superseded': a newer wake-up replaced this one; 'deferred':
 * another worker holds the region (the wake-up is moved a little later).
 */
export async function claimRegion(l: Lease, region: string, wakeAtMs: number): Promise<'claimed' | 'superseded' | 'deferred'> {
  const claim = await l.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('region_schedule').selectAll().select(leaseLive.as('lease_live')).where('region', '=', region).forUpdate().executeTakeFirst();
    if (!row || row.wake_at_ms === null || Math.round(row.wake_at_ms) !== Math.round(wakeAtMs)) return 'superseded' as const;
    if (row.lease_holder && row.lease_holder !== l.workerId && row.lease_live) return 'deferred' as const;
    await trx
      .updateTable('region_schedule')
      .set({ wake_at_ms: null, lease_holder: l.workerId, lease_until: leaseEnd(l) })
      .where('region', '=', region)
      .execute();
    return 'claimed' as const;
  });
  if (claim === 'deferred') {
    await l.db.transaction().execute(async (trx) => {
      await trx.updateTable('region_schedule').set({ wake_at_ms: null }).where('region', '=', region).where('wake_at_ms', '=', wakeAtMs).execute();
      await l.wakeups.wake(trx, region, l.clock.nowMs() + DEFERRED_RETRY_MS);
    });
  }
  return claim;
}

/**
 * Renews the lease on a claimed region every third of its length until the returned function is
 * called. A renewal that fails (the database is away) is retried at the next beat; a lease found
 * taken by another worker is reported: this pass's steps are idempotent, so it may finish.
 */
export function keepRegion(l: Lease, region: string): () => void {
  const renew = async () => {
    const r = await l.db.updateTable('region_schedule').set({ lease_until: leaseEnd(l) }).where('region', '=', region).where('lease_holder', '=', l.workerId).executeTakeFirst();
    if (r.numUpdatedRows === 0n) l.log.warn({ region }, 'the lease on this region ran out during the pass; another worker may hold it');
  };
  const timer = setInterval(() => {
    renew().catch((err: unknown) => l.log.warn({ err, region }, 'could not renew the lease on this region; trying again'));
  }, (l.leaseSeconds * 1000) / 3);
  timer.unref();
  return () => clearInterval(timer);
}

/** Gives the region back after a pass, with its next wake-up (`'failed'`: the pass threw). */
export async function releaseRegion(l: Lease, region: string, next: number | null | 'failed'): Promise<void> {
  await l.db.transaction().execute(async (trx) => {
    await trx.updateTable('region_schedule').set({ lease_holder: null, lease_until: null }).where('region', '=', region).where('lease_holder', '=', l.workerId).execute();
    if (next === 'failed') await l.wakeups.wake(trx, region, l.clock.nowMs() + FAILED_PASS_RETRY_MS);
    else if (next !== null) await l.wakeups.wake(trx, region, next);
  });
}

/**
 * Of the regions with work, those nobody will look at: no wake-up pending (or one overdue by
 * more than `overdueMs`) and no live lease. Each gets a wake-up now.
 */
export async function rewakeForgotten(l: Lease, candidates: ReadonlySet<string>, overdueMs: number): Promise<string[]> {
  if (candidates.size === 0) return [];
  const nowMs = l.clock.nowMs();
  const schedules = await l.db.selectFrom('region_schedule').selectAll().select(leaseLive.as('lease_live')).where('region', 'in', [...candidates]).execute();
  const byRegion = new Map(schedules.map((s) => [s.region, s]));
  const regions = [...candidates].filter((region) => {
    const s = byRegion.get(region);
    if (!s) return true;
    const waiting = s.wake_at_ms !== null && s.wake_at_ms >= nowMs - overdueMs;
    return !waiting && !s.lease_live;
  });
  if (regions.length > 0) {
    await l.db.transaction().execute(async (trx) => {
      for (const region of [...regions].sort()) {
        await trx.updateTable('region_schedule').set({ wake_at_ms: null }).where('region', '=', region).where('wake_at_ms', '<', nowMs - overdueMs).execute();
        await l.wakeups.wake(trx, region, nowMs);
      }
    });
  }
  return regions;
}
