/** What every process does first: a logger on stderr, then its store opened and migrated. */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { migrate, openStore, type Store } from '../store/database.ts';
import { storeTarget, type StoreConfig } from './config.ts';

export async function openProcessStore(config: StoreConfig, svc: string): Promise<{ log: Logger; store: Store }> {
  const log = pino({ level: config.logLevel, base: { svc } }, pino.destination(2));
  const store = await openStore(storeTarget(config));
  await migrate(store.db);
  return { log, store };
}

/** The database part of a "listening on" banner. */
export function describeDatabase(store: Store, config: StoreConfig): string {
  return store.target.kind === 'pglite' ? `embedded PGlite in ${path.resolve(config.dataDir)}` : 'PostgreSQL';
}
