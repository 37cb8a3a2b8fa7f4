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

/**
 * What the cloud says of a custom source image, seen from the package owner's account — the
 * account that shares it with the distribution account at ingest, so only its own image will do.
 */
export type SourceImageVerdict =
  | { state: 'usable'; sizeGiB: number }
  /** Not in the region, or not the owner's own image; with the cloud's words when it refused the look itself. */
  | { state: 'notFound'; cloud?: { code: string; message: string } }
  | { state: 'notAvailable'; status: string }
  /** The cloud could not be asked (throttled, unreachable): no verdict either way. */
  | { state: 'unknown'; cloud: { code: string; message: string } };

/** Asks the cloud about a source image before a version number is spent on it. */
export interface SourceImages {
  inspect(owner: string, region: string, imageId: string): Promise<SourceImageVerdict>;
}
