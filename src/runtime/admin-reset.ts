/** `imagenest admin reset-token`: offline, the first admin gets a new token, written to the data directory. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { resetAdminToken } from '../app/accounts.ts';
import { randomIds } from '../app/ids.ts';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { writeAdminToken } from './admin-token.ts';
import type { AdminConfig, AdminTokenReset } from './config.ts';
import { checkDataDir } from './data-dir.ts';
import { openProcessStore } from './process-store.ts';

/**
 * Replaces the admin's tokens. On the embedded database it refuses (DATA_DIR_IN_USE) while a
 * server holds the data directory; on PostgreSQL a running server simply sees the new token.
 * Only the token's hash is stored; the token itself goes to `<dataDir>/admin-token` (0600)
 * before the commit, so a token that cannot be written leaves the old one working.
 */
export async function resetAdminTokenOffline(config: AdminConfig): Promise<AdminTokenReset> {
  await checkDataDir(config.dataDir);
  if (!config.databaseUrl) {
    // Opening a directory without a database would create a new one, with no admin to reset.
    const pgdata = path.resolve(config.dataDir, 'pgdata');
    if (!(await stat(path.join(pgdata, 'PG_VERSION')).then(() => true, () => false))) {
      throw new ImagenestError(ErrorCode.NOT_FOUND, `no Imagenest database in ${pgdata}: start the server with this --data-dir once; it creates the admin account`, {
        context: { resource: pgdata },
      });
    }
  }
  const { store } = await openProcessStore({ ...config, logLevel: 'warn' }, 'imagenest-admin');
  try {
    const reset = await resetAdminToken({ db: store.db, clock: { now: () => new Date() }, ids: randomIds }, (token) => writeAdminToken(config.dataDir, token));
    if (!reset) throw new ImagenestError(ErrorCode.NOT_FOUND, 'the database has no admin account: start the server; it creates one');
    return { accountId: reset.account.id, tokenFile: reset.kept };
  } finally {
    await store.close();
  }
}
