import { describe, expect, it } from 'vitest';
import { distanceTier, findRegion } from '../../src/domain/regions.ts';
import { relayBound } from './relay-bound.ts';
import { runImagenest } from './run-imagenest.ts';
import { simulatorTruth, type CopyTruth } from './sim-truth.ts';
import type { VersionSpec } from './workload.ts';

/** Round numbers to compute by hand: GiB per second by tier, 1 s latency, 2 slots per region. */
const handTruth: CopyTruth = {
  fastestCopyS(sizeGiB, from, to) {
    const speed = { sameRegion: 10, sameArea: 5, sameContinent: 2, intercontinental: 1 }[distanceTier(findRegion(from)!, findRegion(to)!)];
    return sizeGiB / speed;
  },
  minLatencyS: 1,
  slotsPerRegion: 2,
};

const version = (name: string, sizeGiB: number, sourceRegion: string, regions: string[]): VersionSpec => ({ name, sizeGiB, sourceRegion, regions });

describe('relay bound, computed by hand', () => {
  it('one version: the chain binds (ingest 1 + 1, then latency 1 + an ocean crossing of 10)', () => {
    // us-west-1 is reached no earlier directly (2 + 1 + 10 = 13) than through us-east-1 (13 + 1 + 2).
    // Americas pooled: work 2 + 2 + entry (10 − 2) = 12 over ≤ 2 copies released at 3: min(15, 9) = 9.
    const b = relayBound([version('a', 10, 'cn-hangzhou', ['cn-hangzhou', 'us-east-1', 'us-west-1'])], handTruth);
    expect(b.bound_s).toBeCloseTo(13, 9);
    expect(b.binding).toBe('chain:a');
  });

  it("four versions into one area: the area's pooled work binds, entry crossings included", () => {
    // 8 copies of work 2 plus 4 entries of 8 = 48, releases 3, 4 slots: min_k (48 + 3k)/k = 15 at k = 4.
    const b = relayBound(
      ['a', 'b', 'c', 'd'].map((n) => version(n, 10, 'cn-hangzhou', ['us-east-1', 'us-west-1'])),
      handTruth,
    );
    expect(b.bound_s).toBeCloseTo(15, 9);
    expect(b.binding).toBe('area:americas');
  });

  it('the simulator truth: six 10 GiB versions into one neighbour region bind on its five slots', () => {
    // Ingest ≥ 20 s + 0.8 × 1 min = 68 s; a copy into cn-shanghai ≥ 0.8 × 2 min = 96 s, released at 88 s.
    // Region cn-shanghai: min_k (6 × 96 + 88k)/k = (576 + 440)/5 = 203.2 at k = 5.
    const b = relayBound(sixIntoShanghai, simulatorTruth());
    expect(b.bound_s).toBeCloseTo(203.2, 2);
    expect(b.binding).toBe('region:cn-shanghai');
  });
});

const sixIntoShanghai = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => version(`tiny_${n}`, 10, 'cn-hangzhou', ['cn-hangzhou', 'cn-shanghai']));
// Large copies, so that latencies and polling are small beside the work and the bound is near the makespan.
const fiveIntoShanghai = ['a', 'b', 'c', 'd', 'e'].map((n) => version(`tiny_${n}`, 200, 'cn-hangzhou', ['cn-hangzhou', 'cn-shanghai']));
const acrossTheOcean = ['a', 'b'].map((n) => version(`tiny_${n}`, 100, 'cn-hangzhou', ['cn-hangzhou', 'us-east-1', 'us-west-1', 'cn-shanghai']));

describe('the engine never beats the relay bound', () => {
  for (const [name, workload] of [
    ['five large versions into one region', fiveIntoShanghai],
    ['two versions across the ocean', acrossTheOcean],
  ] as const) {
    for (const cloudSeed of [1]) {
      it(`${name}, cloud seed ${cloudSeed}`, async () => {
        const bound = relayBound(workload, simulatorTruth()).bound_s;
        const run = await runImagenest({ draw: 0, cloudSeed, workload, sim: { speedSkewSeed: null, sourceCap: null } });
        expect(run.figures.deliveries).toBe(workload.length * workload[0]!.regions.length);
        expect(run.figures.makespan_s).toBeGreaterThanOrEqual(bound);
      });
    }
  }
});
