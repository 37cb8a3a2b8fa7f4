import { describe, expect, it } from 'vitest';
import type { SimImageRow } from '../../src/cloud/simulator/sim-schema.ts';
import { concurrency, maxConcurrent, recordedSource, traceOf, type DeliveryRecord } from './trace.ts';

const row = (image_id: string, region: string, source_region: string, source_image_id: string, start: number, end: number): SimImageRow => ({
  image_id,
  account: 'dist',
  region,
  name: image_id,
  size_gib: 10,
  tags: [],
  shared_with: [],
  is_public: false,
  source_image_id,
  source_region,
  client_token: null,
  request_fingerprint: null,
  requested_at_ms: start,
  start_at_ms: start,
  finish_at_ms: end,
  fail_at_ms: null,
  end_at_ms: end,
  cancelled: false,
  deleted: false,
});

const delivery = (region: string, kind: 'ingest' | 'copy', imageId: string, source: [string, string] | null = null): DeliveryRecord => ({
  version: 'v',
  region,
  kind,
  imageId,
  detectedAtMs: null,
  copySourceRegion: source?.[0] ?? null,
  copySourceImageId: source?.[1] ?? null,
});

describe('trace', () => {
  it('counts copies open at one instant; one ending as another starts does not overlap it', () => {
    const at = (s: number, e: number) => ({ k: 'r', s, e });
    expect(maxConcurrent([at(0, 10), at(10, 20)], (x) => x.k, (x) => x.s, (x) => x.e).max).toBe(1);
    expect(maxConcurrent([at(0, 10), at(5, 20), at(9, 11), at(10, 12)], (x) => x.k, (x) => x.s, (x) => x.e)).toEqual({ max: 3, at: 'r' });
  });

  it('counts into a region and out of a source region apart', () => {
    const rows = [row('a', 'us-east-1', 'cn-hangzhou', 'i', 0, 10), row('b', 'us-west-1', 'cn-hangzhou', 'i', 0, 10), row('c', 'us-west-1', 'us-east-1', 'a', 20, 30)];
    const c = concurrency(rows);
    expect(c.into).toEqual({ max: 1, at: 'us-east-1' });
    expect(c.outOf).toEqual({ max: 2, at: 'cn-hangzhou' });
  });

  it("takes a copy's recorded source, else the ingest's image; the source region's copy is the ingest itself", () => {
    const rows = [
      row('ing', 'cn-hangzhou', 'cn-hangzhou', 'supplier-img', 0, 100),
      row('east', 'us-east-1', 'cn-hangzhou', 'ing', 100, 200),
      row('west', 'us-west-1', 'us-east-1', 'east', 200, 300),
    ];
    const deliveries = [
      delivery('cn-hangzhou', 'ingest', 'ing'),
      delivery('cn-hangzhou', 'copy', 'ing'),
      delivery('us-east-1', 'copy', 'east'),
      delivery('us-west-1', 'copy', 'west', ['us-east-1', 'east']),
    ];
    const r = traceOf(3, deliveries, rows, 0);
    expect(r.traces.map((t) => [t.region, t.kind, t.sourceRegion, t.sourceImageId, t.draw])).toEqual([
      ['cn-hangzhou', 'ingest', 'cn-hangzhou', 'supplier-img', 3],
      ['cn-hangzhou', 'copy', 'cn-hangzhou', 'supplier-img', 3],
      ['us-east-1', 'copy', 'cn-hangzhou', 'ing', 3],
      ['us-west-1', 'copy', 'us-east-1', 'east', 3],
    ]);
    expect(r.recordedSources).toBe(1);
    expect(r.sourceMismatches).toBe(0);
    // Without its record, the relayed copy would be derived from the ingest: the simulator says otherwise.
    expect(traceOf(0, deliveries.slice(0, 3).concat(delivery('us-west-1', 'copy', 'west')), rows, 0).sourceMismatches).toBe(1);
  });

  it("reads the store's copy-source columns when it has them", () => {
    expect(recordedSource({ copy_source_region: 'us-east-1', copy_source_image_id: 'm-1' })).toEqual({ region: 'us-east-1', imageId: 'm-1' });
    expect(recordedSource({ source_region: 'cn-hangzhou' })).toEqual({ region: null, imageId: null });
  });
});
