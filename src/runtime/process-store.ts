/** What every process does first: a logger on stderr, then its store opened and (but for the emulator) migrated. */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { migrate, openStore, type Store } from '../store/database.ts';
import { storeTarget, type StoreConfig } from './config.ts';
import { serializeError } from './log-errors.ts';
import { checkDataDir, createDataDir, holdDataDir, keepNewFilesPrivate, makePrivate, type DataDirLock } from './data-dir.ts';
import { undoOnFailure } from './undo.ts';

/**
 * `migrateProduct: false` (the emulator): the database holds only the simulated cloud, which
 * migrates its own schema. The embedded database's directory is created private and held by
 * this process until the store is closed.
 */
export async function openProcessStore(config: StoreConfig, svc: string, opts: { migrateProduct?: boolean } = {}): Promise<{ log: Logger; store: Store }> {
  const log = pino({ level: config.logLevel, base: { svc }, serializers: { err: serializeError } }, pino.destination(2));
  return undoOnFailure(async (onUndo) => {
    let lock: DataDirLock | undefined;
    if (!config.databaseUrl) {
      await checkDataDir(config.dataDir);
      keepNewFilesPrivate();
      await createDataDir(config.dataDir);
      lock = await holdDataDir(config.dataDir);
      onUndo(() => lock!.release());
    }
    const opened = await openStore(storeTarget(config), {
      onConnectionError: (err) => log.warn({ err }, 'database connection lost; the next query opens a new one'),
    });
    const store: Store = {
      ...opened,
      async close() {
        await opened.close();
        await lock?.release();
      },
    };
    onUndo(() => opened.close());
    if (lock) await makePrivate(config.dataDir);
    if (opts.migrateProduct ?? true) await migrate(store.db);
    return { log, store };
  });
}

/** The database part of a "listening on" banner. */
export function describeDatabase(store: Store, config: StoreConfig): string {
  return store.target.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL';
}
