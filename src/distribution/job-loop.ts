/**
 * Takes jobs from one pg-boss queue in batches, on a polling interval, until stopped.
 *
 * Why not pg-boss's own `work`: pg-boss 10 completes each handled batch without awaiting the
 * call, so if the database goes away at that moment (a restart, a failover, a terminated
 * backend) the rejection is unhandled and ends the process. Here every queue call is awaited
 * and a failure is logged; a job left uncompleted is handed out again when it expires, which
 * is safe because what it wakes is idempotent.
 */
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';

export interface JobLoopOptions {
  batchSize: number;
  pollingIntervalMs: number;
}

export interface JobLoop {
  /** Ends the loop once the batch in hand is handled. */
  stop(): Promise<void>;
}

/** `handle` should settle each job itself; if it throws, the batch is left to expire and be retried. */
export function runJobLoop<T extends object>(boss: PgBoss, queue: string, options: JobLoopOptions, handle: (jobs: PgBoss.Job<T>[]) => Promise<void>, log: Logger): JobLoop {
  let stopping = false;
  let cutShort: (() => void) | undefined;
  const loop = (async () => {
    while (!stopping) {
      const startedMs = Date.now();
      try {
        const jobs = await boss.fetch<T>(queue, { batchSize: options.batchSize });
        if (jobs.length > 0) {
          await handle(jobs);
          await boss.complete(queue, jobs.map((j) => j.id));
        }
      } catch (err) {
        log.warn({ err, queue }, 'job queue unavailable; trying again');
      }
      const waitMs = options.pollingIntervalMs - (Date.now() - startedMs);
      if (!stopping && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          cutShort = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      cutShort?.();
      await loop;
    },
  };
}
