import { describe, expect, it } from 'vitest';
import type { RegionStatus, VersionStatus } from '../contract/schemas.ts';
import { distributionView, formatDuration, ServerClock, timesText } from './progress-model.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

function region(r: Partial<RegionStatus> & { region: string }): RegionStatus {
  return { state: 'Copying', progress: 0, estimatedProgress: 0, expectedFinishAt: null, imageId: null, sourceRegion: null, sourceImageId: null, error: null, startedAt: null, finishedAt: null, ...r };
}

const status: VersionStatus = {
  package: 'app',
  packageId: 'pkg-1',
  version: 1,
  state: 'Delivering',
  asOf: at(T0 + 20 * MIN),
  ingest: region({ region: 'cn-hangzhou', state: 'Available', progress: 100, estimatedProgress: 100, startedAt: at(T0), finishedAt: at(T0 + 10 * MIN) }),
  regions: [
    region({ region: 'cn-beijing', progress: 40, estimatedProgress: 50, startedAt: at(T0 + 10 * MIN), expectedFinishAt: at(T0 + 30 * MIN) }),
    region({ region: 'eu-central-1', state: 'Pending', expectedFinishAt: at(T0 + 80 * MIN) }),
  ],
  events: [],
};

describe('the distribution view', () => {
  it('shows the ingest first, then the regions, at the status instant', () => {
    const v = distributionView(status);
    expect(v.phases.map((p) => [p.label, p.state, p.pct, p.estimated])).toEqual([
      ['ingest cn-hangzhou', 'Available', 100, false],
      ['cn-beijing', 'Copying', 50, true],
      ['eu-central-1', 'Pending', 0, false],
    ]);
    expect(v.phases.map((p) => [p.elapsedMs, p.etaMs])).toEqual([
      [10 * MIN, null],
      [10 * MIN, 10 * MIN],
      [null, 60 * MIN],
    ]);
    expect(v.overall).toEqual({ pct: 25, finalRegions: 0, regions: 2, elapsedMs: 20 * MIN, etaMs: 60 * MIN });
  });

  it('moves a running region on along the estimate between polls, below 100 until Available', () => {
    const later = distributionView(status, T0 + 25 * MIN);
    expect(later.phases[1]).toMatchObject({ pct: 75, etaMs: 5 * MIN, elapsedMs: 15 * MIN });
    expect(distributionView(status, T0 + 90 * MIN).phases[1]!.pct).toBe(99);
  });

  it('has no overall ETA while some open region has no estimate', () => {
    const s = { ...status, regions: [...status.regions, region({ region: 'us-east-1', state: 'Pending' })] };
    expect(distributionView(s).overall.etaMs).toBeNull();
  });
});

describe('the server clock seen from here', () => {
  it('runs at the rate its answers show (the simulator’s many times real time), 1 before it can tell', () => {
    const c = new ServerClock();
    c.observe(at(T0), 1_000);
    expect(c.nowMs(2_000)).toBe(T0 + 1_000);
    c.observe(at(T0 + 120_000), 2_000);
    expect(c.rate).toBe(120);
    expect(c.nowMs(2_500)).toBe(T0 + 180_000);
  });
});

describe('durations', () => {
  it('reads as seconds, minutes or hours', () => {
    expect([formatDuration(45_000), formatDuration(12 * MIN + 5_000), formatDuration(184 * MIN)]).toEqual(['45s', '12m05s', '3h04m']);
    expect(timesText({ elapsedMs: MIN, etaMs: 2 * MIN }, false)).toBe('elapsed 1m00s  ETA 2m00s');
    expect(timesText({ elapsedMs: MIN, etaMs: null }, true)).toBe('took 1m00s');
  });
});
