/** The PostgreSQL pool outlives its connections: a lost connection is reported, never fatal, and the next query reconnects. */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresBackend } from '../../test/support/stores.ts';
import { resilientPool } from './database.ts';

const url = process.env.TEST_DATABASE_URL;

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('resilientPool', () => {
  it("hands an 'error' emitted on the pool to its listener instead of throwing it", async () => {
    const seen: Error[] = [];
    const pool = resilientPool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }, (err) => seen.push(err));
    const err = new Error('Connection terminated unexpectedly');
    expect(() => pool.emit('error', err)).not.toThrow();
    expect(seen).toEqual([err]);
    await pool.end();
  });

  it.skipIf(postgresBackend.skipReason !== null)('on PostgreSQL: an idle and a checked-out connection terminated by the server are reported, and the next query reconnects', async () => {
    const seen: Error[] = [];
    const pool = resilientPool({ connectionString: url, max: 2 }, (err) => seen.push(err));
    try {
      const idle = await pool.connect();
      const idlePid = (await idle.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      idle.release();
      await terminate(idlePid);
      await until(() => seen.length === 1);

      // Between two statements of a transaction: the error lands on the client, not on the pool.
      const held = await pool.connect();
      await held.query('begin');
      const heldPid = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      // 'end', not 'error': a listener of our own on 'error' would hide the missing one.
      let heldEnded = false;
      held.once('end', () => (heldEnded = true));
      await terminate(heldPid);
      await until(() => heldEnded);
      await expect(held.query('select 1')).rejects.toThrow();
      held.release();

      const again = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
      expect([idlePid, heldPid]).not.toContain(again.rows[0]!.pid);
    } finally {
      await pool.end();
    }
  });
});
