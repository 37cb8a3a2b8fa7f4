/**
 * A delivery row as the copy estimate reads it (domain/delivery/copy-estimate.ts): what has been
 * seen of it, and when it is expected to be Available. Shared by the engine, which plans with
 * it, and a version's status, which shows it, so both speak of the same estimate.
 */
import { expectedEndMs, priorCopyMs, progressAtPct, type CopyProgress } from '../domain/delivery/copy-estimate.ts';
import { PRIOR_SPEEDS, type RouteSpeeds } from '../domain/delivery/learned-speeds.ts';
import type { DeliveryRow } from './schema.ts';

/** The size assumed for a source image until the ingest has looked at it. */
export const DEFAULT_SIZE_GIB = 20;

/**
 * Where a delivery copies from: the source it recorded at its start, else the region the relay
 * plan chose, else the version's source region (the ingest's own region, where its image lands).
 */
export function sourceRegionOf(d: Pick<DeliveryRow, 'source_region' | 'region' | 'copy_source_region' | 'relay_from'>): string {
  return d.copy_source_region ?? d.relay_from ?? d.source_region ?? d.region;
}

export function sizeOf(d: Pick<DeliveryRow, 'size_gib'>): number {
  return d.size_gib ?? DEFAULT_SIZE_GIB;
}

/** What has been seen of a copy's progress. */
export function progressOf(d: DeliveryRow, nowMs: number): CopyProgress {
  return {
    requestedAtMs: d.requested_at_ms ?? nowMs,
    sizeGiB: sizeOf(d),
    first: d.obs_first_pct !== null && d.obs_first_pct > 0 && d.obs_first_ms !== null ? { atMs: d.obs_first_ms, pct: d.obs_first_pct } : undefined,
    last: d.obs_last_pct !== null && d.obs_last_ms !== null ? { atMs: d.obs_last_ms, pct: d.obs_last_pct } : undefined,
  };
}

export interface DeliveryEstimate {
  /** When the delivery is expected to be Available (epoch ms). */
  endMs: number;
  /** Percent expected by now. */
  pct: number;
}

/**
 * The estimate of a delivery not yet final. A running one from its readings; one not started
 * yet as if it started at `startAtMs` (its ingest's expected end, or its next attempt), at the
 * route's estimated speed.
 */
export function deliveryEstimate(d: DeliveryRow, nowMs: number, startLatencyMs: number, startAtMs: number = nowMs, speeds: RouteSpeeds = PRIOR_SPEEDS): DeliveryEstimate {
  const running = d.state === 'Copying';
  const seen = progressOf(d, nowMs);
  const track = {
    ...(running ? seen : { requestedAtMs: Math.max(startAtMs, d.next_attempt_at_ms ?? 0), sizeGiB: seen.sizeGiB }),
    priorMs: priorCopyMs(seen.sizeGiB, sourceRegionOf(d), d.region, speeds),
  };
  const endMs = expectedEndMs(track, startLatencyMs);
  return { endMs, pct: running ? progressAtPct(track, endMs, nowMs) : 0 };
}
