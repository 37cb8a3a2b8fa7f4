/**
 * The engine's view of the learned copy speeds: loaded from the store at most once per pass
 * (and not again within `refreshMs` unless this engine recorded a copy since), and fed one
 * observation per copy the engine sees finish Available. A crash between a copy's verdict and
 * its observation loses that one observation: the estimates are statistics, not records.
 */
import type { Kysely } from 'kysely';
import { copySample } from '../domain/delivery/copy-sample.ts';
import { START_LATENCY_MS } from '../domain/delivery/copy-estimate.ts';
import { PRIOR_SPEEDS, routeSpeeds, type RouteSpeeds } from '../domain/delivery/learned-speeds.ts';
import { progressOf, sourceRegionOf } from '../store/delivery-progress.ts';
import type { Database, DeliveryRow } from '../store/schema.ts';
import { loadSpeedBook, recordCopySpeed } from '../store/speeds-repo.ts';

/** How long loaded estimates serve passes before they are read again (engine clock). */
export const SPEEDS_REFRESH_MS = 60_000;

export class LearnedSpeeds {
  #speeds: RouteSpeeds = PRIOR_SPEEDS;
  #loadedAtMs = -Infinity;
  #stale = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: { nowMs(): number },
    private readonly refreshMs = SPEEDS_REFRESH_MS,
  ) {}

  /** The estimates for a pass: reloaded when this engine recorded a copy since, or after `refreshMs`. */
  async forPass(): Promise<RouteSpeeds> {
    const nowMs = this.clock.nowMs();
    if (this.#stale || nowMs - this.#loadedAtMs >= this.refreshMs) {
      this.#speeds = routeSpeeds(await loadSpeedBook(this.db));
      this.#loadedAtMs = nowMs;
      this.#stale = false;
    }
    return this.#speeds;
  }

  /** The estimates last loaded (the prior before any pass). */
  current(): RouteSpeeds {
    return this.#speeds;
  }

  /** Learns from a copy (or ingest) the engine has just seen Available at `nowMs`, as the row was before. */
  async recordFinished(d: DeliveryRow, nowMs: number): Promise<void> {
    if (d.state !== 'Copying' || d.requested_at_ms === null || d.size_gib === null) return;
    const from = sourceRegionOf(d);
    const seen = progressOf(d, nowMs);
    const sample = copySample(
      { sizeGiB: d.size_gib, requestedAtMs: d.requested_at_ms, first: seen.first, last: seen.last, availableAtMs: nowMs, startLatencyMs: START_LATENCY_MS },
      this.#speeds(from, d.region),
    );
    if (!sample) return;
    await recordCopySpeed(this.db, from, d.region, sample, new Date(nowMs));
    this.#stale = true;
  }
}
