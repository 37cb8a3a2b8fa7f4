/**
 * The regional image IDs of published versions, served from process memory (issue 13 scope 6).
 *
 * A copy's image ID never changes while it is Available. It stops being servable only through
 * (a) deletion of the version or its package (`delete_requested_at`), (b) cancellation (the
 * engine deletes an Available copy only once `cancel_requested` is set) or (c) a retry, which
 * gives the delivery a new generation. All three are use cases of an API process; the engine
 * only carries them out. A version's stamp — deleting?, cancelling?, the sum of its deliveries'
 * generations — is read before its facts, and only a version neither deleting nor cancelling is
 * remembered, under that stamp. Then:
 *
 * - `any-process` (PostgreSQL: servers and workers, possibly several servers): every lookup
 *   still reads the stamp, in a query sent after it began (StampReader: concurrent lookups share
 *   one), and serves a remembered copy only when the stamp is unchanged. Once a deletion,
 *   cancellation or retry commits anywhere, no process serves the copy again.
 * - `this-process` (the embedded PGlite: one process holds the data directory, so every use
 *   case that changes the mapping runs here): a hit reads nothing; those use cases run inside
 *   `changing()`, which empties the cache before and after their transaction and refuses to
 *   remember what a lookup begun before the end of one read.
 *
 * A version purged and its number reused has a new ID: the old ID's stamp is missing, or (in
 * this process) the cache was emptied when it was deleted.
 */
import type { VersionFacts } from '../domain/deployment/image-resolution.ts';
import type { Db } from '../store/database.ts';
import { loadVersionStamps, loadVersionStampsByNumber, type VersionStamp } from '../store/version-stamps.ts';
import { BoundedCache } from './bounded-cache.ts';
import { StampReader } from './stamp-reader.ts';
import { keyOf, loadVersionFacts, versionKey, type VersionKey } from '../store/version-facts.ts';

/** Who may change the mapping: this process alone, or any process on the same database. */
export type MappingWriters = 'this-process' | 'any-process';

/** What was seen of a published version, under the stamp read before it. */
interface Remembered {
  generation: string;
  packageId: string;
  packageName: string;
  versionNumber: number;
  sourceRegion: string;
  /** region → image ID of the copies seen Available. */
  images: Map<string, string>;
}

/** A lookup's view of the versions it asks about: fresh stamps by version ID, or this process's word. */
type Freshness = { kind: 'stamps'; stamps: Map<string, VersionStamp> } | { kind: 'local' };

const servable = (s: VersionStamp | undefined): s is VersionStamp => s !== undefined && !s.deleting && !s.cancelling;

export class ImageMapCache {
  readonly #versions: BoundedCache<string, Remembered>;
  /** A reference (owner's package and version label, or package ID and number) → version ID. */
  readonly #refs: BoundedCache<string, string>;
  readonly #stamps: StampReader;
  readonly #writers: MappingWriters;
  /** Raised by every change of the mapping in this process: a read begun under an older epoch is not remembered. */
  #epoch = 0;

  constructor(options: { maxVersions: number; nowMs: () => number; db: Db; writers: MappingWriters }) {
    this.#versions = new BoundedCache({ maxEntries: options.maxVersions, nowMs: options.nowMs });
    this.#refs = new BoundedCache({ maxEntries: options.maxVersions * 4, nowMs: options.nowMs });
    this.#stamps = new StampReader((ids) => loadVersionStamps(options.db, ids));
    this.#writers = options.writers;
  }

  /** The current epoch, taken by a lookup before it reads what it may remember. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Runs a use case that may take a copy out of service (delete, cancel, retry): the cache is
   * emptied before it, and again once it has committed, before its answer is sent.
   */
  async changing<T>(run: () => Promise<T>): Promise<T> {
    this.#invalidate();
    try {
      return await run();
    } finally {
      this.#invalidate();
    }
  }

  /**
   * The image of the caller's package `ref`, version `label`, in `region`, when the caller looked
   * it up before (so owns it: a package's owner never changes) and the version may still be
   * served; undefined sends the lookup to the store.
   */
  async ownedImage(ownerId: string, ref: string, label: string, region: string): Promise<{ imageId: string; versionNumber: number } | undefined> {
    const versionId = this.#refs.get(ownedRef(ownerId, ref, label));
    if (!versionId) return undefined;
    const r = this.#usable(versionId, await this.#freshness(undefined, [versionId]));
    const imageId = r?.images.get(region);
    return r && imageId ? { imageId, versionNumber: r.versionNumber } : undefined;
  }

  /** After the store said the caller owns this version: later lookups of the same reference start from memory. */
  rememberOwned(ownerId: string, ref: string, label: string, versionId: string): void {
    this.#refs.set(ownedRef(ownerId, ref, label), versionId);
  }

  /** What resolution in `region` needs of the versions behind `keys` whose copy there is remembered and may be served. */
  async remembered(db: Db, keys: readonly VersionKey[], region: string): Promise<Map<string, VersionFacts>> {
    const ids = new Map<string, string>();
    for (const k of keys) {
      const id = k.version === 'draft' ? undefined : this.#refs.get(versionKey(k));
      if (id) ids.set(versionKey(k), id);
    }
    const out = new Map<string, VersionFacts>();
    if (ids.size === 0) return out;
    const freshness = await this.#freshness(db, [...ids.values()]);
    for (const [key, id] of ids) {
      const r = this.#usable(id, freshness);
      const imageId = r?.images.get(region);
      if (r && imageId) out.set(key, rememberedFacts(r, region, imageId));
    }
    return out;
  }

  /**
   * Remembers the Available copies of a published version, read after `stamp` by a lookup begun
   * at `epoch` (a change in between leaves the entry under a stamp, or an epoch, that no longer matches).
   */
  remember(epoch: number, stamp: VersionStamp, facts: VersionFacts): void {
    const versionId = stamp.versionId;
    if (facts.version === 'draft' || epoch !== this.#epoch) return;
    this.#refs.set(versionKey(keyOf(facts.packageId, facts.version)), versionId);
    if (!servable(stamp)) {
      this.#versions.delete(versionId);
      return;
    }
    const images = new Map<string, string>();
    for (const d of facts.deliveries) if (d.state === 'Available') images.set(d.region, d.imageId);
    this.#versions.set(versionId, {
      generation: stamp.generation,
      packageId: facts.packageId,
      packageName: facts.packageName,
      versionNumber: facts.version,
      sourceRegion: facts.sourceRegion,
      images,
    });
  }

  #invalidate(): void {
    this.#epoch += 1;
    this.#versions.clear();
  }

  /** Inside a transaction, its own snapshot; outside, a shared query sent after this call. */
  async #freshness(db: Db | undefined, versionIds: string[]): Promise<Freshness> {
    if (this.#writers === 'this-process') return { kind: 'local' };
    const stamps = db?.isTransaction ? await loadVersionStamps(db, versionIds) : await this.#stamps.read(versionIds);
    return { kind: 'stamps', stamps };
  }

  #usable(versionId: string, freshness: Freshness): Remembered | undefined {
    const r = this.#versions.get(versionId);
    if (!r || freshness.kind === 'local') return r;
    const stamp = freshness.stamps.get(versionId);
    return servable(stamp) && r.generation === stamp.generation ? r : undefined;
  }
}

/** Runs a use case that may take a copy out of service under `cache.changing` (as is without a cache). */
export function changingImages<T>(cache: ImageMapCache | undefined, run: () => Promise<T>): Promise<T> {
  return cache ? cache.changing(run) : run();
}

function ownedRef(ownerId: string, ref: string, label: string): string {
  return `${ownerId}\u0000${ref}\u0000${label}`;
}

/** What resolution in `region` needs of a version whose copy there is remembered. */
function rememberedFacts(r: Remembered, region: string, imageId: string): VersionFacts {
  return {
    packageId: r.packageId,
    packageName: r.packageName,
    version: r.versionNumber,
    sourceRegion: r.sourceRegion,
    sourceImageId: null,
    deleting: false,
    deliveries: [{ region, state: 'Available', imageId }],
    ingest: null,
  };
}

/**
 * The facts image resolution in `region` needs of each version (keyed by versionKey; a version
 * that no longer exists is missing): a published version's copy there from memory when it may
 * be served, the rest — drafts, the source region's ingest, copies not yet Available, versions
 * being deleted or cancelled — from the store, as without a cache.
 */
export async function versionFactsIn(db: Db, cache: ImageMapCache | undefined, keys: readonly VersionKey[], region: string): Promise<Map<string, VersionFacts>> {
  if (!cache) return loadVersionFacts(db, keys);
  const epoch = cache.epoch;
  const out = await cache.remembered(db, keys, region);
  const missing = keys.filter((k) => !out.has(versionKey(k)));
  if (missing.length === 0) return out;
  // The versions not served from memory: their stamps first, then their facts.
  const published = missing.flatMap((k) => (k.version === 'draft' ? [] : [{ packageId: k.packageId, versionNumber: k.version }]));
  const stamps = new Map((await loadVersionStampsByNumber(db, published)).map((s) => [versionKey(keyOf(s.packageId, s.versionNumber)), s]));
  for (const [key, facts] of await loadVersionFacts(db, missing)) {
    out.set(key, facts);
    const stamp = stamps.get(key);
    if (stamp) cache.remember(epoch, stamp, facts);
  }
  return out;
}
