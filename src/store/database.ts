/** Opens the database (embedded PGlite on disk, or PostgreSQL) and applies migrations. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import * as m0001 from './migrations/0001-packages.ts';
import * as m0002 from './migrations/0002-simulator.ts';
import * as m0003 from './migrations/0003-distribution.ts';
import * as m0004 from './migrations/0004-deletion.ts';
import * as m0006 from './migrations/0006-services.ts';
import { Mutex, pgliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

const migrations: Record<string, Migration> = { '0001-packages': m0001, '0002-simulator': m0002, '0003-distribution': m0003, '0004-deletion': m0004,
  '0006-services': m0006,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

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

export async function openStore(target: StoreTarget, options: { pglite?: PGlite } = {}): Promise<Store> {
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
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
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
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
