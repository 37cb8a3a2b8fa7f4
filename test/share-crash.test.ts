/**
 * Share reconciliation survives a worker process that dies inside it: on PostgreSQL, a worker
 * with the `after-share-call` failpoint kills itself (SIGKILL) right after its first
 * ModifyImageSharePermission returned, holding the package's lease; another worker takes the
 * request over once that lease ran out, and every regional copy ends shared with exactly the
 * service's audience, read from the simulated cloud. One process cannot do this on PGlite, so the
 * suite runs under TEST_DATABASE_URL only (skipped with its reason otherwise, required in CI).
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagenestClient } from '../src/cli/client.ts';
import { servicesClient } from '../src/cli/services-client.ts';
import { distributionImages, spawnWorker, supplier, untilCopies, waitAllFinal, workerStarted } from './support/distribution-procs.ts';
import { createDatabase } from './support/pg-database.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { postgresBackend } from './support/stores.ts';

const SOURCE = 'cn-hangzhou';
const TARGETS = ['cn-shanghai', 'ap-southeast-1', 'eu-central-1'];
/** More than ECS's 10 accounts a call: each copy takes two grants, so a death after the first leaves work. */
const WHITELIST_SIZE = 12;
/** Short leases, so the dead worker's claim on the package runs out within seconds. */
const LEASE = { IMAGENEST_LEASE_SECONDS: '3', IMAGENEST_SWEEP_MS: '500' };

const children: ChildProcess[] = [];
let server: ServerProcess | undefined;
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.stop();
  await database?.drop();
});

function worker(url: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawnWorker(url, { ...LEASE, ...env });
  children.push(child);
  return child;
}

const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode) : c.once('exit', (_code, sig) => r(sig))));

const sameAccounts = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

describe.skipIf(postgresBackend.skipReason !== null)('share reconciliation with worker processes on PostgreSQL', () => {
  it('converges exactly in every region after a worker dies right after a ModifyImageSharePermission call', async () => {
    database = await createDatabase(process.env.TEST_DATABASE_URL!);
    server = await startServerProcess(['--no-worker', '--sim-speed', '1500'], { DATABASE_URL: database.url });
    const s = server;
    const { token, cli } = await supplier(s);
    const admin = new ImagenestClient({ url: s.url, token: s.adminToken });
    const owner = (await new ImagenestClient({ url: s.url, token }).request<{ id: string }>('GET', '/v1/account')).id;

    // A published package, distributed by a worker without failpoints; its copies shared with the owner only.
    const image = await cli(['sim', 'image', 'create', '--region', SOURCE, '--size-gib', '20', '--json']);
    const created = await cli([
      'package', 'create', '--name', 'app', '--version-name', 'v1_0', '--description', 'a package whose shares are reconciled',
      '--source-region', SOURCE, '--image-id', image.json.imageId, '--regions', TARGETS.join(','), '--json',
    ]);
    expect(created.code).toBe(0);
    expect((await cli(['package', 'publish', 'app', '--json'])).code).toBe(0);
    const first = worker(database.url);
    await workerStarted(first);
    expect((await waitAllFinal(s, token, ['app'], 180_000))[0]!.state).toBe('Available');
    const copies = await untilCopies(s, (c) => sameAccounts(c.sharedWith, [owner]), 'a share with the owner');
    expect(copies.map((c) => c.region).sort()).toEqual([SOURCE, ...TARGETS].sort());
    first.kill('SIGTERM');
    await exited(first);

    // A whitelisted service goes Online with no worker running: the share request waits in the database.
    const whitelist: string[] = [];
    for (let i = 0; i < WHITELIST_SIZE; i++) {
      whitelist.push((await admin.request<{ id: string }>('POST', '/v1/accounts', { body: { name: `buyer_${i}`, role: 'consumer' } })).id);
    }
    const services = servicesClient(new ImagenestClient({ url: s.url, token }));
    const template = 'ROSTemplateFormatVersion: "2015-09-01"\nResources:\n  Vm:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: m-app\n';
    await services.create({ name: 'shop', description: 'a service with a long whitelist', deployType: 'ros', visibility: 'whitelist', accounts: whitelist, template });
    await services.associate('shop', { placeholder: 'm-app', package: 'app', version: 1 });
    await services.review('shop', 'submit');
    const svc = await services.get('shop');
    await servicesClient(admin).review(svc.id, 'approve');
    expect((await services.review('shop', 'publish')).state).toBe('Online');

    // The doomed worker: it dies at its first share call, the grant made in the cloud, the run unfinished.
    const desired = [...whitelist, owner].sort();
    const doomed = worker(database.url, { IMAGENEST_FAILPOINTS: 'after-share-call=1' });
    const finishedAlive = untilCopies(s, (c) => sameAccounts(c.sharedWith, desired), 'the doomed worker finishing').then(() => {
      throw new Error('the doomed worker finished the reconciliation without dying at its failpoint');
    });
    finishedAlive.catch(() => {});
    expect(await Promise.race([exited(doomed), finishedAlive])).toBe('SIGKILL');
    const afterDeath = (await distributionImages(s)).filter((c) => !c.deleted);
    // Exactly one call reached the cloud: one copy has its first ten grants, the others none.
    expect(afterDeath.map((c) => c.sharedWith.length).sort((a, b) => a - b)).toEqual([1, 1, 1, 11]);

    // Another worker takes the request over once the dead one's lease ran out, and finishes it.
    const survivor = worker(database.url);
    await workerStarted(survivor);
    const converged = await untilCopies(s, (c) => sameAccounts(c.sharedWith, desired), 'the whitelist shared on every copy');
    expect(converged.map((c) => c.region).sort()).toEqual([SOURCE, ...TARGETS].sort());
    for (const c of converged) expect([c.sharedWith, c.isPublic]).toEqual([desired, false]);
    survivor.kill('SIGTERM');
    await exited(survivor);
  }, 600_000);
});
