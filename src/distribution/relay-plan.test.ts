import { describe, expect, it } from 'vitest';
import { priorCopyMs as priorAtSpeeds } from '../domain/delivery/copy-estimate.ts';
import { routeClassOf, type RouteClass } from '../domain/delivery/learned-speeds.ts';
import { holdsSourceFor, loadByRegion, planRelays, routeCopy, sourceWithinCap, SLOWER_SOURCE_FACTOR, type RouteInput, type SourceChoice } from './relay-plan.ts';

/**
 * Fixed route speeds (GiB/min) for these tests, so that their arithmetic does not move with the
 * engine's prior: 1.8 across an ocean, 5 within an area.
 */
const SPEEDS: Record<RouteClass, number> = { sameRegion: 10, sameArea: 5, sameContinent: 3, intercontinental: 1.8 };
const priorCopyMs = (sizeGiB: number, from: string, to: string) => priorAtSpeeds(sizeGiB, from, to, (a, b) => SPEEDS[routeClassOf(a, b)]);

/** The fake clock of these tests: every decision is taken at this instant. */
const NOW = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;
const AMERICAS = ['us-east-1', 'us-west-1', 'na-south-1'];
const CHINA = ['cn-beijing', 'cn-shanghai', 'cn-shenzhen'];

describe('planRelays', () => {
  it('copies the ingest’s own area and single-region areas direct, and every other area through one entry region', () => {
    const from = planRelays({ sizeGiB: 100, ingestRegion: 'cn-hangzhou', regions: ['cn-hangzhou', ...CHINA, ...AMERICAS, 'eu-central-1'] }, new Map(), priorCopyMs);
    for (const r of ['cn-hangzhou', ...CHINA, 'eu-central-1']) expect(from.get(r)).toBe('cn-hangzhou');
    const entries = AMERICAS.filter((r) => from.get(r) === 'cn-hangzhou');
    expect(entries).toHaveLength(1);
    for (const r of AMERICAS) if (r !== entries[0]) expect(from.get(r)).toBe(entries[0]);
  });

  it('picks as entry the area’s region with the least work queued, so entries spread over versions', () => {
    const load = new Map([
      ['us-east-1', 200 * MIN],
      ['na-south-1', 500 * MIN],
      ['us-west-1', 300 * MIN],
    ]);
    const from = planRelays({ sizeGiB: 100, ingestRegion: 'cn-hangzhou', regions: AMERICAS }, load, priorCopyMs);
    expect(from.get('us-east-1')).toBe('cn-hangzhou');
    expect(from.get('na-south-1')).toBe('us-east-1');
    expect(from.get('us-west-1')).toBe('us-east-1');
  });

  it('balances entries by size and load across versions: ten versions planned in turn share the crossings', () => {
    const planned: { region: string; sizeGiB: number; fromRegion: string }[] = [];
    const sizes = [400, 40, 300, 60, 250, 120, 500, 20, 80, 200];
    for (const sizeGiB of sizes) {
      const from = planRelays({ sizeGiB, ingestRegion: 'cn-hangzhou', regions: AMERICAS }, loadByRegion(planned, priorCopyMs), priorCopyMs);
      for (const region of AMERICAS) planned.push({ region, sizeGiB, fromRegion: from.get(region)! });
    }
    const crossing = new Map(AMERICAS.map((r) => [r, planned.filter((c) => c.region === r && c.fromRegion === 'cn-hangzhou').reduce((s, c) => s + c.sizeGiB, 0)]));
    const total = sizes.reduce((a, b) => a + b, 0);
    // Every region takes some crossings, none more than half of the bytes.
    for (const r of AMERICAS) {
      expect(crossing.get(r)!).toBeGreaterThan(0);
      expect(crossing.get(r)!).toBeLessThanOrEqual(total / 2);
    }
  });
});

function route(over: Partial<RouteInput> = {}): RouteInput {
  return {
    region: 'us-west-1',
    sizeGiB: 200,
    nowMs: NOW,
    ingest: { region: 'cn-hangzhou', imageId: 'm-ingest' },
    plannedFrom: 'us-east-1',
    holders: [],
    expectedAtMs: new Map([['us-east-1', NOW + 60 * MIN]]),
    backlogMs: 10 * 60 * MIN,
    overheadMs: 45_000,
    copyMs: priorCopyMs,
    ...over,
  };
}

describe('routeCopy', () => {
  it('copies direct when not planned, or planned direct', () => {
    expect(routeCopy(route({ plannedFrom: null }))).toEqual({ type: 'copy', from: { region: 'cn-hangzhou', imageId: 'm-ingest' } });
    expect(routeCopy(route({ plannedFrom: 'cn-hangzhou' }))).toEqual({ type: 'copy', from: { region: 'cn-hangzhou', imageId: 'm-ingest' } });
  });

  it('copies from the entry once it holds the version', () => {
    expect(routeCopy(route({ holders: [{ region: 'us-east-1', imageId: 'm-east' }] }))).toEqual({ type: 'copy', from: { region: 'us-east-1', imageId: 'm-east' } });
  });

  it('waits for an entry still copying when the destination is busy: ready when the entry is expected Available', () => {
    const r = routeCopy(route());
    expect(r).toEqual({ type: 'wait', fromRegion: 'us-east-1', untilMs: NOW + 60 * MIN, expectedMs: priorCopyMs(200, 'us-east-1', 'us-west-1') });
  });

  it('goes direct when the destination is lightly loaded and direct is sooner: a version alone is never slower than direct', () => {
    // Direct: 200 GiB at 1.8 GiB/min ≈ 111 min; relayed: the entry in 60 min, then 40 min more.
    expect(routeCopy(route({ backlogMs: 0, expectedAtMs: new Map([['us-east-1', NOW + 100 * MIN]]) })).type).toBe('copy');
    // The same copy when relaying is sooner waits, loaded or not.
    expect(routeCopy(route({ backlogMs: 0, expectedAtMs: new Map([['us-east-1', NOW + 30 * MIN]]) })).type).toBe('wait');
    // And when the region is busy for hours, it waits even though direct alone would be sooner.
    expect(routeCopy(route({ backlogMs: 300 * MIN, expectedAtMs: new Map([['us-east-1', NOW + 100 * MIN]]) })).type).toBe('wait');
  });

  it('falls back when the entry will not hold the version: to another holder of the area, else direct', () => {
    const failedEntry = { expectedAtMs: new Map<string, number>() };
    expect(routeCopy(route({ ...failedEntry, holders: [{ region: 'na-south-1', imageId: 'm-mx' }] }))).toEqual({ type: 'copy', from: { region: 'na-south-1', imageId: 'm-mx' } });
    expect(routeCopy(route(failedEntry))).toEqual({ type: 'copy', from: { region: 'cn-hangzhou', imageId: 'm-ingest' } });
  });

  it('never copies from its own region', () => {
    const r = routeCopy(route({ expectedAtMs: new Map(), holders: [{ region: 'us-west-1', imageId: 'm-self' }] }));
    expect(r).toEqual({ type: 'copy', from: { region: 'cn-hangzhou', imageId: 'm-ingest' } });
  });
});

describe('holdsSourceFor', () => {
  it('holds the regions that running copies copy from, not those of cancelled, pending or direct ones', () => {
    const held = holdsSourceFor([
      { id: 'a', region: 'us-west-1', state: 'Copying', copySourceRegion: 'us-east-1' },
      { id: 'b', region: 'na-south-1', state: 'Cancelled', copySourceRegion: 'us-west-1' },
      { id: 'c', region: 'eu-west-1', state: 'Pending', copySourceRegion: 'eu-central-1' },
      { id: 'd', region: 'us-east-1', state: 'Copying', copySourceRegion: null },
    ]);
    expect([...held]).toEqual(['us-east-1']);
  });
});

describe('sourceWithinCap', () => {
  const hz = { region: 'cn-hangzhou', imageId: 'm-hz' };
  const bj = { region: 'cn-beijing', imageId: 'm-bj' };
  const sh = { region: 'cn-shanghai', imageId: 'm-sh' };
  const east = { region: 'us-east-1', imageId: 'm-east' };
  const choice = (over: Partial<SourceChoice>): SourceChoice => ({ region: 'us-west-1', sizeGiB: 100, planned: hz, holders: [], runningOut: new Map(), cap: 5, copyMs: priorCopyMs, ...over });

  it('keeps the planned source while it runs fewer copies out than the cap', () => {
    expect(sourceWithinCap(choice({ runningOut: new Map([['cn-hangzhou', 4]]), holders: [east] }))).toBe(hz);
  });

  it('with the planned source full, takes the holder with a free slot out that copies soonest', () => {
    const out = new Map([['cn-hangzhou', 5], ['us-east-1', 5]]);
    // us-east-1 would be soonest into us-west-1 but is full too; of the rest, Beijing and Shanghai tie: the first is kept.
    expect(sourceWithinCap(choice({ runningOut: out, holders: [east, sh, bj] }))).toBe(sh);
    expect(sourceWithinCap(choice({ runningOut: new Map([['cn-hangzhou', 5]]), holders: [sh, east] }))).toBe(east);
  });

  it('waits (null) when no other holder has a slot out, or only one much slower than the planned route', () => {
    expect(sourceWithinCap(choice({ runningOut: new Map([['cn-hangzhou', 5]]) }))).toBeNull();
    // Into cn-shenzhen, the planned Shanghai copy is in-area; the only free holder is across an ocean.
    const slow = choice({ region: 'cn-shenzhen', planned: sh, holders: [east], runningOut: new Map([['cn-shanghai', 5]]) });
    expect(priorCopyMs(100, 'us-east-1', 'cn-shenzhen')).toBeGreaterThan(SLOWER_SOURCE_FACTOR * priorCopyMs(100, 'cn-shanghai', 'cn-shenzhen'));
    expect(sourceWithinCap(slow)).toBeNull();
  });

  it('never picks the destination itself or the full planned source again', () => {
    const out = new Map([['cn-hangzhou', 5]]);
    expect(sourceWithinCap(choice({ runningOut: out, holders: [{ region: 'us-west-1', imageId: 'm-self' }, hz] }))).toBeNull();
  });
});
