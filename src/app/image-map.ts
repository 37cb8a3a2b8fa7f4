/**
 * The regional image IDs of published versions, served from process memory (issue 13 scope 6).
 *
 * A copy's image ID never changes while it is Available. It stops being servable only through
 * (a) deletion of the version or its package (`delete_requested_at`), (b) cancellation (the
 * engine deletes an Available copy only once `cancel_requested` is set) or (c) a retry, which
 * gives the delivery a new generation. So every lookup still reads the version's stamp —
 * deleting?, cancelling?, the sum of its deliveries' generations — from the database, in a query
 * sent after the lookup began (StampReader: concurrent lookups share it), and serves a
 * remembered image only when the version is neither deleting nor cancelling and the generation
 * sum is the one read before the image was remembered. That holds across processes (a server
 * and workers, several servers, on one PostgreSQL): once a deletion or cancellation commits, no
 * process serves the copy again. A version purged and its number reused has a new ID: the old
 * ID's stamp is missing, and the lookup goes to the store.
 */
import type { VersionFacts } from '../domain/deployment/image-resolution.ts';
import type { Db } from '../store/database.ts';
import { loadVersionStamps, loadVersionStampsByNumber, type VersionStamp } from '../store/version-stamps.ts';
import { BoundedCache } from './bounded-cache.ts';
import { StampReader } from './stamp-reader.ts';
import { loadVersionFacts, versionKey, type VersionKey } from './version-facts.ts';

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

const servable = (s: VersionStamp | undefined): s is VersionStamp => s !== undefined && !s.deleting && !s.cancelling;

export class ImageMapCache {
  readonly #versions: BoundedCache<string, Remembered>;
  /** A reference (owner's package and version label, or package ID and number) → version ID. */
  readonly #refs: BoundedCache<string, string>;
  readonly #stamps: StampReader;

  constructor(options: { maxVersions: number; nowMs: () => number; db: Db }) {
    this.#versions = new BoundedCache({ maxEntries: options.maxVersions, nowMs: options.nowMs });
    this.#refs = new BoundedCache({ maxEntries: options.maxVersions * 4, nowMs: options.nowMs });
    this.#stamps = new StampReader((ids) => loadVersionStamps(options.db, ids));
  }

  /**
   * The image of the caller's package `ref`, version `label`, in `region`, when the caller looked
   * it up before (so owns it: a package's owner never changes) and the version's fresh stamp
   * still allows it; undefined sends the lookup to the store.
   */
  async ownedImage(ownerId: string, ref: string, label: string, region: string): Promise<{ imageId: string; versionNumber: number } | undefined> {
    const versionId = this.#refs.get(ownedRef(ownerId, ref, label));
    if (!versionId) return undefined;
    const r = this.#usable(versionId, (await this.#stamps.read([versionId])).get(versionId));
    const imageId = r?.images.get(region);
    return r && imageId ? { imageId, versionNumber: r.versionNumber } : undefined;
  }

  /** After the store said the caller owns this version: later lookups of the same reference start from memory. */
  rememberOwned(ownerId: string, ref: string, label: string, versionId: string): void {
    this.#refs.set(ownedRef(ownerId, ref, label), versionId);
  }

  /** Frees a version's entry (deleted or cancelled here); other processes rely on the stamp. */
  forget(versionId: string): void {
    this.#versions.delete(versionId);
  }

  /** Fresh stamps of the versions behind `keys` seen before, by version ID. */
  async stampsOf(db: Db, keys: readonly VersionKey[]): Promise<Map<string, VersionStamp>> {
    const ids = keys.flatMap((k) => {
      const id = k.versionNumber === null ? undefined : this.#refs.get(versionKey(k.packageId, k.versionNumber));
      return id ? [id] : [];
    });
    if (ids.length === 0) return new Map();
    // Inside a transaction, its own snapshot; outside, a shared query sent after this call.
    return db.isTransaction ? loadVersionStamps(db, ids) : this.#stamps.read(ids);
  }

  /** What resolution in `region` needs of the version under `key`, when its copy there is remembered and its stamp allows. */
  factsIn(key: { packageId: string; versionNumber: number }, stamps: Map<string, VersionStamp>, region: string): VersionFacts | undefined {
    const versionId = this.#refs.get(versionKey(key.packageId, key.versionNumber));
    const r = versionId ? this.#usable(versionId, stamps.get(versionId)) : undefined;
    const imageId = r?.images.get(region);
    if (!r || !imageId) return undefined;
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
   * Remembers the Available copies of a published version, read after `stamp` (the stamp read
   * before the facts: a change in between leaves the entry under a stamp that no longer matches).
   */
  remember(stamp: VersionStamp, facts: VersionFacts): void {
    if (facts.version === 'draft') return;
    const versionId = stamp.versionId;
    this.#refs.set(versionKey(facts.packageId, facts.version), versionId);
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

  #usable(versionId: string, stamp: VersionStamp | undefined): Remembered | undefined {
    if (!servable(stamp)) return undefined;
    const r = this.#versions.get(versionId);
    return r && r.generation === stamp.generation ? r : undefined;
  }
}

function ownedRef(ownerId: string, ref: string, label: string): string {
  return `${ownerId}\u0000${ref}\u0000${label}`;
}

/**
 * The facts image resolution in `region` needs of each version (keyed by versionKey; a version
 * that no longer exists is missing): a published version's copy there from memory when its fresh
 * stamp allows, the rest — drafts, the source region's ingest, copies not yet Available,
 * versions being deleted or cancelled — from the store, as without a cache.
 */
export async function versionFactsIn(db: Db, cache: ImageMapCache | undefined, keys: readonly VersionKey[], region: string): Promise<Map<string, VersionFacts>> {
  if (!cache) return loadVersionFacts(db, keys);
  const stamps = await cache.stampsOf(db, keys);
  const out = new Map<string, VersionFacts>();
  const missing: VersionKey[] = [];
  for (const k of keys) {
    const remembered = k.versionNumber === null ? undefined : cache.factsIn({ packageId: k.packageId, versionNumber: k.versionNumber }, stamps, region);
    if (remembered) out.set(versionKey(k.packageId, k.versionNumber), remembered);
    else missing.push(k);
  }
  if (missing.length === 0) return out;
  // The versions not served from memory: their stamps first, then their facts.
  const published = missing.filter((k): k is { packageId: string; versionNumber: number } => k.versionNumber !== null);
  const fresh = new Map((await loadVersionStampsByNumber(db, published)).map((s) => [versionKey(s.packageId, s.versionNumber), s]));
  for (const [key, facts] of await loadVersionFacts(db, missing)) {
    out.set(key, facts);
    const stamp = fresh.get(key);
    if (stamp) cache.remember(stamp, facts);
  }
  return out;
}
