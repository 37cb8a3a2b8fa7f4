/**
 * Kysely's own PostgresDialect over an in-process PGlite. PGlite is one session, so a
 * "connection" is a turn on a mutex: a transaction holds it from BEGIN to COMMIT and no other
 * statement can interleave. Every other user of the same PGlite (pg-boss) must go through
 * `exclusive` too.
 */
import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';

/** A FIFO mutex: `run` executes one callback at a time in call order. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /** Waits for the turn; the returned function ends it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => turn);
    return ready;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  return (word ?? 'SELECT') as PostgresQueryResult<unknown>['command'];
}

/**
 * PGlite attaches a failed statement's parameter values to its error (node-postgres does not),
 * and whoever logs the error would log them: descriptions, tags, anything a user sent. The SQL
 * text and PostgreSQL's own fields stay, enough to find the statement.
 */
export function withoutParameterValues(err: unknown): unknown {
  if (err !== null && typeof err === 'object' && 'params' in err) delete (err as { params?: unknown }).params;
  return err;
}

export function pgliteDialect(pg: PGlite, mutex: Mutex): PostgresDialect {
  const pool: PostgresPool = {
    async connect() {
      const release = await mutex.acquire();
      const client = {
        async query(sql: string, parameters: ReadonlyArray<unknown>) {
          const r = await pg.query(sql, [...parameters]).catch((err: unknown) => {
            throw withoutParameterValues(err);
          });
          return { command: commandOf(sql), rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
        },
        release,
      };
      return client as unknown as PostgresPoolClient;
    },
    async end() {},
  };
  return new PostgresDialect({ pool });
}
