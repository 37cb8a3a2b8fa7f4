/**
 * The real engine, store and simulator on a discrete-event clock, for distribution tests:
 * hours of copying run in seconds, deterministically.
 */
import pino from 'pino';
import * as packages from '../../src/app/packages.ts';
import * as distribution from '../../src/app/distribution.ts';
import { cloudMarketplaceCatalog } from '../../src/cloud/marketplace-catalog.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import { randomIds } from '../../src/app/ids.ts';
import { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import { CloudSimulator, type SimFaults, type SimOptions, NO_FAULTS } from '../../src/cloud/simulator/simulator.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import type { CloudProvider } from '../../src/cloud/provider.ts';
import type { Caller } from '../../src/domain/account.ts';
import { drive, EventHeapQueue } from '../../src/distribution/discrete-event.ts';
import { DistributionEngine } from '../../src/distribution/engine.ts';
import type { Failpoint } from '../../src/distribution/engine-options.ts';
import { RegionWakeups } from '../../src/distribution/wakeups.ts';
import { CloudSourceImages } from '../../src/distribution/source-images.ts';
import type { Store } from '../../src/store/database.ts';
import { makeAccount } from './fixtures.ts';

export const DIST = 'imagenest-distribution';

export interface Rig {
  store: Store;
  clock: VirtualClock;
  sim: CloudSimulator;
  engine: DistributionEngine;
  queue: EventHeapQueue;
  deps: AppDeps;
  supplier: Caller;
  /** Creates a source image and a package, publishes it; returns the package name and version. */
  publish(name: string, opts: { regions: string[]; sizeGiB?: number; sourceRegion?: string }): Promise<{ name: string; version: string }>;
  settle(maxSimHours?: number): Promise<number>;
  status(name: string, version?: string): ReturnType<typeof distribution.versionStatus>;
  setFaults(f: Partial<SimFaults>): Promise<void>;
}

export interface RigOptions {
  wrapCloud?: (c: CloudProvider) => CloudProvider;
  seed?: number;
  /** The simulator's speed skew and source cap. */
  sim?: SimOptions;
  /** Called where a worker process would die at a failpoint; throw to end the pass there. */
  failpoint?: (name: Failpoint) => void;
  /** Relay routing (the engine's default: on). */
  relay?: boolean;
  /** The engine's cap on copies out of a source region (undefined: its default; null: none). */
  copiesOutPerRegion?: number | null;
}

export async function makeRig(store: Store, options: RigOptions = {}): Promise<Rig> {
  const clock = new VirtualClock();
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, options.seed ?? 7, options.sim ?? {});
  const queue = new EventHeapQueue();
  const wakeups = new RegionWakeups(clock, queue);
  const engine = new DistributionEngine({
    db: store.db,
    cloud: options.wrapCloud ? options.wrapCloud(sim) : sim,
    clock,
    wakeups,
    distributionAccount: DIST,
    workerId: 'rig',
    log: pino({ level: 'silent' }),
    random: () => 0.5,
    ...(options.failpoint ? { failpoint: options.failpoint } : {}),
    ...(options.relay !== undefined ? { relay: options.relay } : {}),
    ...(options.copiesOutPerRegion !== undefined ? { copiesOutPerRegion: options.copiesOutPerRegion } : {}),
  });
  const deps: AppDeps = { db: store.db, clock: { now: () => clock.now() }, ids: randomIds, wakeups, sourceImages: new CloudSourceImages(sim), marketplace: cloudMarketplaceCatalog(sim, DIST) };
  const supplier = await makeAccount(deps);
  const done = async () => !(await engine.hasUnfinishedWork());
  return {
    store,
    clock,
    sim,
    engine,
    queue,
    deps,
    supplier,
    async publish(name, opts) {
      const sourceRegion = opts.sourceRegion ?? 'cn-hangzhou';
      const img = await sim.createImage({ account: supplier.accountId, regionId: sourceRegion, sizeGiB: opts.sizeGiB ?? 40 });
      await packages.createPackage(deps, supplier, {
        name,
        description: 'a package under distribution test',
        version: { name: 'v1_0', content: { sourceRegion, imageId: img.imageId, regions: opts.regions } },
      });
      const r = await packages.publish(deps, supplier, name);
      return { name, version: String(r.version) };
    },
    settle: (maxSimHours = 48) => drive(engine, queue, clock, { done, maxSimMs: maxSimHours * 3_600_000 }),
    status: (name, version = '1') => distribution.versionStatus(deps, supplier, name, version),
    setFaults: (f) => sim.setFaults({ ...NO_FAULTS, ...f }),
  };
}

/** Live images of the distribution account, grouped by the delivery tag. */
export async function distributedImages(sim: CloudSimulator): Promise<Map<string, string[]>> {
  const byDelivery = new Map<string, string[]>();
  for (const img of await sim.ownedImages(DIST)) {
    const tag = img.tags.find((t) => t.key === 'imagenest:delivery')?.value ?? '(untagged)';
    byDelivery.set(tag, [...(byDelivery.get(tag) ?? []), `${img.regionId}:${img.imageId}`]);
  }
  return byDelivery;
}
