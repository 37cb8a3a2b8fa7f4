/**
 * `imagenest instance …` and `service test|resolve` as processes, against the API served over a
 * real socket by this test (so it can make the service through the repositories: the services
 * API is another branch's). The simulator deployer runs what the CLI asks for.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../src/api/app.ts';
import type { SimulatorDeployer } from '../src/cloud/simulator/deployer.ts';
import { listen } from '../src/runtime/http-listen.ts';
import type { Store } from '../src/store/database.ts';
import { runCli } from './support/server-process.ts';
import { draftServiceFixture } from './support/deploy-fixture.ts';
import { depsFor, makeAccount } from './support/fixtures.ts';
import { makeService, rosTemplate } from './support/services.ts';
import { pgliteBackend } from './support/stores.ts';

let store: Store;
let url: string;
let close: () => Promise<void>;
let token: string;
let serviceId: string;
let deployer: SimulatorDeployer;
let imageId: string;
let owner: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const f = await draftServiceFixture(store);
  ({ deployer, imageId, serviceId } = f);
  const api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer });
  const l = await listen('127.0.0.1', 0);
  l.serve(api.fetch);
  url = l.url;
  close = () => l.close();
  token = f.supplier.token;
  owner = f.supplier.accountId;
});
afterAll(async () => {
  await close?.();
  await store?.close();
});

const cli = (args: string[]) => runCli(['--url', url, '--token', token, ...args]);

describe('imagenest instance', () => {
  it('creates an instance and prints the image IDs it used, exactly the CLI.md shape', async () => {
    const r = await cli(['instance', 'create', '--service', serviceId, '--region', 'cn-hangzhou', '--param', 'Size=large', '--wait', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ state: 'Deployed', region: 'cn-hangzhou', images: [{ placeholder: 'agent_image', package: 'agent', version: 'draft', imageId }] });
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(['id', 'state', 'region', 'images']));
    expect((await deployer.describeInstances({ account: owner, region: 'cn-hangzhou' })).map((i) => i.imageId)).toEqual([imageId]);
    const shown = await cli(['instance', 'show', r.json.id, '--json']);
    expect(shown.json.id).toBe(r.json.id);
    const listed = await cli(['instance', 'list', '--json']);
    expect(listed.json.items.map((i: { id: string }) => i.id)).toContain(r.json.id);
    const deleted = await cli(['instance', 'delete', r.json.id, '--json']);
    expect([deleted.code, deleted.json.state]).toEqual([0, 'Deleted']);
    expect(await deployer.describeInstances({ account: owner, region: 'cn-hangzhou' })).toEqual([]);
  });

  it('exits 1 with IMAGE_NOT_AVAILABLE_IN_REGION where the image is not, and 2 on a malformed --param', async () => {
    const r = await cli(['instance', 'create', '--service', serviceId, '--region', 'cn-shanghai', '--json']);
    expect([r.code, r.json.error.code]).toEqual([1, 'IMAGE_NOT_AVAILABLE_IN_REGION']);
    expect(await deployer.describeInstances({ account: owner, region: 'cn-shanghai' })).toEqual([]);
    const bad = await cli(['instance', 'create', '--service', serviceId, '--region', 'cn-hangzhou', '--param', 'novalue']);
    expect(bad.code).toBe(2);
  });

  it('exits 1 when the deployment itself Failed, still printing the instance with its error (--json and human)', async () => {
    // A whitelisted consumer of the draft association: the supplier's own source image is not shared with it.
    const deps = depsFor(store);
    const consumer = await makeAccount(deps, 'consumer');
    const packageId = (await store.db.selectFrom('packages').select('id').where('name', '=', 'agent').executeTakeFirstOrThrow()).id;
    const { serviceId: shared } = await makeService(deps, { accountId: owner, role: 'supplier' }, {
      name: 'unshared_svc',
      files: [rosTemplate('agent_image')],
      visibility: 'whitelist',
      accounts: [consumer.accountId],
      state: 'Online',
      associations: [{ placeholder: 'agent_image', packageId, versionNumber: null }],
    });
    const args = ['--url', url, '--token', consumer.token, 'instance', 'create', '--service', shared, '--region', 'cn-hangzhou'];
    const json = await runCli([...args, '--json']);
    expect([json.code, json.json.state, json.json.error.code]).toEqual([1, 'Failed', 'IMAGE_NOT_SHARED']);
    expect((await runCli(args)).code).toBe(1);
    expect(await deployer.describeInstances({ account: consumer.accountId })).toEqual([]);
  });

  it('lists where a service can be deployed now and why not elsewhere (--draft: the open revision), as JSON and as a table', async () => {
    const r = await cli(['service', 'regions', 'agent_svc', '--draft', '--json']);
    expect(r.code).toBe(0);
    const byRegion = new Map(r.json.items.map((i: { region: string }) => [i.region, i]));
    expect(byRegion.get('cn-hangzhou')).toEqual({ region: 'cn-hangzhou', deployable: true, refusals: [] });
    expect(byRegion.get('cn-shanghai')).toMatchObject({ deployable: false, refusals: [{ placeholder: 'agent_image', version: 'draft', region: 'cn-shanghai' }] });
    const only = await cli(['service', 'regions', serviceId, '--draft', '--deployable', '--json']);
    expect(only.json.items.map((i: { region: string }) => i.region)).toEqual(['cn-hangzhou']);
    const human = await cli(['service', 'regions', 'agent_svc', '--draft']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/deployable now in 1 of \d+ regions/);
    expect(human.stdout).toMatch(/^cn-hangzhou\s+yes\s*$/m);
    expect(human.stdout).toMatch(/^cn-shanghai\s+no\s+agent_image: agent draft is a draft, usable only in its source region$/m);
  });

  it('test-deploys and resolves a service byte for byte', async () => {
    const t = await cli(['service', 'test', 'agent_svc', '--region', 'cn-hangzhou', '--json']);
    expect([t.code, t.json.state, t.json.test]).toEqual([0, 'Deployed', true]);
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'inest-resolve-')), 'resolved.yaml');
    const r = await cli(['service', 'resolve', serviceId, '--region', 'cn-hangzhou', '-o', out]);
    expect(r.code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(rosTemplate(imageId).text);
  });
});
