/** A bounded in-process cache: least recently used entries go first, optionally each for at most `ttlMs`. */

export interface BoundedCacheOptions {
  maxEntries: number;
  /** How long an entry may be served after it was stored; undefined: until evicted or deleted. */
  ttlMs?: number | undefined;
  /** A monotonic clock in milliseconds (never the simulated one: a TTL is a promise in real time). */
  nowMs: () => number;
}

/**
 * A Map in recency order (a Map iterates in insertion order: a hit is moved to the end, the
 * first key is the least recently used). Small on purpose: `lru-cache` is not a dependency.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; storedAtMs: number }>();
  readonly #options: BoundedCacheOptions;

  constructor(options: BoundedCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new Error(`a bounded cache needs maxEntries ≥ 1, got ${options.maxEntries}`);
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    const { ttlMs, nowMs } = this.#options;
    this.#entries.delete(key);
    if (ttlMs !== undefined && nowMs() - e.storedAtMs >= ttlMs) return undefined;
    this.#entries.set(key, e);
    return e.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, storedAtMs: this.#options.nowMs() });
    if (this.#entries.size > this.#options.maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
