/**
 * Region wake-ups: `region_schedule` holds the earliest pending wake-up of each region, and a
 * queue (pg-boss in servers and workers, an event heap in the discrete-event benchmark)
 * delivers it. A wake-up later than one already pending is dropped, so a region is never
 * woken more often than its earliest need.
 */
import { sql, type Transaction } from 'kysely';
import type { Wakeups } from '../app/ports.ts';
import type { Database } from '../store/schema.ts';

export interface PassJob {
  region: string;
  wakeAtMs: number;
}

/** Delivers pass jobs; `enqueue` joins the caller's transaction. */
export interface PassQueue {
  enqueue(trx: Transaction<Database>, job: PassJob, delayRealMs: number): Promise<void>;
}

export interface DistributionClock {
  nowMs(): number;
  realDelayMs(simDelayMs: number): number;
}

export class RegionWakeups implements Wakeups {
  constructor(
    private readonly clock: DistributionClock,
    private readonly queue: PassQueue,
  ) {}

  async wake(trx: Transaction<Database>, region: string, atMs: number): Promise<void> {
    const wakeAtMs = Math.round(atMs);
    // Replace the pending wake-up only by an earlier one (or when none is pending).
    const row = await sql<{ region: string }>`
      insert into region_schedule (region, wake_at_ms) values (${region}, ${wakeAtMs})
      on conflict (region) do update set wake_at_ms = excluded.wake_at_ms
      where region_schedule.wake_at_ms is null or region_schedule.wake_at_ms > excluded.wake_at_ms
      returning region`.execute(trx);
    if (row.rows.length === 0) return;
    await this.queue.enqueue(trx, { region, wakeAtMs }, this.clock.realDelayMs(wakeAtMs - this.clock.nowMs()));
  }
}
