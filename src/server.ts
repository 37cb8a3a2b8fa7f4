/** Starts the control plane: database, migrations, first admin, HTTP API. */
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { bootstrapAdmin } from './app/accounts.ts';
import { createApi } from './api/app.ts';
import { listen } from './http-listen.ts';
import { startControlPlane, type ControlPlane, type ExternalCloud } from './control-plane.ts';
import { openStore, migrate, type Store, type StoreTarget } from './store/database.ts';
import { expireKeys } from './store/idempotency-repo.ts';

const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  logLevel: string;
  /** Simulated seconds per real second of the embedded cloud simulator. */
  simSpeed?: number | undefined;
  defaultSimSpeed?: number;
  /** Distribute on this cloud instead of the embedded simulator. */
  cloud?: ExternalCloud | undefined;
  /** The account that holds every distributed copy (on Alibaba Cloud: the platform's account ID). */
  distributionAccount?: string | undefined;
  /** false: serve the API only; separate `imagenest worker` processes distribute. */
  worker?: boolean;
  /** Where the banner goes (stdout by default). */
  say?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  plane: ControlPlane;
  close(): Promise<void>;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Writes the first admin's token to `<dataDir>/admin-token`, readable by the owner only. */
async function writeAdminToken(dataDir: string, token: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'admin-token');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

export function storeTarget(config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): StoreTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') };
}

export async function startServer(config: ServerConfig, logger?: Logger): Promise<RunningServer> {
  const say = config.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = logger ?? pino({ level: config.logLevel, base: { svc: 'imagenest' } }, pino.destination(2));
  const store = await openStore(storeTarget(config));
  await migrate(store.db);
  const plane = await startControlPlane(store, log, {
    simSpeed: config.simSpeed,
    defaultSimSpeed: config.defaultSimSpeed,
    runWorker: config.worker ?? true,
    cloud: config.cloud,
    distributionAccount: config.distributionAccount,
  });
  const deps = plane.deps;

  const admin = await bootstrapAdmin(deps);
  const tokenFile = path.resolve(config.dataDir, 'admin-token');
  if (admin) {
    await writeAdminToken(config.dataDir, admin.token);
    say(`Created the admin account ${admin.id}; its token is in ${tokenFile} (mode 0600).`);
  } else if (await exists(tokenFile)) {
    say(`Admin token: ${tokenFile}`);
  } else {
    say('An admin account exists; its token was written to <data-dir>/admin-token when it was created.');
  }

  const api = createApi(deps, {
    logger: log,
    ready: async () => {
      await sql`select 1`.execute(store.db);
    },
    simulator: plane.simulator,
    metrics: plane.metrics.registry,
  });

  const { server, port, url } = await listen(api.fetch, config.host, config.port).catch(async (err: unknown) => {
    await plane.stop();
    await store.close();
    throw err;
  });
  say(`Imagenest listening on ${url} (database: ${store.target.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL'}; cloud: ${plane.cloudLabel}${config.worker === false ? '; no worker' : ''})`);

  const sweep = setInterval(() => {
    expireKeys(store.db, new Date(Date.now() - IDEMPOTENCY_RETENTION_MS)).catch((err) => log.warn({ err }, 'idempotency key sweep failed'));
  }, 3600_000);
  sweep.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    plane,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await plane.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

export interface WorkerConfig {
  dataDir: string;
  databaseUrl?: string | undefined;
  logLevel: string;
  simSpeed?: number | undefined;
  cloud?: ExternalCloud | undefined;
  distributionAccount?: string | undefined;
  /** Crash testing only: SIGKILL probabilities at named points. */
  failpoints?: Record<string, number>;
  sweepEveryMs?: number;
  leaseSeconds?: number;
}

/** `imagenest worker`: the distribution worker alone; several may share one PostgreSQL. */
export async function startWorkerProcess(config: WorkerConfig): Promise<{ workerId: string; close(): Promise<void> }> {
  const log = pino({ level: config.logLevel, base: { svc: 'imagenest-worker' } }, pino.destination(2));
  const store = await openStore(storeTarget(config));
  await migrate(store.db);
  const plane = await startControlPlane(store, log, {
    simSpeed: config.simSpeed,
    cloud: config.cloud,
    distributionAccount: config.distributionAccount,
    runWorker: true,
    failpoints: config.failpoints,
    worker: { sweepEveryMs: config.sweepEveryMs, leaseSeconds: config.leaseSeconds },
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
