/** pg-boss on either database: in-process PGlite through its mutex, or PostgreSQL by URL. */
import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import type { PassJob, PassQueue } from './wakeups.ts';

export const PASS_QUEUE = 'imagenest-region-pass';
/** One job per package (singleton key), at most one queued each; the request row's lease keeps runs apart. */
export const SHARE_QUEUE = 'imagenest-share-reconcile';

export interface ShareJob {
  packageId: string;
}

/**
 * Creates the share queue with policy 'short' (one queued job per package, any number active).
 * Not 'stately': its one-active-job-per-key rule makes every fetch of the queue fail while a dead
 * worker's job stays active, until that job expires ten minutes later, so no worker could take a
 * crashed reconciliation over. Two live runs of one package cannot happen anyway: a run needs the
 * request row's lease (share-reconciliations-repo.ts). A queue made 'stately' earlier is switched.
 */
export async function createShareQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(SHARE_QUEUE, { name: SHARE_QUEUE, policy: 'short' });
  await boss.updateQueue(SHARE_QUEUE, { name: SHARE_QUEUE, policy: 'short' });
}

/** Sends a job for each package; a package already queued is skipped. */
export async function sendShareJobs(boss: PgBoss, packageIds: readonly string[]): Promise<void> {
  for (const packageId of packageIds) {
    await boss.send(SHARE_QUEUE, { packageId } satisfies ShareJob, { singletonKey: packageId, retryLimit: 0, expireInSeconds: 600 });
  }
}

export function createBoss(store: Store, options: { schema?: string } = {}): PgBoss {
  const common = { schema: options.schema ?? 'pgboss', schedule: false, supervise: true, migrate: true } as const;
  if (store.pglite) {
    const { pg, mutex } = store.pglite;
    return new PgBoss({
      ...common,
      db: {
        executeSql: (text: string, values: unknown[]) =>
          mutex.run(async () => {
            if (values && values.length > 0) return { rows: (await pg.query(text, values)).rows };
            const results = await pg.exec(text);
            return { rows: results[results.length - 1]?.rows ?? [] };
          }),
      },
    });
  }
  if (store.target.kind !== 'postgres') throw new Error('unreachable');
  return new PgBoss({ ...common, connectionString: store.target.url, max: 4 });
}

/** pg-boss statements inside a Kysely transaction, so a wake-up commits with the change that caused it. */
function inTransaction(trx: Transaction<Database>) {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const r = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows as unknown[] };
    },
  };
}

export class PgBossPassQueue implements PassQueue {
  constructor(private readonly boss: PgBoss) {}

  async enqueue(trx: Transaction<Database>, job: PassJob, delayRealMs: number): Promise<void> {
    const seconds = Math.max(0, delayRealMs / 1000);
    await this.boss.send(PASS_QUEUE, { ...job }, {
      ...(seconds > 0.001 ? { startAfter: seconds.toFixed(3) } : {}),
      retryLimit: 3,
      retryDelay: 2,
      expireInSeconds: 300,
      db: inTransaction(trx),
    } as PgBoss.SendOptions);
  }
}
