/**
 * Learned copy speeds end to end: the real engine and store on PGlite drive a simulator whose
 * true route speeds are skewed by hidden factors, on the discrete-event clock. The engine
 * starts from its documented prior (several times too slow for this cloud) and must learn
 * every route class to within 20 % of the truth after 20 copies of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeGiBPerMin } from '../src/cloud/simulator/model.ts';
import { classSpeed, PRIOR_GIB_PER_MIN, routeClassOf, routeSpeeds, ROUTE_CLASSES, type RouteClass } from '../src/domain/delivery/learned-speeds.ts';
import { findRegion } from '../src/domain/regions.ts';
import type { Store } from '../src/store/database.ts';
import { loadSpeedBook } from '../src/store/speeds-repo.ts';
import { DIST, makeRig } from './support/distribution-rig.ts';
import { pgliteBackend } from './support/stores.ts';

/** A skew seed whose hidden factors (sameRegion 0.59×, sameArea 0.97×, sameContinent 1.68×, intercontinental 2×) leave the prior 2–7× too slow. */
const SKEW = 10;
const VERSIONS = 20;
const SAME_AREA = ['cn-beijing', 'cn-shenzhen', 'cn-qingdao'];
const SAME_CONTINENT = ['ap-southeast-1', 'ap-northeast-1', 'me-east-1'];
const INTERCONTINENTAL = ['eu-central-1', 'us-east-1', 'us-west-1'];

const trueSpeed = (from: string, to: string) => routeGiBPerMin(SKEW, findRegion(from)!, findRegion(to)!);
const within = (estimate: number, truth: number) => Math.abs(estimate / truth - 1);

let store: Store;
beforeAll(async () => {
  store = await pgliteBackend.open();
});
afterAll(async () => store?.close());

describe('learned copy speeds', () => {
  it('converge to within 20 % of a skewed cloud’s true route speeds after 20 copies per route class', async () => {
    const rig = await makeRig(store, { sim: { speedSkew: SKEW } });
    for (let i = 0; i < VERSIONS; i++) {
      await rig.publish(`app_${i}`, {
        sourceRegion: i % 2 ? 'cn-shanghai' : 'cn-hangzhou',
        regions: [SAME_AREA[i % 3]!, SAME_CONTINENT[i % 3]!, INTERCONTINENTAL[i % 3]!],
        sizeGiB: 20 + ((i * 37) % 180),
      });
    }
    await rig.settle();

    const book = await loadSpeedBook(store.db);
    const speeds = routeSpeeds(book);
    // Every copy the cloud ran (the ingests are the same-region copies), by route class.
    const copies = (await rig.sim.copyTimeline(DIST)).map((c) => ({ from: c.source_region!, to: c.region }));
    const byClass = new Map<RouteClass, { from: string; to: string }[]>();
    for (const c of copies) byClass.set(routeClassOf(c.from, c.to), [...(byClass.get(routeClassOf(c.from, c.to)) ?? []), c]);

    for (const cls of ROUTE_CLASSES) {
      const seen = byClass.get(cls) ?? [];
      expect(seen.length, cls).toBeGreaterThanOrEqual(20);
      expect(book.classes.get(cls)?.samples, `${cls} samples`).toBe(seen.length);
      // The class's truth: the geometric mean of the true speeds of the routes it copied on.
      const truth = Math.exp(seen.reduce((a, c) => a + Math.log(trueSpeed(c.from, c.to)), 0) / seen.length);
      const estimate = classSpeed(cls, book.classes.get(cls));
      const line = `${cls}: prior ${PRIOR_GIB_PER_MIN[cls]} truth ${truth.toFixed(2)} learned ${estimate.toFixed(2)} GiB/min (${(100 * within(estimate, truth)).toFixed(1)} % off)`;
      expect(within(PRIOR_GIB_PER_MIN[cls], truth), `${cls}: the prior is far off`).toBeGreaterThan(0.4);
      expect(within(estimate, truth), line).toBeLessThanOrEqual(0.2);
    }
    // What the engine plans with for each route it copied on: the pair's estimate.
    for (const { from, to } of new Map(copies.map((c) => [`${c.from}>${c.to}`, c])).values()) {
      expect(within(speeds(from, to), trueSpeed(from, to)), `${from} > ${to}: ${speeds(from, to).toFixed(2)} vs ${trueSpeed(from, to).toFixed(2)}`).toBeLessThanOrEqual(0.2);
    }
  });
});
