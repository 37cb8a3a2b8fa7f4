/** `imagenest emulator`: the ECS and ROS HTTP APIs served over the cloud simulator, with its own database. */
import { Hono } from 'hono';
import { ecsEmulatorApi } from '../cloud/emulator/ecs-api.ts';
import { rosEmulatorApi, ROS_API_VERSION } from '../cloud/emulator/ros-api.ts';
import { EmulatedStacks } from '../cloud/emulator/ros-stacks.ts';
import { SimulatorDeployer } from '../cloud/simulator/deployer.ts';
import { sharedSimClock } from '../cloud/simulator/sim-clock.ts';
import { openSimDatabase } from '../cloud/simulator/sim-migrations.ts';
import { CloudSimulator } from '../cloud/simulator/simulator.ts';
import type { EmulatorConfig } from './config.ts';
import { checkDataDir } from './data-dir.ts';
import { listen } from './http-listen.ts';
import { describeDatabase, openProcessStore } from './process-store.ts';
import { undoOnFailure } from './undo.ts';

export interface RunningEmulator {
  url: string;
  simulator: CloudSimulator;
  close(): Promise<void>;
}

/** `ID:SECRET` pairs by ID (the CLI has checked their shape). */
function accessKeyMap(accessKeys: string[]): Map<string, string> {
  return new Map(
    accessKeys.map((k) => {
      const i = k.indexOf(':');
      return [k.slice(0, i), k.slice(i + 1)] as const;
    }),
  );
}

/** Starts the emulator; its data directory (when embedded) and port are checked before anything is created. */
export async function startEmulator(config: EmulatorConfig, say: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<RunningEmulator> {
  if (!config.databaseUrl) await checkDataDir(config.dataDir);
  const http = await listen(config.host, config.port);
  return undoOnFailure(async (onUndo) => {
    onUndo(() => http.close());
    const { log, store } = await openProcessStore(config, 'imagenest-emulator', { migrateProduct: false });
    onUndo(() => store.close());
    const simDb = await openSimDatabase(store.db);
    const clock = await sharedSimClock(simDb, config.simSpeed, 1);
    const simulator = new CloudSimulator(simDb, clock, 1, { speedSkew: config.speedSkew, sourceCap: config.sourceCap });
    const keys = accessKeyMap(config.accessKey ?? []);
    const ecs = ecsEmulatorApi({ cloud: simulator, accessKeys: keys, instances: simulator.ecsInstances(), createImage: (req) => simulator.createImage(req) });
    // ROS stacks run their ECS resources through the simulator deployer: the same oracle as the embedded simulator.
    const deployer = new SimulatorDeployer(simDb, clock);
    const ros = rosEmulatorApi({ stacks: new EmulatedStacks(deployer, clock), accessKeys: keys, describeInstances: (req) => deployer.describeInstances(req) });
    // One port for both products, as the SDKs address it: ROS's requests carry ROS's API version.
    for (const app of [ecs, ros]) {
      app.onError((err, c) => {
        log.error({ err }, 'emulator request failed');
        return c.json({ RequestId: 'emulator', Code: 'InternalError', Message: 'The request processing has failed due to some unknown error.' }, 500);
      });
    }
    const api = new Hono();
    api.all('/', (c) => (c.req.header('x-acs-version') === ROS_API_VERSION ? ros : ecs).fetch(c.req.raw));
    api.get('/emulator/*', (c) => ros.fetch(c.req.raw));
    http.serve(api.fetch);
    say(`Imagenest ECS and ROS emulator listening on ${http.url} (database: ${describeDatabase(store, config)}; simulator at ${clock.speed}x; accounts: ${[...keys.keys()].join(', ')})`);
    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      simulator,
      close() {
        closing ??= (async () => {
          await http.close();
          await store.close();
        })();
        return closing;
      },
    };
  });
}
