/**
 * The storage backends every storage-dependent suite runs against: embedded PGlite always,
 * PostgreSQL when TEST_DATABASE_URL is set (required in CI). Each opened store is isolated: a
 * fresh in-memory PGlite, or a fresh schema on the PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate, openStore, type Store } from '../../src/store/database.ts';
import { skipReasonUnlessCi } from './outside-input.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Why this backend is not run here, or null when it runs. */
  skipReason: string | null;
  open(): Promise<Store>;
}

const url = process.env.TEST_DATABASE_URL;

const POSTGRES_SKIP = skipReasonUnlessCi(
  Boolean(url),
  'PostgreSQL suite',
  'TEST_DATABASE_URL is not set (e.g. postgres://postgres:postgres@127.0.0.1:5432/imagenest_test)',
);

/** A migrated template PGlite per test file; each store is a clone of it (≈1 s instead of ≈4 s). */
let template: Promise<PGlite> | undefined;
async function pgliteTemplate(): Promise<PGlite> {
  template ??= (async () => {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    await migrate(store.db);
    return store.pglite!.pg;
  })();
  return template;
}

export const pgliteBackend: Backend = {
  name: 'pglite',
  skipReason: null,
  async open() {
    const clone = (await (await pgliteTemplate()).clone()) as PGlite;
    return openStore({ kind: 'pglite', dataDir: null }, { pglite: clone });
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  skipReason: POSTGRES_SKIP,
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ kind: 'postgres', url: url!, schema });
    await migrate(store.db);
    return {
      ...store,
      async close() {
        await store.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          // The simulator keeps its own schema beside the store's (see openSimDatabase).
          await client.query(`drop schema if exists "${schema}", "${schema}_sim" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

export const backends: Backend[] = [pgliteBackend, postgresBackend];
