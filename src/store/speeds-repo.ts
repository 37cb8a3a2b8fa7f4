/**
 * The learned copy speeds: one row per route class and per region pair holding the faded
 * statistics of domain/delivery/learned-speeds.ts. Read whole (a few hundred rows at most: 4
 * classes and the pairs copied between), written one finished copy at a time.
 */
import { addObservation, NO_STATS, pairKey, routeClassOf, type RouteClass, type SpeedBook, type SpeedObservation, type SpeedStats } from '../domain/delivery/learned-speeds.ts';
import type { Db } from './database.ts';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

const CLASS = 'class:';
const PAIR = 'pair:';

/** Everything learned so far. */
export async function loadSpeedBook(db: Db): Promise<SpeedBook> {
  const rows = await db.selectFrom('copy_speeds').select(['route', 'weight', 'weighted_log', 'samples']).execute();
  const classes = new Map<RouteClass, SpeedStats>();
  const pairs = new Map<string, SpeedStats>();
  for (const r of rows) {
    const stats = { weight: r.weight, weightedLog: r.weighted_log, samples: r.samples };
    if (r.route.startsWith(CLASS)) classes.set(r.route.slice(CLASS.length) as RouteClass, stats);
    else if (r.route.startsWith(PAIR)) pairs.set(r.route.slice(PAIR.length), stats);
  }
  return { classes, pairs };
}

/**
 * Adds one finished copy to its route class and its region pair, in one transaction: the rows
 * are locked in the same order (class, then pair) by every worker, so concurrent records
 * neither lose an update nor deadlock.
 */
export async function recordCopySpeed(db: Kysely<Database>, fromRegion: string, toRegion: string, o: SpeedObservation, at: Date): Promise<void> {
  const routes = [`${CLASS}${routeClassOf(fromRegion, toRegion)}`, `${PAIR}${pairKey(fromRegion, toRegion)}`];
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('copy_speeds')
      .values(routes.map((route) => ({ route, weight: 0, weighted_log: 0, samples: 0, updated_at: at })))
      .onConflict((oc) => oc.column('route').doNothing())
      .execute();
    for (const route of routes) {
      const r = await trx.selectFrom('copy_speeds').select(['weight', 'weighted_log', 'samples']).where('route', '=', route).forUpdate().executeTakeFirst();
      const next = addObservation(r ? { weight: r.weight, weightedLog: r.weighted_log, samples: r.samples } : NO_STATS, o);
      await trx.updateTable('copy_speeds').set({ weight: next.weight, weighted_log: next.weightedLog, samples: next.samples, updated_at: at }).where('route', '=', route).execute();
    }
  });
}
