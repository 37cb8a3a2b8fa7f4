/** Ports the use cases call out through, implemented at the edge. */
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Asks the distribution engine to look at a region at a (simulated) instant, durably. */
export interface Wakeups {
  /** Inside the caller's transaction: the wake-up exists exactly when the transaction commits. */
  wake(trx: Transaction<Database>, region: string, atMs: number): Promise<void>;
}

/** One region where a marketplace product version is sold, and its image there. */
export interface MarketplaceListing {
  region: string;
  imageId: string;
}

/** The cloud's marketplace, as far as packaging one of its product versions needs it. */
export interface MarketplaceCatalog {
  /**
   * Where `productCode` at `productVersion` is sold and its image in each of those regions
   * (sorted by region); empty when no such product version is sold anywhere. `versions` lists the
   * versions of the product sold anywhere, for a helpful refusal.
   */
  listings(productCode: string, productVersion: string): Promise<{ listings: MarketplaceListing[]; versions: string[] }>;
}
