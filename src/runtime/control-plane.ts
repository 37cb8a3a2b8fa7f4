/**
 * Builds the running system over one open store: the cloud (the embedded simulator unless
 * another is given), distribution engine, job
 * queue and the use-case dependencies. Shared by `imagenest server`, `imagenest worker` and
 * the tests, so they all wire the same parts the same way.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { AppDeps } from '../app/deps.ts';
import { randomIds } from '../app/ids.ts';
import { createLookupCaches } from '../app/lookup-caches.ts';
import type { CloudProvider } from '../cloud/provider.ts';
import type { Deployer } from '../cloud/deployer.ts';
import { SimulatorDeployer } from '../cloud/simulator/deployer.ts';
import { CloudSimulator, type SimOptions } from '../cloud/simulator/simulator.ts';
import { sharedSimClock } from '../cloud/simulator/sim-clock.ts';
import { openSimDatabase } from '../cloud/simulator/sim-migrations.ts';
import { ScaledClock } from '../cloud/simulator/clocks.ts';
import { DistributionEngine } from '../distribution/engine.ts';
import { DistributionMetrics } from '../distribution/metrics.ts';
import { createBoss, createShareQueue, PgBossPassQueue, PASS_QUEUE } from '../distribution/pgboss.ts';
import { CloudSourceImages } from '../distribution/source-images.ts';
import { ShareMetrics } from '../distribution/share-metrics.ts';
import { ShareReconciler } from '../distribution/share-reconcile.ts';
import { RegionWakeups, type DistributionClock } from '../distribution/wakeups.ts';
import { startWorker, type RunningWorker, type WorkerOptions } from '../distribution/worker.ts';
import { cloudMarketplaceCatalog } from '../cloud/marketplace-catalog.ts';
import type { Store } from '../store/database.ts';
import type { ExternalCloud } from './cloud.ts';
import { DEFAULT_DISTRIBUTION_ACCOUNT } from './config.ts';

export interface ControlPlaneConfig {
  /** Distribute on this cloud instead of the embedded simulator. */
  cloud?: ExternalCloud;
  /** Simulated seconds per real second; undefined: keep what the database says (default 1). */
  simSpeed?: number | undefined;
  /** The speed of a database that has none yet. */
  defaultSimSpeed?: number;
  simSeed?: number;
  /** Speed skew and source cap of the embedded simulator. */
  simOptions?: SimOptions;
  distributionAccount?: string;
  /** The engine's cap on copies out of one source region (undefined: none). */
  copiesOutPerRegion?: number | undefined;
  runWorker: boolean;
  worker?: WorkerOptions & { leaseSeconds?: number };
  bossSchema?: string;
  /** Crash testing only: called at each named point of the engine (see failpoints.ts). */
  failpoint?: (name: string) => void;
}

export interface ControlPlane {
  deps: AppDeps;
  /** The embedded simulator, when the control plane runs on it. */
  simulator: CloudSimulator | undefined;
  /** Runs service instances: the simulator's deployer on the embedded simulator, ROS stacks on Alibaba Cloud. */
  deployer: Deployer | undefined;
  /** What the banner says of the cloud. */
  cloudLabel: string;
  engine: DistributionEngine;
  shares: ShareReconciler;
  metrics: DistributionMetrics;
  boss: PgBoss;
  workerId: string;
  stop(): Promise<void>;
}

export async function startControlPlane(store: Store, log: Logger, config: ControlPlaneConfig): Promise<ControlPlane> {
  let simulator: CloudSimulator | undefined;
  let deployer: Deployer | undefined;
  let cloud: CloudProvider;
  let clock: DistributionClock;
  let cloudLabel: string;
  if (config.cloud) {
    ({ provider: cloud, label: cloudLabel, deployer } = config.cloud);
    const speed = config.cloud.emulatedSpeed;
    clock = speed === undefined ? new ScaledClock(1) : await sharedSimClock(await openSimDatabase(store.db), speed, 1, Date.now, 'external-cloud-clock');
  } else {
    const simDb = await openSimDatabase(store.db);
    const simClock = await sharedSimClock(simDb, config.simSpeed, config.defaultSimSpeed ?? 1);
    simulator = new CloudSimulator(simDb, simClock, config.simSeed ?? 1, config.simOptions ?? {});
    deployer = new SimulatorDeployer(simDb, simClock);
    cloud = simulator;
    clock = simClock;
    cloudLabel = `simulator at ${simClock.speed}x`;
  }
  const metrics = new DistributionMetrics(store.db);
  const boss = createBoss(store, { schema: config.bossSchema });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  await boss.createQueue(PASS_QUEUE);
  await createShareQueue(boss);
  const wakeups = new RegionWakeups(clock, new PgBossPassQueue(boss));
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const engine = new DistributionEngine({
    db: store.db,
    cloud: metrics.instrument(cloud),
    clock,
    wakeups,
    distributionAccount: config.distributionAccount ?? DEFAULT_DISTRIBUTION_ACCOUNT,
    workerId,
    log: log.child({ component: 'distribution' }),
    leaseSeconds: config.worker?.leaseSeconds,
    observer: metrics.observer(),
    failpoint: config.failpoint ?? (() => {}),
    copiesOutPerRegion: config.copiesOutPerRegion ?? null,
  });
  const shares = new ShareReconciler({
    db: store.db,
    cloud: metrics.instrument(cloud),
    distributionAccount: config.distributionAccount ?? DEFAULT_DISTRIBUTION_ACCOUNT,
    log: log.child({ component: 'shares' }),
    ...(config.worker?.leaseSeconds ? { leaseMs: config.worker.leaseSeconds * 1000 } : {}),
    observer: new ShareMetrics(metrics.registry),
    failpoint: config.failpoint ?? (() => {}),
  });
  // One clock for the whole control plane: on the simulator (or an emulated cloud) every
  // timestamp a response carries — creation, publication, events, a region's end — is on the
  // simulated time base, so none of them can be compared with another of a different base.
  const deps: AppDeps = {
    db: store.db,
    clock: { now: () => new Date(clock.nowMs()) },
    ids: randomIds,
    wakeups,
    sourceImages: new CloudSourceImages(metrics.instrument(cloud)),
    marketplace: cloudMarketplaceCatalog(metrics.instrument(cloud), config.distributionAccount ?? DEFAULT_DISTRIBUTION_ACCOUNT),
    // Real time, never the simulated clock: a token's TTL is a promise to the operator. On the
    // embedded PGlite this process is the only one that can change what the caches hold.
    lookups: createLookupCaches(store.db, store.pglite ? 'this-process' : 'any-process', () => performance.now()),
  };
  let worker: RunningWorker | undefined;
  if (config.runWorker) worker = await startWorker(boss, engine, log.child({ component: 'worker' }), config.worker, shares);
  return {
    deps,
    simulator,
    deployer,
    cloudLabel,
    engine,
    shares,
    metrics,
    boss,
    workerId,
    async stop() {
      await worker?.stop();
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
    },
  };
}
