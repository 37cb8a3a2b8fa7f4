/**
 * The simulator's time, shared by every process on one database: an anchor (real instant,
 * simulated instant, speed) stored in `sim_meta`. A process that changes the speed re-anchors
 * at the current simulated instant, so simulated time never jumps backwards.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { ScaledClock } from './clocks.ts';

interface Anchor {
  realMs: number;
  simMs: number;
  speed: number;
}

export async function sharedSimClock(
  db: Kysely<Database>,
  speed: number | undefined,
  defaultSpeed = 1,
  realNow: () => number = Date.now,
  /** Which shared clock: the simulator's, or another scaled time (an emulated cloud's). */
  key = 'clock',
): Promise<ScaledClock> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sim_meta').select('value').where('key', '=', key).forUpdate().executeTakeFirst();
    const prev = row?.value as Anchor | undefined;
    const now = realNow();
    if (prev && (speed === undefined || speed === prev.speed)) return new ScaledClock(prev.speed, prev, realNow);
    const anchor: Anchor = {
      realMs: now,
      simMs: prev ? prev.simMs + (now - prev.realMs) * prev.speed : now,
      speed: speed ?? defaultSpeed,
    };
    const value = JSON.stringify(anchor);
    await trx
      .insertInto('sim_meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    return new ScaledClock(anchor.speed, anchor, realNow);
  });
}
