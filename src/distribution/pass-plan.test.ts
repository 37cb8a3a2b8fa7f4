import { describe, expect, it } from 'vitest';
import type { CloudImage } from '../cloud/provider.ts';
import type { DeliveryRow } from '../store/schema.ts';
import { DEFAULT_SIZE_GIB, progressOf } from '../store/delivery-progress.ts';
import { COPIES_PER_REGION, expectedIngestEnd, firstPollAtMs, judge, nextWakeAtMs, observation, planCopies, planStarts, POLL_DUE_TOLERANCE_MS, toCancel, toPoll } from './pass-plan.ts';
import { DEFAULT_POLL } from './poll-plan.ts';

/** The fake clock of these tests: every decision is taken at this instant. */
const NOW = Date.UTC(2026, 0, 1, 12);

let n = 0;
function row(over: Partial<DeliveryRow> = {}): DeliveryRow {
  n++;
  return {
    id: `d${n}`,
    version_id: 'v1',
    kind: 'copy',
    region: 'eu-central-1',
    state: 'Pending',
    source_region: 'cn-hangzhou',
    source_image_id: 'm-src',
    size_gib: 40,
    image_id: null,
    cloud_status: null,
    progress: 0,
    error_code: null,
    error_cloud_code: null,
    error_message: null,
    attempts: 0,
    generation: 0,
    next_attempt_at_ms: null,
    requested_at_ms: null,
    started_at: null,
    finished_at: null,
    obs_first_ms: null,
    obs_first_pct: null,
    obs_last_ms: null,
    obs_last_pct: null,
    next_poll_at_ms: null,
    detected_at_ms: null,
    cancel_requested: false,
    image_released: false,
    worker: null,
    copy_source_region: null,
    copy_source_image_id: null,
    relay_from: null,
    created_at: new Date(NOW - 60_000 + n),
    updated_at: new Date(NOW),
    ...over,
  };
}

function image(imageId: string, status: CloudImage['status'], progressPct = 0): CloudImage {
  return { imageId, regionId: 'eu-central-1', ownerAccount: 'dist', name: imageId, status, progressPct, sizeGiB: 40, tags: [], isPublic: false, creationTime: new Date(NOW) };
}

const copying = (over: Partial<DeliveryRow> = {}) => row({ state: 'Copying', image_id: `m-${n + 1}`, requested_at_ms: NOW - 600_000, ...over });

describe('pass plan: what to cancel and what to look at', () => {
  it('cancels only what was asked and is not Cancelled yet', () => {
    const asked = row({ cancel_requested: true, state: 'Copying' });
    const done = row({ cancel_requested: true, state: 'Cancelled' });
    expect(toCancel([asked, done, row()])).toEqual([asked]);
  });

  it('describes every running copy once one is due, and none when none is', () => {
    const due = copying({ next_poll_at_ms: NOW + POLL_DUE_TOLERANCE_MS });
    const later = copying({ next_poll_at_ms: NOW + POLL_DUE_TOLERANCE_MS + 1 });
    const unstarted = row({ state: 'Copying' });
    expect(toPoll([due, later, unstarted], NOW)).toEqual([due, later]);
    expect(toPoll([later, unstarted], NOW)).toEqual([]);
    expect(toPoll([copying({ next_poll_at_ms: null })], NOW)).toHaveLength(1);
  });
});

describe('pass plan: what the cloud said', () => {
  const d = copying();
  const id = d.image_id!;

  it('reads Available, the failure statuses, and progress', () => {
    expect(judge(d, new Map([[id, image(id, 'Available', 100)]]), false)).toEqual({ type: 'available', imageId: id });
    for (const status of ['CreateFailed', 'UnAvailable', 'Deprecated'] as const) {
      const v = judge(d, new Map([[id, image(id, status, 30)]]), false);
      expect(v).toMatchObject({ type: 'failed', imageId: id, error: { code: 'COPY_FAILED', cloudCode: status } });
    }
    expect(judge(d, new Map([[id, image(id, 'Creating', 57)]]), false)).toEqual({ type: 'running', pct: 57, status: 'Creating' });
  });

  it('fails a copy missing from a good answer, and knows nothing of one missing from a failed answer', () => {
    expect(judge(d, new Map(), false)).toMatchObject({ type: 'missing', error: { code: 'COPY_LOST', cloudCode: null } });
    expect(judge(d, new Map(), true)).toEqual({ type: 'unknown' });
  });

  it('records the first progress seen and plans the next look after now', () => {
    const first = observation(d, 10, 'Creating', NOW, DEFAULT_POLL);
    expect(first.first).toEqual({ atMs: NOW, pct: 10 });
    expect(first.nextPollAtMs).toBeGreaterThan(NOW);
    const seen = copying({ obs_first_ms: NOW - 60_000, obs_first_pct: 5, obs_last_ms: NOW - 60_000, obs_last_pct: 5 });
    expect(observation(seen, 20, 'Creating', NOW, DEFAULT_POLL).first).toEqual({ atMs: NOW - 60_000, pct: 5 });
    expect(observation(d, 0, 'Creating', NOW, DEFAULT_POLL).first).toBeUndefined();
  });
});

describe('pass plan: what may start', () => {
  const ingestAvailable = row({ kind: 'ingest', region: 'cn-hangzhou', state: 'Available', image_id: 'm-ingest' });

  it('starts interrupted starts before ingests, larger first among equals', () => {
    const ingestSmall = row({ kind: 'ingest', version_id: 'v2', region: 'cn-hangzhou', size_gib: 10 });
    const ingestLarge = row({ kind: 'ingest', version_id: 'v3', region: 'cn-hangzhou', size_gib: 80 });
    const interrupted = row({ state: 'Copying', version_id: 'v1' });
    const plan = planStarts([ingestSmall, ingestLarge, interrupted], new Map([['v1', ingestAvailable]]), NOW, DEFAULT_POLL);
    expect(plan.startFirst.map((r) => r.id)).toEqual([interrupted.id, ingestLarge.id, ingestSmall.id]);
  });

  it('holds an ingest back until its retry time', () => {
    const waiting = row({ kind: 'ingest', next_attempt_at_ms: NOW + 1 });
    expect(planStarts([waiting], new Map(), NOW, DEFAULT_POLL).startFirst).toEqual([]);
    expect(planStarts([waiting], new Map(), NOW + 1, DEFAULT_POLL).startFirst).toEqual([waiting]);
  });

  it('settles a copy into the source region with the ingested image, and fails copies of a failed ingest', () => {
    const home = row({ region: 'cn-hangzhou' });
    expect(planStarts([home], new Map([['v1', ingestAvailable]]), NOW, DEFAULT_POLL).settled).toEqual([{ row: home, outcome: 'Available', imageId: 'm-ingest' }]);
    const failed = row({ kind: 'ingest', state: 'Failed', error_code: 'SOURCE_IMAGE_NOT_FOUND', error_cloud_code: 'InvalidImageId.NotFound', error_message: 'gone' });
    const copy = row();
    const plan = planStarts([copy], new Map([['v1', failed]]), NOW, DEFAULT_POLL);
    expect(plan.settled).toMatchObject([{ row: copy, outcome: 'Failed', error: { code: 'INGEST_FAILED', cloudCode: 'InvalidImageId.NotFound' } }]);
    expect(plan.copies).toEqual([]);
  });

  it('offers copies to the slot planner: ready now after the ingest, later while it runs', () => {
    const copy = row({ next_attempt_at_ms: NOW - 5 });
    expect(planStarts([copy], new Map([['v1', ingestAvailable]]), NOW, DEFAULT_POLL).copies).toEqual([{ row: copy, readyAtMs: NOW - 5 }]);
    const running = row({ kind: 'ingest', state: 'Copying', image_id: 'm-i', requested_at_ms: NOW });
    const [offer] = planStarts([copy], new Map([['v1', running]]), NOW, DEFAULT_POLL).copies;
    expect(offer!.readyAtMs).toBe(expectedIngestEnd(running, NOW, DEFAULT_POLL));
    expect(offer!.readyAtMs).toBeGreaterThan(NOW);
  });

  it('routes copies: entries start first like ingests, a copy waiting for its entry is ready when the entry is expected done', () => {
    const entry = row({ region: 'us-east-1' });
    const relayed = row({ region: 'us-west-1' });
    const routes = new Map([
      [entry.id, { type: 'copy' as const, from: { region: 'cn-hangzhou', imageId: 'm-ingest' } }],
      [relayed.id, { type: 'wait' as const, fromRegion: 'us-east-1', untilMs: NOW + 3_600_000, expectedMs: 600_000 }],
    ]);
    const plan = planStarts([entry, relayed], new Map([["v1", ingestAvailable]]), NOW, DEFAULT_POLL, undefined, { routes, entries: new Set([entry.id]) });
    expect(plan.startFirst).toEqual([entry]);
    expect(plan.copies).toEqual([{ row: relayed, readyAtMs: NOW + 3_600_000, fromRegion: 'us-east-1' }]);
  });

  it('counts the copies running in the cloud as occupied slots', () => {
    const plan = planStarts([copying(), copying(), row({ state: 'Copying' })], new Map(), NOW, DEFAULT_POLL);
    expect(plan.occupying).toHaveLength(2);
    expect(COPIES_PER_REGION).toBe(5);
  });

  it('assumes the default size for an image not yet looked at', () => {
    expect(progressOf(row({ size_gib: null }), NOW).sizeGiB).toBe(DEFAULT_SIZE_GIB);
    expect(expectedIngestEnd(row({ kind: 'ingest', size_gib: null }), NOW, DEFAULT_POLL)).toBe(expectedIngestEnd(row({ kind: 'ingest', size_gib: DEFAULT_SIZE_GIB }), NOW, DEFAULT_POLL));
  });
});

describe('pass plan: when to wake next', () => {
  const base = { ingestOf: new Map<string, DeliveryRow>(), nowMs: NOW, poll: DEFAULT_POLL, pollFailed: false, holding: false, freeSlots: 5, releaseLeft: false, retryAtMs: [] };

  it('sleeps when nothing is left', () => {
    expect(nextWakeAtMs({ ...base, after: [] })).toBeNull();
  });

  it('wakes at the earliest poll or retry', () => {
    const after = [copying({ next_poll_at_ms: NOW + 90_000 }), row({ next_attempt_at_ms: NOW + 30_000 })];
    expect(nextWakeAtMs({ ...base, after })).toBe(NOW + 30_000);
    expect(nextWakeAtMs({ ...base, after, retryAtMs: [NOW + 10_000] })).toBe(NOW + 10_000);
  });

  it('never wakes again at this instant for a poll it could not refresh, unless the describe failed', () => {
    const after = [copying({ next_poll_at_ms: NOW })];
    expect(nextWakeAtMs({ ...base, after })).toBe(NOW + DEFAULT_POLL.minIntervalMs);
    expect(nextWakeAtMs({ ...base, after, pollFailed: true, retryAtMs: [NOW + 7_000] })).toBe(NOW + 7_000);
  });

  it('looks again shortly for a ready start left over, an unstarted copy, or an image left to release', () => {
    const ready = row({ kind: 'ingest' });
    expect(nextWakeAtMs({ ...base, after: [ready] })).toBe(NOW + DEFAULT_POLL.minIntervalMs);
    expect(nextWakeAtMs({ ...base, after: [ready], holding: true })).toBeNull();
    expect(nextWakeAtMs({ ...base, after: [ready], freeSlots: 0 })).toBeNull();
    expect(nextWakeAtMs({ ...base, after: [row({ state: 'Copying' })], freeSlots: 0 })).toBe(NOW + DEFAULT_POLL.minIntervalMs);
    expect(nextWakeAtMs({ ...base, after: [], releaseLeft: true })).toBe(NOW + DEFAULT_POLL.minIntervalMs);
  });

  it('sets no wake-up of its own for a copy waiting for its entry region (the entry’s verdict wakes it)', () => {
    const relayed = row({ version_id: 'v1' });
    const ingestOf = new Map([['v1', row({ kind: 'ingest', state: 'Available', image_id: 'm-ingest', region: 'cn-hangzhou' })]]);
    expect(nextWakeAtMs({ ...base, ingestOf, after: [relayed] })).toBe(NOW + DEFAULT_POLL.minIntervalMs);
    expect(nextWakeAtMs({ ...base, ingestOf, after: [relayed], waiting: new Set([relayed.id]) })).toBeNull();
  });
});

describe('pass plan: the first look and the copies to start', () => {
  const sameArea = (size_gib: number) => row({ region: 'cn-shanghai', source_region: 'cn-hangzhou', size_gib });

  it('first looks at a copy when the fastest plausible copy of its size, on its learned route, could be done', () => {
    const at = (d: DeliveryRow, speeds?: (from: string, to: string) => number) => firstPollAtMs(d, NOW, NOW, DEFAULT_POLL, speeds) - NOW;
    const small = at(sameArea(2));
    expect(small).toBeGreaterThan(DEFAULT_POLL.minIntervalMs);
    expect(at(sameArea(6))).toBeGreaterThan(small);
    // A route learned ten times faster than the prior: the look comes sooner.
    expect(at(sameArea(6), () => 15)).toBeLessThan(at(sameArea(6)));
  });

  it('fills free slots longest copy first, timing a copy by the region it copies from', () => {
    const near = row({ id: 'near', region: 'eu-central-1', size_gib: 100 });
    const far = row({ id: 'far', region: 'eu-central-1', size_gib: 60 });
    const small = row({ id: 'small', region: 'eu-central-1', size_gib: 10 });
    const ready = (r: DeliveryRow, fromRegion?: string) => ({ row: r, readyAtMs: NOW, ...(fromRegion ? { fromRegion } : {}) });
    // From cn-hangzhou (intercontinental) the 100 GiB copy is the longest of all.
    const direct = planCopies('eu-central-1', 2, [], [ready(near), ready(far), ready(small)], NOW, DEFAULT_POLL, () => 0.5);
    expect(direct).toEqual({ start: ['near', 'far'], holdUntilMs: null });
    // Relayed from eu-west-1 (same area), the 100 GiB copy is quicker than 60 GiB across the ocean.
    const relayed = planCopies('eu-central-1', 1, [], [ready(near, 'eu-west-1'), ready(far), ready(small)], NOW, DEFAULT_POLL, () => 0.5);
    expect(relayed.start).toEqual(['far']);
  });
});
