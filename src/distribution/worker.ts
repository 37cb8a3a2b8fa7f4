/** Runs the distribution engine on pg-boss: region passes as jobs, plus a periodic sweep. */
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DistributionEngine } from './engine.ts';
import { runJobLoop } from './job-loop.ts';
import { PASS_QUEUE } from './pgboss.ts';
import type { PassJob } from './wakeups.ts';

export interface WorkerOptions {
  /** Jobs fetched at once; each is one region. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** How often to look for regions whose wake-up was lost (a crashed worker's), in real ms. */
  sweepEveryMs?: number;
  /** A wake-up this late (simulated ms) counts as lost. */
  overdueMs?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(boss: PgBoss, engine: DistributionEngine, log: Logger, options: WorkerOptions = {}): Promise<RunningWorker> {
  // With the lease (engine-options.ts), these bound how long a region waits after its worker
  // died or its wake-up was lost (a database outage can eat one): about lease + sweep, under 20 s.
  const sweepEveryMs = options.sweepEveryMs ?? 5_000;
  const overdueMs = options.overdueMs ?? 15_000;
  const sweep = async () => {
    try {
      const regions = await engine.sweep(overdueMs);
      if (regions.length) log.info({ regions }, 'woke regions with missing wake-ups');
    } catch (err) {
      log.warn({ err }, 'sweep failed');
    }
  };
  await sweep();
  const timer = setInterval(sweep, sweepEveryMs);
  timer.unref();
  const passes = runJobLoop<PassJob>(
    boss,
    PASS_QUEUE,
    // 0.1 s: pg-boss's work() fetched at once when this process sent a job; without that shortcut
    // each wake-up hop waits for the next poll, and a fast simulated distribution is a chain of hops.
    { batchSize: options.batchSize ?? 8, pollingIntervalMs: (options.pollingIntervalSeconds ?? 0.1) * 1000 },
    async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await engine.handleWake(job.data.region, job.data.wakeAtMs);
          } catch (err) {
            // The pass already asked to be woken again; failing the batch would redo the others.
            log.error({ err, region: job.data.region }, 'region pass failed');
          }
        }),
      );
    },
    log,
  );
  return {
    async stop() {
      clearInterval(timer);
      await passes.stop();
    },
  };
}
