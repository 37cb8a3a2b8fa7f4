/** The simulator's options: hidden speed factors from a seed, and a cap on copies out of a source region. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../../../test/support/stores.ts';
import { REGIONS, findRegion, distanceTier } from '../../domain/regions.ts';
import type { Store } from '../../store/database.ts';
import { VirtualClock } from './clocks.ts';
import { copyTiming, queuedStartWithin, routeGiBPerMin, routeSkew, THROUGHPUT_GIB_PER_MIN } from './model.ts';
import { CloudSimulator } from './simulator.ts';
import { openSimDatabase } from './sim-migrations.ts';

const region = fc.constantFrom(...REGIONS);

describe('--speed-skew', () => {
  it('scales every route by a factor in 0.5×–2×, fixed by the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), region, region, (seed, from, to) => {
        const f = routeSkew(seed, from, to);
        expect(f).toBeGreaterThanOrEqual(0.5);
        expect(f).toBeLessThanOrEqual(2);
        expect(routeSkew(seed, from, to)).toBe(f);
        expect(routeGiBPerMin(seed, from, to)).toBeCloseTo(THROUGHPUT_GIB_PER_MIN[distanceTier(from, to)] * f, 9);
      }),
    );
  });

  it('leaves the nominal speeds alone without a seed, and differs between seeds and classes', () => {
    const hz = findRegion('cn-hangzhou')!;
    const fra = findRegion('eu-central-1')!;
    expect(routeSkew(null, hz, fra)).toBe(1);
    expect(copyTiming(1, 'k', 100, hz, fra, null)).toEqual(copyTiming(1, 'k', 100, hz, fra));
    const factors = new Set([1, 2, 3, 4, 5].map((seed) => routeSkew(seed, hz, fra).toFixed(6)));
    expect(factors.size).toBe(5);
    const skewed = copyTiming(1, 'k', 100, hz, fra, 42);
    expect(skewed.durationMs / copyTiming(1, 'k', 100, hz, fra).durationMs).toBeCloseTo(1 / routeSkew(42, hz, fra), 3);
  });
});

describe('--source-cap', () => {
  const copy = (startAtMs: number, endAtMs: number) => ({ requestedAtMs: 0, startAtMs, endAtMs });

  it('starts a copy only while fewer than N run out of its source, for its whole run', () => {
    const dest = { earlier: [], slots: 5 };
    const source = { earlier: [copy(0, 1000), copy(0, 2000)], slots: 2 };
    expect(queuedStartWithin(dest, null, 10, 500)).toBe(10);
    expect(queuedStartWithin(dest, source, 10, 500)).toBe(1000);
    // A copy out of the source already placed to start at 600 would make three from 600 on.
    const later = { earlier: [copy(0, 1000), copy(600, 2000)], slots: 2 };
    expect(queuedStartWithin(dest, { ...later, slots: 2 }, 10, 500)).toBe(10);
    expect(queuedStartWithin(dest, { earlier: [copy(0, 3000), copy(600, 2000)], slots: 2 }, 10, 800)).toBe(2000);
  });

  describe('in the simulator', () => {
    let store: Store;
    beforeAll(async () => {
      store = await pgliteBackend.open();
    });
    afterAll(async () => store.close());

    it('keeps a copy beyond the cap Waiting until a copy out of the same source ends', async () => {
      const clock = new VirtualClock();
      const sim = new CloudSimulator(await openSimDatabase(store.db), clock, 3, { sourceCap: 2 });
      const src = await sim.createImage({ account: 'acc', regionId: 'cn-hangzhou', sizeGiB: 50 });
      const into = ['cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'eu-central-1'];
      for (const [i, to] of into.entries()) {
        await sim.copyImage({ account: 'acc', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: to, clientToken: `t${i}`, name: `c${i}`, tags: [] });
      }
      const copies = await sim.copyTimeline('acc');
      expect(copies).toHaveLength(4);
      for (const c of copies) {
        const running = copies.filter((o) => o.start_at_ms <= c.start_at_ms && o.end_at_ms > c.start_at_ms).length;
        expect(running, c.region).toBeLessThanOrEqual(2);
      }
      const [a, b, c, d] = copies;
      expect(c!.start_at_ms).toBeGreaterThanOrEqual(Math.min(a!.end_at_ms, b!.end_at_ms));
      expect(d!.start_at_ms).toBeGreaterThan(c!.requested_at_ms + 60_000);
      clock.advanceBy(61_000);
      const seen = await sim.describeImages({ account: 'acc', regionId: 'cn-shenzhen' });
      expect(seen.find((i) => i.imageId === c!.image_id)?.status).toBe('Waiting');
    });
  });
});
