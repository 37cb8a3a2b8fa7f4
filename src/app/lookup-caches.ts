/** The in-process caches of the API's hot lookups, created once per process by the composition root. */
import type { AccountRecord } from '../domain/account.ts';
import type { Db } from '../store/database.ts';
import type { Analysis } from '../templates/model.ts';
import { BoundedCache } from './bounded-cache.ts';
import { ImageMapCache, type MappingWriters } from './image-map.ts';

/**
 * How long a token, once seen valid, is accepted without asking the database: a token reset
 * (`imagenest admin reset-token`) or replaced elsewhere stops working in this process within it.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
/** Distinct tokens remembered (least recently used go first). */
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;
/** Published versions whose regional image IDs are remembered. */
export const IMAGE_MAP_MAX_VERSIONS = 10_000;

/** Templates analysed (parsed, image sites found) remembered, by SHA-256 of file name and text. */
export const TEMPLATE_ANALYSIS_MAX_ENTRIES = 256;
/** Longer files (UTF-16 code units) are analysed on every request: the cache stays within 256 × 256 Ki characters. */
export const TEMPLATE_ANALYSIS_MAX_CHARS = 256 * 1024;

export interface LookupCaches {
  /** SHA-256 of a token → its account; only tokens found valid are remembered. */
  tokens: BoundedCache<string, AccountRecord>;
  images: ImageMapCache;
  /** A pure function of the text: nothing can make an entry wrong. */
  analyses: BoundedCache<string, Analysis>;
}

/**
 * `nowMs`: a monotonic real-time clock (performance.now), never the simulated one. `writers`:
 * 'this-process' only on the embedded PGlite, whose data directory one process holds.
 */
export function createLookupCaches(db: Db, writers: MappingWriters, nowMs: () => number): LookupCaches {
  return {
    tokens: new BoundedCache({ maxEntries: TOKEN_CACHE_MAX_ENTRIES, ttlMs: TOKEN_CACHE_TTL_MS, nowMs }),
    images: new ImageMapCache({ maxVersions: IMAGE_MAP_MAX_VERSIONS, nowMs, db, writers }),
    analyses: new BoundedCache({ maxEntries: TEMPLATE_ANALYSIS_MAX_ENTRIES, nowMs }),
  };
}
