/** End to end: `imagenest service …` against the real server, create → associate → submit → approve → publish. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from './support/pg-database.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let dir: string;

beforeAll(async () => {
  // On PostgreSQL when there is one: the server starts without creating an embedded database.
  const base = process.env.TEST_DATABASE_URL;
  database = base ? await createDatabase(base) : undefined;
  server = await startServerProcess(['--sim-speed', '1000', ...(database ? ['--database-url', database.url] : [])]);
  dir = await mkdtemp(path.join(tmpdir(), 'imagenest-svc-'));
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (token: string, args: string[]) => runCli(['--url', server.url, '--token', token, ...args]);

const template = [
  'ROSTemplateFormatVersion: "2015-09-01"',
  'Resources:',
  '  Web:',
  '    Type: ALIYUN::ECS::Instance',
  '    Properties:',
  '      ImageId: m-webplaceholder',
  '  Db:',
  '    Type: ALIYUN::ECS::Instance',
  '    Properties:',
  '      ImageId: m-dbplaceholder',
  '',
].join('\n');

// One walk-through in steps (each a test, run in order). Each step starts several CLI processes,
// which take seconds each on a loaded machine: the timeout is a hang guard, not a speed check.
describe('imagenest service against a real server: create → associate → submit → approve → publish', { timeout: 600_000 }, () => {
  let supplier: { id: string; token: string };
  let consumer: { id: string; token: string };
  let serviceId: string;
  const account = async (name: string, role: string) => (await cli(server.adminToken, ['account', 'create', '--name', name, '--role', role, '--json'])).json;

  it('sets up a supplier with a published package, and a consumer', async () => {
    supplier = await account('vendor', 'supplier');
    consumer = await account('buyer', 'consumer');
    const image = (await cli(supplier.token, ['sim', 'image', 'create', '--region', 'cn-hangzhou', '--size-gib', '20', '--json'])).json;
    const pkg = await cli(supplier.token, [
      'package', 'create', '--name', 'web_image', '--version-name', 'v1_0', '--description', 'Web and database server image',
      '--source-region', 'cn-hangzhou', '--image-id', image.imageId, '--regions', 'cn-shanghai', '--json',
    ]);
    expect(pkg.code).toBe(0);
    expect((await cli(supplier.token, ['package', 'publish', 'web_image', '--json'])).code).toBe(0);
  });

  it('creates a whitelisted ROS service from a file, listing its placeholders', async () => {
    const file = path.join(dir, 'shop.yaml');
    await writeFile(file, template);
    const created = await cli(supplier.token, ['service', 'create', '--name', 'web_shop', '--template', file, '--visibility', 'whitelist', '--accounts', consumer.id, '--json']);
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ name: 'web_shop', state: 'Draft', visibility: 'whitelist', deployType: 'ros' });
    expect(created.json.revisions.draft.placeholders.map((p: { value: string }) => p.value)).toEqual(['m-webplaceholder', 'm-dbplaceholder']);
    serviceId = created.json.id;
  });

  it('refuses to submit before every placeholder is associated, then associates and submits', async () => {
    const early = await cli(supplier.token, ['service', 'submit', 'web_shop', '--json']);
    expect([early.code, early.json.error.code]).toEqual([1, 'SERVICE_NOT_READY']);
    const web = await cli(supplier.token, ['service', 'associate', 'web_shop', '--placeholder', 'm-webplaceholder', '--package', 'web_image', '--version', '1', '--json']);
    expect(web.code).toBe(0);
    // Published: the package has no draft any more.
    const noDraft = await cli(supplier.token, ['service', 'associate', serviceId, '--placeholder', 'm-dbplaceholder', '--package', 'web_image', '--version', 'draft', '--json']);
    expect([noDraft.code, noDraft.json.error.code]).toEqual([1, 'NOT_FOUND']);
    expect((await cli(supplier.token, ['service', 'associate', 'web_shop', '--placeholder', 'm-dbplaceholder', '--package', 'web_image', '--version', '1'])).code).toBe(0);
    const submitted = await cli(supplier.token, ['service', 'submit', 'web_shop', '--json']);
    expect([submitted.code, submitted.json.state]).toEqual([0, 'Submitted']);
  });

  it('lets only the admin approve (a reason-less reject is a usage error), and the supplier publish', async () => {
    const selfApprove = await cli(supplier.token, ['service', 'approve', serviceId, '--json']);
    expect([selfApprove.code, selfApprove.json.error.code]).toEqual([1, 'FORBIDDEN']);
    expect((await cli(server.adminToken, ['service', 'reject', serviceId, '--json'])).code).toBe(2);
    const queue = await cli(server.adminToken, ['service', 'list', '--state', 'Submitted', '--json']);
    expect(queue.json.items.map((s: { id: string }) => s.id)).toEqual([serviceId]);
    expect((await cli(server.adminToken, ['service', 'approve', serviceId, '--json'])).json.state).toBe('Approved');
    const published = await cli(supplier.token, ['service', 'publish', 'web_shop', '--json']);
    expect([published.code, published.json.state]).toEqual([0, 'Online']);
  });

  it('shows the Online service to the whitelisted consumer, and to the supplier with its associations', async () => {
    const seen = await cli(consumer.token, ['service', 'list', '--json']);
    expect(seen.json.items.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([['web_shop', 'Online']]);
    const human = await cli(supplier.token, ['service', 'show', 'web_shop']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/State\s+Online/);
    expect(human.stdout).toMatch(/m-dbplaceholder\s+template\.yaml:10:16 Db\s+web_image\s+1/);
  });
});
