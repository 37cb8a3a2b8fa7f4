/** The PGlite dialect's errors: what a log line of a failed statement may carry. */
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pgliteBackend } from '../../test/support/stores.ts';
import type { Store } from './database.ts';

let store: Store;
beforeAll(async () => {
  store = await pgliteBackend.open();
});
afterAll(async () => store?.close());

it('logs a failed statement with its SQL and code but without its parameter values', async () => {
  // A NUL in a text value: the 500 of issue 11, whose log line carried the whole insert's values.
  const secret = 'SECRET-DESCRIPTION-TEXT';
  const err = await sql`select ${`${secret}\u0000`}::text, ${secret}::text as other`.execute(store.db).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: '22021' });
  const lines: string[] = [];
  pino({ level: 'error' }, { write: (s: string) => lines.push(s) }).error({ err }, 'unhandled error');
  expect(lines.join('')).toContain('::text');
  expect(lines.join('')).not.toContain(secret);
});
