/** What every process does first: a logger on stderr, then its store opened and (but for the emulator) migrated. */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { migrate, openStore, type Store } from '../store/database.ts';
import { storeTarget, type StoreConfig } from './config.ts';

/** `migrateProduct: false` (the emulator): the database holds only the simulated cloud, which migrates its own schema. */
export async function openProcessStore(config: StoreConfig, svc: string, opts: { migrateProduct?: boolean } = {}): Promise<{ log: Logger; store: Store }> {
  const log = pino({ level: config.logLevel, base: { svc } }, pino.destination(2));
  const store = await openStore(storeTarget(config), {
    onConnectionError: (err) => log.warn({ err }, 'database connection lost; the next query opens a new one'),
  });
  if (opts.migrateProduct ?? true) await migrate(store.db);
  return { log, store };
}

/** The database part of a "listening on" banner. */
export function describeDatabase(store: Store, config: StoreConfig): string {
  return store.target.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL';
}
