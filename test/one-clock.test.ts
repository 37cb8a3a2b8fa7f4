/**
 * One clock: the control plane on the simulator stamps everything — creation, publication,
 * events, a cancelled region's end — on the simulator's time base, so the timestamps of one
 * response can be compared with each other.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as distribution from '../src/app/distribution.ts';
import * as packages from '../src/app/packages.ts';
import type { Caller } from '../src/domain/account.ts';
import { startControlPlane, type ControlPlane } from '../src/runtime/control-plane.ts';
import { migrate, openStore, type Store } from '../src/store/database.ts';
import { makeAccount } from './support/fixtures.ts';

// Simulated seconds per real second: the simulated clock runs far ahead of the wall clock.
const SPEED = 10_000;

let store: Store;
let cp: ControlPlane;
let supplier: Caller;

beforeAll(async () => {
  store = await openStore({ kind: 'pglite', dataDir: null });
  await migrate(store.db);
  cp = await startControlPlane(store, pino({ level: 'silent' }), { runWorker: false, simSpeed: SPEED });
  supplier = await makeAccount(cp.deps);
});
afterAll(async () => {
  await cp?.stop();
  await store?.close();
});

const ms = (iso: string | null | undefined) => Date.parse(iso!);

describe('one clock for the control plane on the simulator', () => {
  it('stamps a package, its publication, its events and a cancelled region on the simulated time base', async () => {
    const image = await cp.simulator!.createImage({ account: supplier.accountId, regionId: 'cn-hangzhou', sizeGiB: 20 });
    // Each step is bracketed by two readings of the control plane's clock: a stamp taken on
    // another time base (the wall clock is minutes behind the simulated one here) falls outside.
    const bracket = async (step: () => Promise<unknown>) => {
      const from = cp.deps.clock.now().getTime();
      await step();
      return { from, to: cp.deps.clock.now().getTime() };
    };
    const created = await bracket(() =>
      packages.createPackage(cp.deps, supplier, {
        name: 'clocked',
        description: 'a package stamped by one clock',
        version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: image.imageId, regions: ['cn-shanghai'] } },
      }),
    );
    const published = await bracket(() => packages.publish(cp.deps, supplier, 'clocked'));
    const cancelled = await bracket(() => distribution.cancel(cp.deps, supplier, 'clocked', '1'));

    const pkg = await packages.getPackage(cp.deps, supplier, 'clocked');
    const v1 = pkg.versions.find((v) => v.version === 1)!;
    const status = await distribution.versionStatus(cp.deps, supplier, 'clocked', '1');
    const at = (type: string) => status.events.find((e) => e.type === type)?.at;
    const within = (iso: string | null | undefined, b: { from: number; to: number }) => {
      expect(ms(iso)).toBeGreaterThanOrEqual(b.from);
      expect(ms(iso)).toBeLessThanOrEqual(b.to);
    };
    // And that clock is the simulator's: nothing is stamped before the source image the
    // simulator made first.
    expect(ms(pkg.createdAt)).toBeGreaterThanOrEqual(image.creationTime.getTime());
    within(pkg.createdAt, created);
    within(v1.createdAt, created);
    within(v1.publishedAt, published);
    within(at('Published'), published);
    within(at('CancelRequested'), cancelled);
    const region = status.regions.find((r) => r.region === 'cn-shanghai')!;
    expect(region.state).toBe('Cancelled');
    within(region.finishedAt, cancelled);
  });
});
