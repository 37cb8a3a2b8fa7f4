/** `imagenest server`: checks, port, database, migrations, first admin, control plane and the HTTP API. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { bootstrapAdmin } from '../app/accounts.ts';
import type { AppDeps } from '../app/deps.ts';
import { createApi } from '../api/app.ts';
import type { Store } from '../store/database.ts';
import { runEvery } from '../distribution/periodic.ts';
import { expireKeys } from '../store/idempotency-repo.ts';
import { adminTokenExists, writeAdminToken } from './admin-token.ts';
import type { ExternalCloud } from './cloud.ts';
import { DEFAULT_SIM_SPEED, type ServerConfig } from './config.ts';
import { startControlPlane, type ControlPlane } from './control-plane.ts';
import { checkDataDir } from './data-dir.ts';
import { listen } from './http-listen.ts';
import { describeDatabase, openProcessStore } from './process-store.ts';
import { undoOnFailure } from './undo.ts';

const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;
/**
 * Where the built console is: dist/web beside the bundled server (dist/main.js), or the
 * repository's dist/web when the server runs from src/ through tsx (`npm start`).
 */
function consoleRoot(): string | undefined {
  const here = import.meta.dirname;
  return [path.join(here, 'web'), path.resolve(here, '../../dist/web')].find((dir) => existsSync(path.join(dir, 'index.html')));
}

/** How stale the per-region gauges of /metrics may be: scrapes read memory, this refresh reads the database. */
const METRICS_REFRESH_MS = 5_000;

export interface ServerWiring {
  /** Distribute on this cloud instead of the embedded simulator. */
  cloud?: ExternalCloud | undefined;
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

/**
 * Creates the first admin on a new database, its token written before the admin is committed
 * (a token that cannot be written leaves no admin behind), and says where the token is.
 */
async function announceAdmin(deps: AppDeps, dataDir: string, say: (line: string) => void): Promise<void> {
  let tokenFile = '';
  const admin = await bootstrapAdmin(deps, async (token) => (tokenFile = await writeAdminToken(dataDir, token)));
  if (admin) {
    say(`Created the admin account ${admin.id}; its token is in ${tokenFile} (mode 0600).`);
    return;
  }
  const existing = await adminTokenExists(dataDir);
  say(
    existing
      ? `Admin token: ${existing}`
      : `An admin account exists, but its token file ${path.resolve(dataDir, 'admin-token')} is gone: stop the server and run 'imagenest admin reset-token --data-dir ${path.resolve(dataDir)}' for a new one.`,
  );
}

/**
 * Starts the server. The data directory and the port are checked first, so a wrong
 * `--data-dir` or a taken `--port` is reported before a database or an admin exists; a start
 * that fails later undoes what it did and rejects (the process then exits, never hangs).
 */
export async function startServer(config: ServerConfig, wiring: ServerWiring = {}): Promise<RunningServer> {
  const say = wiring.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  await checkDataDir(config.dataDir);
  const http = await listen(config.host, config.port);
  return undoOnFailure(async (onUndo) => {
    onUndo(() => http.close());
    const { log, store } = await openProcessStore(config, 'imagenest');
    onUndo(() => store.close());
    const plane = await startControlPlane(store, log, {
      simSpeed: config.simSpeed,
      simOptions: { speedSkew: config.speedSkew, sourceCap: config.sourceCap },
      copiesOutPerRegion: config.copiesOutPerRegion,
      defaultSimSpeed: DEFAULT_SIM_SPEED,
      runWorker: config.worker,
      cloud: wiring.cloud,
      distributionAccount: config.distributionAccount,
    });
    onUndo(() => plane.stop());
    await announceAdmin(plane.deps, config.dataDir, say);

    const shutdown = new AbortController();
    const api = createApi(plane.deps, {
      logger: log,
      ready: async () => {
        await sql`select 1`.execute(store.db);
      },
      simulator: plane.simulator,
      deployer: plane.deployer,
      metrics: plane.metrics.registry,
      metricsToken: config.metricsToken,
      console: { root: consoleRoot() },
      liveEvents: { shutdown: shutdown.signal },
    });
    const metricsRefresh = plane.metrics.refreshEvery(METRICS_REFRESH_MS, (err) => log.warn({ err }, 'metrics refresh failed'));
    http.serve(api.fetch);
    say(`Imagenest listening on ${http.url} (database: ${describeDatabase(store, config)}; cloud: ${plane.cloudLabel}${config.worker ? '' : '; no worker'})`);

    const keySweep = runEvery(
      3600_000,
      () => expireKeys(store.db, new Date(Date.now() - IDEMPOTENCY_RETENTION_MS)),
      (err) => log.warn({ err }, 'idempotency key sweep failed'),
    );

    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      port: http.port,
      store,
      plane,
      close() {
        closing ??= (async () => {
          // Open event streams would hold the HTTP server open: they end first.
          shutdown.abort();
          await http.close();
          await keySweep.stop();
          await metricsRefresh.stop();
          await plane.stop();
          await store.close();
        })();
        return closing;
      },
    };
  });
}
