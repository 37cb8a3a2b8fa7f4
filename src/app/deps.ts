/** What the use cases need from the outside world, injected by the composition root. */
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import type { Database } from '../store/schema.ts';
import type { LookupCaches } from './lookup-caches.ts';
import type { MarketplaceCatalog, SourceImages, Wakeups } from './ports.ts';

/** Fresh identifiers and secrets. */
export interface IdSource {
  /** A new resource ID: `prefix-` and random lowercase hex (IDs always contain '-', names never do). */
  id(prefix: string): string;
  /** A new API token with at least 128 bits of randomness. */
  token(): string;
}

export interface AppDeps {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdSource;
  /** Hands published work to the distribution engine. */
  wakeups: Wakeups;
  /** The cloud's marketplace: where a product version is sold, and its image there. */
  marketplace: MarketplaceCatalog;
  /** Checks a draft's source image at save and before publish. */
  sourceImages: SourceImages;
  /** The API process's caches of tokens and regional image IDs; without them every lookup reads the store. */
  lookups?: LookupCaches | undefined;
}
