/**
 * A discrete-event driver for the distribution engine: wake-ups go to an in-memory heap and
 * simulated time jumps from one to the next. Tests and benchmarks run hours of distribution
 * in seconds with the real engine, store and simulator, and no job queue.
 */
import type { Transaction } from 'kysely';
import type { VirtualClock } from '../cloud/simulator/clocks.ts';
import type { Database } from '../store/schema.ts';
import type { DistributionEngine } from './engine.ts';
import type { PassJob, PassQueue } from './wakeups.ts';

export class EventHeapQueue implements PassQueue {
  readonly #items: PassJob[] = [];

  async enqueue(_trx: Transaction<Database>, job: PassJob): Promise<void> {
    this.#items.push(job);
  }

  /** Removes and returns the earliest job. */
  pop(): PassJob | undefined {
    if (this.#items.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.#items.length; i++) if (this.#items[i]!.wakeAtMs < this.#items[best]!.wakeAtMs) best = i;
    return this.#items.splice(best, 1)[0];
  }

  get size(): number {
    return this.#items.length;
  }
}

export interface DriveOptions {
  /** Stop when this resolves true (checked after every pass). */
  done: () => Promise<boolean>;
  /** Safety limit on simulated time. */
  maxSimMs: number;
  /** Called before each pass at its simulated instant (fault windows, crashes). */
  beforePass?: (job: PassJob) => Promise<void>;
}

/** Runs passes in simulated-time order until `done` or the limit; returns the passes run. */
export async function drive(engine: DistributionEngine, queue: EventHeapQueue, clock: VirtualClock, options: DriveOptions): Promise<number> {
  const limit = clock.nowMs() + options.maxSimMs;
  let passes = 0;
  for (;;) {
    const job = queue.pop();
    if (!job) {
      if (await options.done()) return passes;
      // Nothing scheduled: let the sweeper find lost work, as a worker's timer would.
      clock.advanceBy(60_000);
      await engine.sweep(60_000);
      if (queue.size === 0 || clock.nowMs() > limit) throw new Error('distribution stalled: no wake-up pending and work unfinished');
      continue;
    }
    if (job.wakeAtMs > limit) throw new Error(`distribution did not finish within ${options.maxSimMs / 3_600_000} simulated hours`);
    clock.advanceTo(job.wakeAtMs);
    await options.beforePass?.(job);
    const r = await engine.handleWake(job.region, job.wakeAtMs);
    if (r === 'ran') {
      passes++;
      if (await options.done()) return passes;
    }
  }
}
