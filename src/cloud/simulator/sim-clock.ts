/**
 * The simulator's time, shared by every process on one database: an anchor (real instant,
 * simulated instant, speed) stored in the simulator's `meta` table. A process that changes the
 * speed re-anchors at the current simulated instant, so simulated time never jumps backwards.
 */
import { ScaledClock } from './clocks.ts';
import { readMeta, writeMeta } from './sim-meta.ts';
import type { SimDb } from './sim-schema.ts';

interface Anchor {
  realMs: number;
  simMs: number;
  speed: number;
}

export async function sharedSimClock(
  db: SimDb,
  speed: number | undefined,
  defaultSpeed = 1,
  realNow: () => number = Date.now,
  /** Which shared clock: the simulator's, or another scaled time (an emulated cloud's). */
  key = 'clock',
): Promise<ScaledClock> {
  return db.transaction().execute(async (trx) => {
    const prev = await readMeta<Anchor>(trx, key, { forUpdate: true });
    const now = realNow();
    if (prev && (speed === undefined || speed === prev.speed)) return new ScaledClock(prev.speed, prev, realNow);
    const anchor: Anchor = {
      realMs: now,
      simMs: prev ? prev.simMs + (now - prev.realMs) * prev.speed : now,
      speed: speed ?? defaultSpeed,
    };
    await writeMeta(trx, key, anchor);
    return new ScaledClock(anchor.speed, anchor, realNow);
  });
}
