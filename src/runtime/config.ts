/**
 * The one typed configuration of the server, worker and emulator processes. The CLI fills it
 * from flags and their environment variables; `crashTestKnobs` reads the rest of the
 * environment. Type-only imports: the CLI imports this file, and must stay quick to load.
 */
import path from 'node:path';
import type { StoreTarget } from '../store/database.ts';

/** Default simulated speed of `npm start`: a 20 GiB copy inside China takes seconds, a 500 GiB one across continents a few minutes. */
export const DEFAULT_SIM_SPEED = 120;

export const DEFAULT_DISTRIBUTION_ACCOUNT = 'imagenest-distribution';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Where a process keeps its database, and how much it logs. */
export interface StoreConfig {
  dataDir: string;
  /** PostgreSQL instead of the embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  logLevel: string;
}

/** Where an HTTP process listens. */
export interface ListenConfig {
  /** 0: any free port. */
  port: number;
  host: string;
}

/**
 * How the embedded simulator (or the emulator's) departs from its nominal cloud: hidden speed
 * factors from a seed, and a cap on copies running out of one source region.
 */
export interface SimulatorTuning {
  /** `--speed-skew SEED`: every route's speed scaled by a hidden factor in 0.5×–2× fixed by SEED. */
  speedSkew?: number | undefined;
  /** `--source-cap N`: at most N copies run out of one source region at a time; more wait. */
  sourceCap?: number | undefined;
}

/** Which cloud a server or worker distributes on (the same options on both). */
export interface CloudConfig extends SimulatorTuning {
  cloud: 'simulator' | 'alibaba';
  alibabaEndpoint?: string | undefined;
  alibabaCredentials?: string | undefined;
  /** The account that holds every distributed copy (on Alibaba Cloud: the platform's account ID). */
  distributionAccount?: string | undefined;
  /**
   * Simulated seconds per real second of the embedded simulator, or of the emulator behind
   * `alibabaEndpoint`; undefined: keep what the database says.
   */
  simSpeed?: number | undefined;
  /** `--copies-out-per-region N`: the engine starts at most N copies out of one source region at a time (undefined: no cap). */
  copiesOutPerRegion?: number | undefined;
}

/** `imagenest server`. */
export interface ServerConfig extends StoreConfig, ListenConfig, CloudConfig {
  /** false: serve the API only; separate `imagenest worker` processes distribute. */
  worker: boolean;
  /** When set, /metrics answers only scrapes that send it as a bearer token. */
  metricsToken?: string | undefined;
}

/** `imagenest worker`. */
export type WorkerConfig = StoreConfig & CloudConfig;

/** `imagenest emulator`. */
export interface EmulatorConfig extends StoreConfig, ListenConfig, SimulatorTuning {
  /** `ID:SECRET` each; the ID names the account a request signed with it acts as. */
  accessKey?: string[] | undefined;
  simSpeed?: number | undefined;
}

/** `imagenest admin reset-token`: the database to change, and where the token file goes. */
export type AdminConfig = Omit<StoreConfig, 'logLevel'>;

/** What `imagenest admin reset-token` did: whose token it replaced, and the file holding the new one. */
export interface AdminTokenReset {
  accountId: string;
  tokenFile: string;
}

/**
 * What the CLI calls once it has parsed a command that runs on the database itself: the three
 * processes, each run until it is stopped, and the offline admin commands.
 */
export interface LaunchHandlers {
  startServer(config: ServerConfig): Promise<unknown>;
  startWorker(config: WorkerConfig): Promise<unknown>;
  startEmulator(config: EmulatorConfig): Promise<unknown>;
  resetAdminToken(config: AdminConfig): Promise<AdminTokenReset>;
}

/** Knobs of the crash and multi-worker tests, from the environment; production leaves them unset. */
export interface CrashTestKnobs {
  /** Probability of SIGKILL at each named point, e.g. { 'after-copy-image': 0.3 }. */
  failpoints: Record<string, number>;
  sweepEveryMs?: number | undefined;
  leaseSeconds?: number | undefined;
}

/** Parses IMAGENEST_FAILPOINTS ("name=probability,…"). */
export function parseFailpoints(spec: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [name, p] = part.split('=');
    if (name && p !== undefined && Number.isFinite(Number(p))) out[name.trim()] = Number(p);
  }
  return out;
}

export function crashTestKnobs(env: NodeJS.ProcessEnv): CrashTestKnobs {
  return {
    failpoints: parseFailpoints(env.IMAGENEST_FAILPOINTS),
    sweepEveryMs: env.IMAGENEST_SWEEP_MS ? Number(env.IMAGENEST_SWEEP_MS) : undefined,
    leaseSeconds: env.IMAGENEST_LEASE_SECONDS ? Number(env.IMAGENEST_LEASE_SECONDS) : undefined,
  };
}

export function storeTarget(config: StoreConfig): StoreTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') };
}
