/** The simulator's shared state by key (faults, counters, rate buckets, clock anchors) in its `meta` table. */
import { sql } from 'kysely';
import type { SimFaults } from '../simulator-port.ts';
import type { SimDb, SimTrx } from './sim-schema.ts';

export const NO_FAULTS: SimFaults = { throttleRate: 0, transientRate: 0, regionFailureRate: {}, outages: [] };

/** A value by key; `forUpdate` holds the row until the transaction ends, so read-modify-write is safe. */
export async function readMeta<T>(db: SimDb | SimTrx, key: string, options: { forUpdate?: boolean } = {}): Promise<T | undefined> {
  let q = db.selectFrom('meta').select('value').where('key', '=', key);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row?.value as T | undefined;
}

export async function writeMeta(db: SimDb | SimTrx, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('meta')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute();
}

/** The faults in force; none until an admin sets some. */
export async function readFaults(db: SimDb | SimTrx): Promise<SimFaults> {
  return { ...NO_FAULTS, ...((await readMeta<SimFaults>(db, 'faults')) ?? {}) };
}

/** 1, 2, 3, … per name, atomically: image IDs and seeded fault draws number from it. */
export async function nextCounter(trx: SimTrx, name: string): Promise<number> {
  const key = `counter:${name}`;
  const row = await trx
    .insertInto('meta')
    .values({ key, value: '1' })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`to_jsonb((meta.value)::text::bigint + 1)` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export const SIM_CALL_LIMIT_PER_MIN = { CopyImage: 1000 } as const;

/** A token bucket of SIM_CALL_LIMIT_PER_MIN.CopyImage per account and simulated minute: false when empty. */
export async function takeCopyToken(trx: SimTrx, account: string, nowMs: number): Promise<boolean> {
  const key = `copy-rate:${account}`;
  const capacity = SIM_CALL_LIMIT_PER_MIN.CopyImage;
  const prev = (await readMeta<{ tokens: number; atMs: number }>(trx, key, { forUpdate: true })) ?? { tokens: capacity, atMs: nowMs };
  const tokens = Math.min(capacity, prev.tokens + ((nowMs - prev.atMs) * capacity) / 60_000);
  const ok = tokens >= 1;
  await writeMeta(trx, key, { tokens: ok ? tokens - 1 : tokens, atMs: nowMs });
  return ok;
}
