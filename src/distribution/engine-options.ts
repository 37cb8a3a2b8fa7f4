/** What the distribution engine is given, and the defaults it fills in. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Wakeups } from '../app/ports.ts';
import type { Database } from '../store/schema.ts';
import type { CloudProvider } from '../cloud/provider.ts';
import { DEFAULT_POLL, type PollPolicy } from './poll-plan.ts';
import { CLOUD_RETRY, type RetryPolicy } from './retry-policy.ts';
import { LearnedSpeeds } from './route-speeds.ts';

export interface EngineObserver {
  deliveryFinished?(d: { region: string; state: 'Available' | 'Failed'; durationMs: number | null; errorCode: string | null }): void;
}

export type Failpoint = 'after-copy-image' | 'after-entry-copy-image';

export interface EngineOptions {
  db: Kysely<Database>;
  cloud: CloudProvider;
  clock: { nowMs(): number };
  wakeups: Wakeups;
  /** The platform account that holds every distributed copy. */
  distributionAccount: string;
  workerId: string;
  log: Logger;
  /**
   * Real seconds a region stays leased after its pass last renewed the lease (every third of it):
   * how long a worker that died mid-pass keeps others off its region.
   */
  leaseSeconds?: number;
  retry?: RetryPolicy;
  poll?: PollPolicy;
  random?: () => number;
  observer?: EngineObserver;
  /** The learned copy speeds (default: read from and written to `db`). */
  speeds?: LearnedSpeeds;
  /** Relay routing: copy onward from a region that already holds the version (default on). */
  relay?: boolean;
  /**
   * At most this many copies running out of one source region at once (ingests included); a
   * copy whose source is full starts from another holder or waits. Default null: no cap on that
   * side. ECS documents five running copies "per region" without saying on which side; keeping
   * to five out of every region on a cloud that does not cap that side took the benchmark's
   * makespan from 31,569 s to 44,662 s, so it is for a cloud known to cap it (README).
   */
  copiesOutPerRegion?: number | null;
  /**
   * Crash testing: called at named points; a test build may kill the process there. An entry
   * copy (one its area will copy onward from) passes 'after-copy-image', then 'after-entry-copy-image'.
   */
  failpoint?: (name: Failpoint) => void;
}

/** Short enough that a dead worker's region waits seconds; three renewals per lease ride out a slow database. */
export const DEFAULT_LEASE_SECONDS = 10;

export type EngineContext = Required<Omit<EngineOptions, 'observer'>> & { observer: EngineObserver };

export function withDefaults(options: EngineOptions): EngineContext {
  return {
    failpoint: () => {},
    ...options,
    leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    retry: options.retry ?? CLOUD_RETRY,
    poll: options.poll ?? DEFAULT_POLL,
    random: options.random ?? Math.random,
    observer: options.observer ?? {},
    speeds: options.speeds ?? new LearnedSpeeds(options.db, options.clock),
    relay: options.relay ?? true,
    copiesOutPerRegion: options.copiesOutPerRegion ?? null,
  };
}
