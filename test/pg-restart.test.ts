/**
 * Issue 11 finding 8, on PostgreSQL with real processes: a server and two workers live through
 * a database outage in the middle of a distribution and finish it by themselves, and a worker
 * killed while it holds a region stalls that region for seconds, not a minute.
 *
 * The outage is made on the test's own throwaway database only (the PostgreSQL cluster is shared):
 * it refuses new connections and every backend of it is terminated, again and again, for 10 s.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { REGIONS } from '../src/domain/regions.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { copiesByDelivery, createPackages, distributionImages, spawnWorker, supplier, waitAllFinal, workerStarted } from './support/distribution-procs.ts';
import { createDatabase } from './support/pg-database.ts';
import { postgresBackend } from './support/stores.ts';

const TEN = REGIONS.filter((r) => r.id !== 'cn-hangzhou').slice(0, 10).map((r) => r.id);
const OUTAGE_MS = 10_000;
/** The longest a region may wait for a pass once the database answers again, or after its holder died. */
const MAX_STALL_MS = 20_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A throwaway database, a server without a worker on it, a supplier, and a client on the base server for admin statements. */
async function rig(speed: string) {
  const base = process.env.TEST_DATABASE_URL!;
  const db = await createDatabase(base);
  const dbName = new URL(db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const children: ChildProcess[] = [];
  let server: ServerProcess | undefined;
  cleanup.push(async () => {
    for (const c of children) if (alive(c)) c.kill('SIGKILL');
    await server?.stop();
    await admin.query(`alter database ${dbName} with allow_connections true`);
    await admin.end();
    await db.drop();
  });
  server = await startServerProcess(['--no-worker', '--sim-speed', speed], { DATABASE_URL: db.url });
  const { token, cli } = await supplier(server);
  const worker = (env: Record<string, string> = {}) => {
    const w = spawnWorker(db.url, env);
    children.push(w);
    return w;
  };
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<R>(text, values)).rows;
    } finally {
      await c.end();
    }
  };
  return { db, dbName, admin, server, token, cli, worker, query };
}

/** Unfinished deliveries as a comparable fingerprint per row; a pass over a region rewrites its rows (observation, state). */
async function unfinishedByRegion(query: <R extends pg.QueryResultRow>(text: string) => Promise<R[]>): Promise<Map<string, Map<string, string>>> {
  const rows = await query<{ region: string; id: string; fp: string }>(
    `select region, id, concat_ws('|', state, progress, obs_last_ms, next_poll_at_ms, updated_at, finished_at) as fp from deliveries where finished_at is null`,
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) out.set(r.region, (out.get(r.region) ?? new Map()).set(r.id, r.fp));
  return out;
}

const pgSkip = postgresBackend.skipReason;
describe.skipIf(pgSkip !== null)('PostgreSQL outages and worker deaths (real processes)', () => {
  it('a server and two workers stay up through 10 s of terminated backends, /readyz says 503 meanwhile, and the distribution finishes with no region stalled over 20 s', async () => {
    const { dbName, admin, server, token, cli, worker, query } = await rig('400');
    const names = await createPackages(cli, 3, TEN, [200, 300, 400]);
    const workers = [worker(), worker()];
    await Promise.all(workers.map(workerStarted));
    for (const n of names) expect((await cli(['package', 'publish', n, '--json'])).code).toBe(0);
    // In the middle: some copy has started and most of the work is left.
    for (let i = 0; (await query(`select 1 from delivery_events where type = 'CopyStarted'`)).length === 0; i++) {
      if (i > 600) throw new Error('no copy started');
      await sleep(100);
    }
    const before = await unfinishedByRegion(query);
    expect(before.size).toBeGreaterThan(5);

    const readyz: number[] = [];
    await admin.query(`alter database ${dbName} with allow_connections false`);
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]);
      readyz.push(await fetch(`${server.url}/readyz`).then((r) => r.status, () => 0));
      await sleep(200);
    }
    await admin.query(`alter database ${dbName} with allow_connections true`);
    const backAt = Date.now();
    const procs = [server.child, ...workers];
    expect(procs.map(alive)).toEqual([true, true, true]);
    expect(readyz).toContain(503);
    expect(readyz).not.toContain(0);

    // Each region with work left resumes: a pass rewrites one of its unfinished rows, or finishes them all.
    const atBack = await unfinishedByRegion(query);
    const resumedAfterMs = new Map<string, number>();
    while (resumedAfterMs.size < atBack.size && Date.now() - backAt < 3 * MAX_STALL_MS) {
      const now = await unfinishedByRegion(query);
      for (const [region, rows] of atBack) {
        if (resumedAfterMs.has(region)) continue;
        const cur = now.get(region);
        if (!cur || [...rows].some(([id, fp]) => cur.get(id) !== fp)) resumedAfterMs.set(region, Date.now() - backAt);
      }
      await sleep(250);
    }
    process.stderr.write(`[pg-outage] readyz ${readyz.filter((s) => s === 503).length}/${readyz.length} not ready; resumed after ${JSON.stringify(Object.fromEntries(resumedAfterMs))} ms\n`);
    expect([...atBack.keys()].filter((r) => !resumedAfterMs.has(r))).toEqual([]);
    expect(Math.max(...resumedAfterMs.values())).toBeLessThanOrEqual(MAX_STALL_MS);

    const statuses = await waitAllFinal(server, token, names, 180_000);
    expect(statuses.map((s) => [s.state, s.regions.map((r) => r.state)])).toEqual(names.map(() => ['Available', Array(10).fill('Available')]));
    const byDelivery = copiesByDelivery(await distributionImages(server));
    expect([...byDelivery.values()].every((l) => l.length === 1)).toBe(true);
    expect(byDelivery.size).toBe(33);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(procs.map(alive)).toEqual([true, true, true]);
  }, 300_000);

  it('a worker killed while it holds a region: another worker takes the region over within 20 s', async () => {
    const { server, token, cli, worker, query } = await rig('400');
    const names = await createPackages(cli, 2, TEN, [200, 300]);
    const survivor = worker();
    await workerStarted(survivor);
    // The other worker kills itself (SIGKILL) right after its first CopyImage, inside a pass.
    const doomed = worker({ IMAGENEST_FAILPOINTS: 'after-copy-image=1' });
    const died = new Promise((r) => doomed.once('exit', r));
    await workerStarted(doomed);
    for (const n of names) expect((await cli(['package', 'publish', n, '--json'])).code).toBe(0);
    const doneWithoutDeath = waitAllFinal(server, token, names, 180_000).then(() => {
      throw new Error('the survivor did all the work: the doomed worker never copied');
    });
    await Promise.race([died, doneWithoutDeath]);
    doneWithoutDeath.catch(() => {});
    const diedAt = Date.now();
    expect(doomed.signalCode).toBe('SIGKILL');
    const held = await query<{ region: string; lease_holder: string }>(`select region, lease_holder from region_schedule where lease_holder like $1`, [`%:${doomed.pid}:%`]);
    expect(held.length).toBeGreaterThan(0);

    let takenOverAfterMs: number | undefined;
    while (takenOverAfterMs === undefined && Date.now() - diedAt < 3 * MAX_STALL_MS) {
      const rows = await query<{ region: string }>(`select region from region_schedule where region = any($1) and lease_holder is distinct from $2`, [held.map((h) => h.region), held[0]!.lease_holder]);
      if (rows.length === held.length) takenOverAfterMs = Date.now() - diedAt;
      else await sleep(100);
    }
    process.stderr.write(`[worker-death] ${held.map((h) => h.region).join(',')} taken over after ${takenOverAfterMs} ms\n`);
    expect(takenOverAfterMs).toBeDefined();
    expect(takenOverAfterMs!).toBeLessThanOrEqual(MAX_STALL_MS);

    const statuses = await waitAllFinal(server, token, names, 180_000);
    expect(statuses.every((s) => s.state === 'Available')).toBe(true);
    expect([...copiesByDelivery(await distributionImages(server)).values()].every((l) => l.length === 1)).toBe(true);
    expect(alive(survivor)).toBe(true);
  }, 300_000);
});
