/**
 * Version stamps for concurrent lookups, read in shared queries: every query is sent after each
 * lookup it answers began, so a lookup never rests on a read older than itself (a deletion
 * acknowledged before a request was sent is always seen by that request).
 */
import type { VersionStamp } from '../store/version-stamps.ts';

interface Batch {
  ids: Set<string>;
  waiters: { resolve: (m: Map<string, VersionStamp>) => void; reject: (e: unknown) => void }[];
}

export class StampReader {
  readonly #load: (versionIds: string[]) => Promise<Map<string, VersionStamp>>;
  /** The lookups waiting for the next query. */
  #next: Batch | null = null;
  #busy = false;

  constructor(load: (versionIds: string[]) => Promise<Map<string, VersionStamp>>) {
    this.#load = load;
  }

  /** The stamps of these versions (missing: the version no longer exists), from a query sent after this call. */
  read(versionIds: readonly string[]): Promise<Map<string, VersionStamp>> {
    return new Promise((resolve, reject) => {
      const batch = (this.#next ??= { ids: new Set(), waiters: [] });
      for (const id of versionIds) batch.ids.add(id);
      batch.waiters.push({ resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        // After the I/O phase: every request read in this turn of the event loop joins the query
        // (an embedded PGlite answers synchronously, so none could join while it runs).
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#next;
    this.#next = null;
    if (!batch) {
      this.#busy = false;
      return;
    }
    try {
      const stamps = await this.#load([...batch.ids]);
      for (const w of batch.waiters) w.resolve(stamps);
    } catch (err) {
      for (const w of batch.waiters) w.reject(err);
    }
    // Lookups that arrived while this query ran share the next one.
    setImmediate(() => void this.#flush());
  }
}
