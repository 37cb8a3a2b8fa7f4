/**
 * Distribution on real processes: the server at high simulated speed on embedded PGlite, and
 * on PostgreSQL separate worker processes that are killed with SIGKILL or run three at once.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../src/domain/regions.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { copiesByDelivery, createPackages, distributionImages, spawnWorker, supplier, waitAllFinal } from './support/distribution-procs.ts';
import { createDatabase } from './support/pg-database.ts';
import { postgresBackend } from './support/stores.ts';

const servers: ServerProcess[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers) await s.stop();
});

describe('distribution on the real server (embedded PGlite)', () => {
  it('publishes a 40 GiB image to 25 regions: all Available, exactly one image each in the distribution account', async () => {
    const server = await startServerProcess(['--sim-speed', '3000']);
    servers.push(server);
    const { token, cli } = await supplier(server);
    const regions = REGIONS.slice(0, 25).map((r) => r.id);
    const source = 'cn-hangzhou';
    expect(regions).toContain(source);
    await createPackages(cli, 1, regions, [40], source);
    const published = await cli(['package', 'publish', 'pkg_0', '--wait', '--timeout', '240', '--json']);
    expect(published.code).toBe(0);
    expect(published.json).toMatchObject({ package: 'pkg_0', version: 1, state: 'Available' });
    expect(published.json.regions).toHaveLength(25);
    expect(published.json.regions.every((r: { state: string }) => r.state === 'Available')).toBe(true);

    const images = await distributionImages(server);
    const live = images.filter((i) => !i.deleted);
    expect(live.map((i) => i.region).sort()).toEqual([...regions].sort());
    expect(live.every((i) => i.status === 'Available')).toBe(true);
    // Never a second copy: one image ever made per delivery (the source region's is the ingested image).
    expect([...copiesByDelivery(images).values()].every((l) => l.length === 1)).toBe(true);
    expect(images).toHaveLength(25);

    const id = await cli(['package', 'image-id', 'pkg_0', '--version', '1', '--region', 'ap-southeast-1', '--json']);
    expect(id.json.imageId).toBe(published.json.regions.find((r: { region: string }) => r.region === 'ap-southeast-1').imageId);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/imagenest_cloud_api_calls_total\{action="CopyImage",outcome="ok"\} 25/);
    void token;
  }, 300_000);
});

const pgSkip = postgresBackend.skipReason;
describe.skipIf(pgSkip !== null)('distribution with worker processes on PostgreSQL', () => {
  const TEN = REGIONS.filter((r) => r.id !== 'cn-hangzhou').slice(0, 10).map((r) => r.id);

  function startWorker(url: string, env: Record<string, string> = {}): ChildProcess {
    const child = spawnWorker(url, { IMAGENEST_SWEEP_MS: '1000', IMAGENEST_LEASE_SECONDS: '4', ...env });
    children.push(child);
    return child;
  }

  /** Runs a worker until it dies: killed by us after `killAfterMs`, or at its failpoint (it logs the failpoint's name first). */
  async function workerLife(url: string, failpointRate: number, killAfterMs: number | null): Promise<'killed' | 'failpoint'> {
    const w = startWorker(url, { IMAGENEST_FAILPOINTS: `after-copy-image=${failpointRate}` });
    let log = '';
    w.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    let killed = false;
    const timer = killAfterMs === null ? undefined : setTimeout(() => (killed = w.kill('SIGKILL')), killAfterMs);
    const signal = await new Promise<NodeJS.Signals | null>((r) => w.once('exit', (_code, sig) => r(sig)));
    clearTimeout(timer);
    // The failpoint logs its name, then SIGKILLs its own process: a SIGKILL we did not send is
    // the failpoint's even when the log line was lost with the process.
    const logged = log.split('\n').some((line) => line.startsWith('{') && JSON.parse(line).failpoint === 'after-copy-image');
    const atFailpoint = logged || (!killed && signal === 'SIGKILL');
    if (killed === atFailpoint) throw new Error(`a worker ended ${killed ? 'both killed and at the failpoint' : 'by itself'}:\n${log}`);
    return killed ? 'killed' : 'failpoint';
  }

  /** A server without a worker on a fresh database; everything it started is stopped afterwards. */
  async function withPgServer(fn: (ctx: { url: string; server: ServerProcess; token: string; cli: (args: string[]) => ReturnType<typeof runCli> }) => Promise<void>) {
    const db = await createDatabase(process.env.TEST_DATABASE_URL!);
    const server = await startServerProcess(['--no-worker', '--sim-speed', '1500'], { DATABASE_URL: db.url });
    try {
      const { token, cli } = await supplier(server);
      await fn({ url: db.url, server, token, cli });
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await server.stop();
      await db.drop();
    }
  }

  it('survives SIGKILL at five fixed moments and deaths at the after-copy-image failpoint: every delivery Available, one copy per (version, region), no orphans', async () => {
    await withPgServer(async ({ url, server, token, cli }) => {
      const names = await createPackages(cli, 3, TEN, [120, 200, 300]);
      for (const n of names) expect((await cli(['package', 'publish', n, '--json'])).code).toBe(0);
      // The first worker dies at the failpoint right after its first CopyImage returned, before
      // the result is stored (certain: there is work to copy). Then each worker is killed at the
      // next fixed moment of its life, unless it dies at the failpoint first (by chance, 15 %).
      // Deaths are counted as they happen, by how each worker ended.
      const KILL_AFTER_MS = [1_500, 2_200, 2_900, 3_600, 4_300];
      const deaths = { killed: 0, failpoint: 0 };
      deaths[await workerLife(url, 1, null)]++;
      expect(deaths).toEqual({ killed: 0, failpoint: 1 });
      for (let lives = 1; deaths.killed < KILL_AFTER_MS.length; lives++) {
        // A failpoint death every time is next to impossible at 15 %; stop rather than loop.
        if (lives > 40) throw new Error(`only ${deaths.killed} kills in ${lives} worker lives`);
        deaths[await workerLife(url, 0.15, KILL_AFTER_MS[deaths.killed]!)]++;
      }
      process.stderr.write(`[crash] ${deaths.killed} SIGKILLs at fixed moments, ${deaths.failpoint} at the after-copy-image failpoint\n`);
      startWorker(url);
      const statuses = await waitAllFinal(server, token, names, 180_000);
      for (const s of statuses) {
        expect(s.state).toBe('Available');
        expect(s.regions.map((r) => r.state)).toEqual(Array(10).fill('Available'));
      }
      // A failed or orphaned copy may still be on its way out: wait until only the 33 kept remain.
      let images = await distributionImages(server);
      for (let i = 0; i < 60 && images.filter((x) => !x.deleted).length > 33; i++) {
        await new Promise((r) => setTimeout(r, 500));
        images = await distributionImages(server);
      }
      const byDelivery = copiesByDelivery(images);
      // 30 copies and 3 ingests: each made exactly once, however often the worker died.
      expect(byDelivery.size).toBe(33);
      expect([...byDelivery.values()].every((l) => l.length === 1)).toBe(true);
      // 30 copies, and each of the 3 versions' ingested image, kept in its source region cn-hangzhou (issue 10).
      const live = images.filter((i) => !i.deleted);
      expect(live).toHaveLength(33);
      expect(live.every((i) => i.status === 'Available')).toBe(true);
      expect(live.filter((i) => i.region === 'cn-hangzhou')).toHaveLength(3);
    });
  }, 300_000);

  it('relays through entry regions and survives workers killed right after an entry copy’s CopyImage returned: one copy per (version, region)', async () => {
    await withPgServer(async ({ url, server, token, cli }) => {
      // Six large versions into the Americas: enough queued work there that the engine relays.
      const AMERICAS = ['us-east-1', 'us-west-1', 'na-south-1'];
      const names = await createPackages(cli, 6, ['cn-beijing', ...AMERICAS], [300, 260, 220, 200, 180, 160]);
      for (const n of names) expect((await cli(['package', 'publish', n, '--json'])).code).toBe(0);
      // Every worker dies at its first entry copy's failpoint (SIGKILL right after CopyImage
      // returned, before the result is stored); once no entry copy is left to start, one lives on.
      const final = waitAllFinal(server, token, names, 240_000);
      let entryDeaths = 0;
      for (;;) {
        const w = startWorker(url, { IMAGENEST_FAILPOINTS: 'after-entry-copy-image=1' });
        let log = '';
        w.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
        const exited = new Promise<NodeJS.Signals | null>((r) => w.once('exit', (_code, sig) => r(sig)));
        const outcome = await Promise.race([exited, final.then(() => 'final' as const)]);
        if (outcome === 'final') {
          w.kill('SIGTERM');
          break;
        }
        const atFailpoint = log.split('\n').some((line) => line.startsWith('{') && JSON.parse(line).failpoint === 'after-entry-copy-image');
        if (!atFailpoint && outcome !== 'SIGKILL') throw new Error(`a worker ended by itself:\n${log}`);
        if (++entryDeaths > 12) throw new Error('more worker deaths than entry copies could cause');
      }
      process.stderr.write(`[relay-crash] ${entryDeaths} workers died right after an entry copy's CopyImage\n`);
      expect(entryDeaths).toBeGreaterThan(0);
      for (const s of await final) expect([s.state, ...s.regions.map((r) => r.state)]).toEqual(Array(5).fill('Available'));
      const byDelivery = copiesByDelivery(await distributionImages(server));
      // 24 copies and 6 ingests, each made exactly once, however often a worker died.
      expect(byDelivery.size).toBe(30);
      expect([...byDelivery.values()].every((l) => l.length === 1)).toBe(true);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const relayed = await db
        .query<{ n: number }>(`select count(*)::int as n from deliveries where kind = 'copy' and copy_source_region = any($1)`, [AMERICAS])
        .finally(() => db.end());
      expect(relayed.rows[0]!.n).toBeGreaterThan(0);
    });
  }, 300_000);

  it('shares the work of 5 versions × 10 regions among 3 workers without copying anything twice', async () => {
    await withPgServer(async ({ url, server, token, cli }) => {
      const names = await createPackages(cli, 5, TEN, [60, 90, 150, 200, 250]);
      const workers = [startWorker(url), startWorker(url), startWorker(url)];
      for (const n of names) expect((await cli(['package', 'publish', n, '--json'])).code).toBe(0);
      const statuses = await waitAllFinal(server, token, names, 180_000);
      expect(statuses.every((s) => s.state === 'Available')).toBe(true);
      const images = await distributionImages(server);
      const byDelivery = copiesByDelivery(images);
      expect(byDelivery.size).toBe(55);
      expect([...byDelivery.values()].every((l) => l.length === 1)).toBe(true);
      // Each delivery started once, and by more than one worker overall.
      const started = statuses.flatMap((s) => s.events.filter((e) => e.type === 'CopyStarted'));
      expect(started).toHaveLength(50);
      // Which worker started each copy, from the event's recorded data rather than its wording.
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const rows = await db
        .query<{ worker: string; copies: number }>(`select data->>'worker' as worker, count(*)::int as copies from delivery_events where type = 'CopyStarted' group by 1`)
        .finally(() => db.end());
      const byWorker = new Map(rows.rows.map((r) => [r.worker, r.copies]));
      expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(50);
      expect(byWorker.size).toBeGreaterThanOrEqual(2);
      process.stderr.write(`[multi-worker] copies started per worker: ${JSON.stringify([...byWorker.values()])}\n`);
      for (const w of workers) w.kill('SIGTERM');
    });
  }, 300_000);
});
