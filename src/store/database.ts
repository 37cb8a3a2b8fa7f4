/** Opens the database (embedded PGlite on disk, or PostgreSQL) and applies migrations. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider, type Transaction } from 'kysely';
import pg from 'pg';
import * as m0001 from './migrations/0001-packages.ts';
import * as m0002 from './migrations/0002-simulator.ts';
import * as m0003 from './migrations/0003-distribution.ts';
import * as m0004 from './migrations/0004-deletion.ts';
import * as m0006 from './migrations/0006-services.ts';
import * as m0007 from './migrations/0007-delivery-errors.ts';
import * as m0008 from './migrations/0008-cancelled-versions.ts';
import * as m0009 from './migrations/0009-copy-sources.ts';
import * as m0010 from './migrations/0010-copy-speeds.ts';
import * as m0011 from './migrations/0011-copies-out.ts';
import { Mutex, pgliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

const migrations: Record<string, Migration> = { '0001-packages': m0001, '0002-simulator': m0002, '0003-distribution': m0003, '0004-deletion': m0004,
  '0006-services': m0006,
  '0007-delivery-errors': m0007,
  '0008-cancelled-versions': m0008,
  '0009-copy-sources': m0009,
  '0010-copy-speeds': m0010,
  '0011-copies-out': m0011,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The database, or a transaction on it: what every repository function takes. */
export type Db = Kysely<Database> | Transaction<Database>;

export type StoreTarget =
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; url: string; schema?: string };

/** An open database: the Kysely handle plus what the job queue needs to share it. */
export interface Store {
  db: Kysely<Database>;
  target: StoreTarget;
  /** The in-process PGlite and its mutex, when embedded; null on PostgreSQL. */
  pglite: { pg: PGlite; mutex: Mutex } | null;
  close(): Promise<void>;
}

/**
 * A pool that outlives its connections. A server restart, a failover or `pg_terminate_backend`
 * ends connections under it; an idle one then emits 'error' on the pool, and a checked-out one
 * between two queries (inside a transaction) on its client. Either, unheard, would end the
 * process. The pool drops the broken connection and opens a new one for the next query, and a
 * query that was running fails on its own, so reporting the event is all that is left to do.
 */
export function resilientPool(config: pg.PoolConfig, onConnectionError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onConnectionError);
  // A checked-out client's error also reaches its query or the next one (which fails as not
  // queryable, and the pool discards the client on release): this listener only keeps it from being fatal.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export interface OpenStoreOptions {
  /** An embedded database already open (tests clone a migrated one). */
  pglite?: PGlite;
  /** Told of each PostgreSQL connection lost while idle; the store reconnects by itself. */
  onConnectionError?: (err: Error) => void;
}

export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  if (target.kind === 'pglite') {
    let pgl = options.pglite;
    if (!pgl) {
      if (target.dataDir) {
        await mkdir(path.dirname(path.resolve(target.dataDir)), { recursive: true });
      }
      pgl = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
    }
    await pgl.waitReady;
    const mutex = new Mutex();
    const db = new Kysely<Database>({ dialect: pgliteDialect(pgl, mutex) });
    const owned = pgl;
    return {
      db,
      target,
      pglite: { pg: owned, mutex },
      async close() {
        await db.destroy();
        await owned.close();
      },
    };
  }
  const pool = resilientPool(
    { connectionString: target.url, max: 10, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) },
    options.onConnectionError ?? (() => {}),
  );
  if (target.schema) {
    const c = await pool.connect();
    try {
      await c.query(`create schema if not exists "${target.schema.replace(/"/g, '""')}"`);
    } finally {
      c.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    target,
    pglite: null,
    async close() {
      await db.destroy();
    },
  };
}

/** Applies every pending migration; several processes starting at once take turns. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  // Kysely looks for its migration tables in every schema unless told which: another schema
  // of the same database holding them (another Imagenest, a test) would hide ours.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider, migrationTableSchema: rows[0]!.schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
