/** `imagenest emulator`: the ECS HTTP API served over the cloud simulator, with its own database. */
import path from 'node:path';
import pino from 'pino';
import { listen } from './http-listen.ts';
import { ecsEmulatorApi } from './cloud/emulator/ecs-api.ts';
import { sharedSimClock } from './cloud/simulator/sim-clock.ts';
import { openSimDatabase } from './cloud/simulator/sim-migrations.ts';
import { CloudSimulator } from './cloud/simulator/simulator.ts';
import { storeTarget } from './server.ts';
import { openStore } from './store/database.ts';

export interface EmulatorConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** `ID:SECRET` each; the ID names the account a request signed with it acts as. */
  accessKeys: string[];
  simSpeed?: number | undefined;
  logLevel: string;
  say?: (line: string) => void;
}

export interface RunningEmulator {
  url: string;
  simulator: CloudSimulator;
  close(): Promise<void>;
}

export async function startEmulator(config: EmulatorConfig): Promise<RunningEmulator> {
  const say = config.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = pino({ level: config.logLevel, base: { svc: 'imagenest-emulator' } }, pino.destination(2));
  const store = await openStore(storeTarget(config));
  // The emulator's database holds only the simulated cloud: it migrates the simulator's schema alone.
  const simDb = await openSimDatabase(store.db);
  const clock = await sharedSimClock(simDb, config.simSpeed, 1);
  const simulator = new CloudSimulator(simDb, clock, 1);
  const keys = new Map(
    config.accessKeys.map((k) => {
      const i = k.indexOf(':');
      return [k.slice(0, i), k.slice(i + 1)] as const;
    }),
  );
  const api = ecsEmulatorApi({ cloud: simulator, accessKeys: keys, createImage: (req) => simulator.createImage(req) });
  api.onError((err, c) => {
    log.error({ err }, 'emulator request failed');
    return c.json({ RequestId: 'emulator', Code: 'InternalError', Message: 'The request processing has failed due to some unknown error.' }, 500);
  });
  const { server, url } = await listen(api.fetch, config.host, config.port).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  say(
    `Imagenest ECS emulator listening on ${url} (database: ${store.target.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL'}; simulator at ${clock.speed}x; accounts: ${[...keys.keys()].join(', ')})`,
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    simulator,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      })();
      return closing;
    },
  };
}
