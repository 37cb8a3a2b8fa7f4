/** `imagenest worker`: the distribution worker alone; several may share one PostgreSQL. */
import type { ExternalCloud } from './cloud.ts';
import type { CrashTestKnobs, WorkerConfig } from './config.ts';
import { startControlPlane } from './control-plane.ts';
import { failpointHook, type FailpointEffects } from './failpoints.ts';
import { openProcessStore } from './process-store.ts';
import { undoOnFailure } from './undo.ts';

export interface WorkerWiring {
  /** Distribute on this cloud instead of the embedded simulator. */
  cloud?: ExternalCloud | undefined;
  knobs?: CrashTestKnobs;
  /** What a failpoint does when it fires; without it, failpoints are inert. */
  failpointEffects?: FailpointEffects;
}

export interface RunningWorkerProcess {
  workerId: string;
  close(): Promise<void>;
}

export async function startWorkerProcess(config: WorkerConfig, wiring: WorkerWiring = {}): Promise<RunningWorkerProcess> {
  const { log, store } = await openProcessStore(config, 'imagenest-worker');
  const knobs = wiring.knobs;
  const plane = await undoOnFailure(async (onUndo) => {
    onUndo(() => store.close());
    return startControlPlane(store, log, {
      simSpeed: config.simSpeed,
      simOptions: { speedSkew: config.speedSkew, sourceCap: config.sourceCap },
      copiesOutPerRegion: config.copiesOutPerRegion,
      cloud: wiring.cloud,
      distributionAccount: config.distributionAccount,
      runWorker: true,
      failpoint: knobs && wiring.failpointEffects ? failpointHook(knobs.failpoints, wiring.failpointEffects, log) : undefined,
      worker: { sweepEveryMs: knobs?.sweepEveryMs, leaseSeconds: knobs?.leaseSeconds },
    });
  });
  log.info({ workerId: plane.workerId }, 'worker started');
  return {
    workerId: plane.workerId,
    async close() {
      await plane.stop();
      await store.close();
    },
  };
}
