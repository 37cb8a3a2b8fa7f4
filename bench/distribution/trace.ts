/**
 * Copy traces: one line per delivered copy of every draw, joined from what the store recorded
 * (the delivery, when it was seen Available, the source it recorded) and the simulator's own
 * record of the copy (requested, started, finished, its true source). Times are simulated
 * seconds from the publish instant.
 */
import type { SimImageRow } from '../../src/cloud/simulator/sim-schema.ts';

export interface CopyTrace {
  /** 0 for the headline run, k for the k-th extra cloud draw. */
  draw: number;
  version: string;
  region: string;
  kind: 'ingest' | 'copy';
  imageId: string;
  sizeGiB: number;
  sourceRegion: string;
  sourceImageId: string;
  requestedAt: number;
  startedAt: number;
  finishedAt: number;
  detectedAt: number;
}

/** A delivery as the store recorded it. `copySource*` are read when the store records a copy's source. */
export interface DeliveryRecord {
  version: string;
  region: string;
  kind: 'ingest' | 'copy';
  imageId: string;
  detectedAtMs: number | null;
  copySourceRegion: string | null;
  copySourceImageId: string | null;
}

/** Reads a delivery's recorded copy source, whichever name the store gives the columns (null when it has none). */
export function recordedSource(row: Record<string, unknown>): { region: string | null; imageId: string | null } {
  const region = row['copy_source_region'] ?? null;
  const imageId = row['copy_source_image_id'] ?? null;
  return { region: typeof region === 'string' ? region : null, imageId: typeof imageId === 'string' ? imageId : null };
}

export interface TraceResult {
  traces: CopyTrace[];
  /** Deliveries whose source (recorded or derived) differs from the simulator's record of the copy. */
  sourceMismatches: number;
  /** Deliveries that recorded their source themselves (0 until the store has the columns). */
  recordedSources: number;
}

/**
 * Joins deliveries with the simulator's rows. A copy's source is the one the delivery recorded;
 * without such a record it is derived: the version's ingested image, except for the source
 * region's own delivery, which the ingest itself serves (its source is the supplier's image).
 */
export function traceOf(draw: number, deliveries: readonly DeliveryRecord[], rows: readonly SimImageRow[], t0Ms: number): TraceResult {
  const rowOf = new Map(rows.map((r) => [r.image_id, r]));
  const ingestOf = new Map(deliveries.filter((d) => d.kind === 'ingest').map((d) => [d.version, d]));
  const s = (ms: number) => (ms - t0Ms) / 1000;
  let sourceMismatches = 0;
  let recordedSources = 0;
  const traces = deliveries.map((d): CopyTrace => {
    const row = rowOf.get(d.imageId);
    if (!row) throw new Error(`the simulator has no copy ${d.imageId} for ${d.version} in ${d.region}`);
    const ingest = ingestOf.get(d.version);
    let source: { region: string; imageId: string };
    if (d.copySourceRegion !== null && d.copySourceImageId !== null) {
      recordedSources++;
      source = { region: d.copySourceRegion, imageId: d.copySourceImageId };
    } else if (d.kind === 'copy' && ingest && ingest.imageId !== d.imageId) {
      source = { region: ingest.region, imageId: ingest.imageId };
    } else {
      source = { region: row.source_region ?? row.region, imageId: row.source_image_id ?? '' };
    }
    if (source.region !== row.source_region || source.imageId !== row.source_image_id) sourceMismatches++;
    return {
      draw,
      version: d.version,
      region: d.region,
      kind: d.kind,
      imageId: d.imageId,
      sizeGiB: row.size_gib,
      sourceRegion: source.region,
      sourceImageId: source.imageId,
      requestedAt: s(row.requested_at_ms),
      startedAt: s(row.start_at_ms),
      finishedAt: s(row.finish_at_ms),
      detectedAt: s(d.detectedAtMs ?? row.finish_at_ms),
    };
  });
  return { traces, sourceMismatches, recordedSources };
}

/** The most intervals [start, end) open at any one instant, per key; ends sort before starts at a tie. */
export function maxConcurrent<T>(items: readonly T[], key: (t: T) => string, startMs: (t: T) => number, endMs: (t: T) => number): { max: number; at: string | null } {
  const events = new Map<string, [number, number][]>();
  for (const t of items) {
    if (endMs(t) <= startMs(t)) continue;
    const list = events.get(key(t)) ?? [];
    list.push([startMs(t), 1], [endMs(t), -1]);
    events.set(key(t), list);
  }
  let best = { max: 0, at: null as string | null };
  for (const [k, list] of events) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    for (const [, delta] of list) {
      open += delta;
      if (open > best.max) best = { max: open, at: k };
    }
  }
  return best;
}

/** Copies running into any one region, and out of any one source region, at the worst instant (every copy the cloud ran, failed ones too). */
export function concurrency(rows: readonly SimImageRow[]): { into: { max: number; at: string | null }; outOf: { max: number; at: string | null } } {
  const copies = rows.filter((r) => r.source_image_id !== null);
  return {
    into: maxConcurrent(copies, (r) => r.region, (r) => r.start_at_ms, (r) => r.end_at_ms),
    outOf: maxConcurrent(copies, (r) => r.source_region ?? r.region, (r) => r.start_at_ms, (r) => r.end_at_ms),
  };
}

/** The trace file's line for one copy. */
export function traceLine(t: CopyTrace): string {
  const { imageId: _id, ...line } = t;
  return JSON.stringify(line);
}
