/** Runs the distribution engine on pg-boss: region passes as jobs, plus a periodic sweep. */
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DistributionEngine } from './engine.ts';
import { runJobLoop } from './job-loop.ts';
import { runEvery } from './periodic.ts';
import { PASS_QUEUE, sendShareJobs, SHARE_QUEUE, type ShareJob } from './pgboss.ts';
import type { ShareReconciler } from './share-reconcile.ts';
import type { PassJob } from './wakeups.ts';

export interface WorkerOptions {
  /** Jobs fetched at once; each is one region. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** How often to look for regions whose wake-up was lost (a crashed worker's), in real ms. */
  sweepEveryMs?: number;
  /** A wake-up this late (simulated ms) counts as lost. */
  overdueMs?: number;
  /** How often due share reconciliations are sent as jobs, in real ms. */
  shareSweepEveryMs?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(
  boss: PgBoss,
  engine: DistributionEngine,
  log: Logger,
  options: WorkerOptions = {},
  shares?: ShareReconciler,
): Promise<RunningWorker> {
  // With the lease (engine-options.ts), these bound how long a region waits after its worker
  // died or its wake-up was lost (a database outage can eat one): about lease + sweep, under 20 s.
  const sweepEveryMs = options.sweepEveryMs ?? 5_000;
  const overdueMs = options.overdueMs ?? 15_000;
  const sweep = async () => {
    const regions = await engine.sweep(overdueMs);
    if (regions.length) log.info({ regions }, 'woke regions with missing wake-ups');
  };
  const sweepFailed = (err: unknown) => log.warn({ err }, 'sweep failed');
  await sweep().catch(sweepFailed);
  const sweeps = runEvery(sweepEveryMs, sweep, sweepFailed);
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
  const shareWorker = shares ? await startShareWorker(boss, shares, log, options) : undefined;
  return {
    async stop() {
      await sweeps.stop();
      await passes.stop();
      await shareWorker?.stop();
    },
  };
}

/**
 * Share reconciliations: requests are rows written with the change that caused them, so a
 * sweep sends the due ones (new, to retry, or left by a dead worker) as jobs, one per package.
 */
async function startShareWorker(boss: PgBoss, shares: ShareReconciler, log: Logger, options: WorkerOptions): Promise<RunningWorker> {
  const sweep = async () => sendShareJobs(boss, await shares.due());
  const sweepFailed = (err: unknown) => log.warn({ err }, 'share sweep failed');
  await sweep().catch(sweepFailed);
  const sweeps = runEvery(options.shareSweepEveryMs ?? 2_000, sweep, sweepFailed);
  // Our own loop, like the passes': every pg-boss call awaited, so a lost connection is logged, not fatal.
  const jobs = runJobLoop<ShareJob>(
    boss,
    SHARE_QUEUE,
    { batchSize: 4, pollingIntervalMs: (options.pollingIntervalSeconds ?? 0.5) * 1000 },
    async (batch) => {
      await Promise.all(
        batch.map(async (job) => {
          try {
            await shares.reconcile(job.data.packageId);
          } catch (err) {
            // The row stays due; the sweep sends it again.
            log.error({ err, packageId: job.data.packageId }, 'share reconciliation failed');
          }
        }),
      );
    },
    log,
  );
  return {
    async stop() {
      await sweeps.stop();
      await jobs.stop();
    },
  };
}
