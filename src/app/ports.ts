/** Ports the use cases call out through, implemented at the edge. */
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Asks the distribution engine to look at a region at a (simulated) instant, durably. */
export interface Wakeups {
  /** Inside the caller's transaction: the wake-up exists exactly when the transaction commits. */
  wake(trx: Transaction<Database>, region: string, atMs: number): Promise<void>;
}
