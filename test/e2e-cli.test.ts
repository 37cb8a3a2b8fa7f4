/** End to end: the real server on a random port, driven by the real CLI with --json. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
let supplierToken: string;

beforeAll(async () => {
  // Simulated time at real speed: a published version stays Delivering throughout the test.
  server = await startServerProcess(['--sim-speed', '1']);
});
afterAll(async () => server?.stop());

const cli = (args: string[], token = supplierToken) => runCli(['--url', server.url, '--token', token, ...args]);

describe('imagenest CLI against a real server', () => {
  it('wrote the admin token with mode 0600', async () => {
    const s = await stat(path.join(server.dataDir, 'admin-token'));
    expect(s.mode & 0o777).toBe(0o600);
    expect(server.adminToken).toMatch(/^inest_/);
  });

  it('creates a supplier account with the admin token', async () => {
    const r = await cli(['account', 'create', '--name', 'acme', '--role', 'supplier', '--json'], server.adminToken);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['createdAt', 'id', 'name', 'role', 'token']);
    expect(r.json).toMatchObject({ name: 'acme', role: 'supplier' });
    supplierToken = r.json.token;
  });

  it('creates, saves, publishes, lists, shows and deletes a package', async () => {
    const image = await cli(['sim', 'image', 'create', '--region', 'cn-hangzhou', '--size-gib', '20', '--json']);
    expect(image.code).toBe(0);
    expect(Object.keys(image.json).sort()).toEqual(['imageId', 'region', 'sizeGiB']);
    const created = await cli([
      'package', 'create', '--name', 'web_app', '--version-name', 'v1_0', '--description', 'Web application server image',
      '--source-region', 'cn-hangzhou', '--image-id', image.json.imageId, '--regions', 'cn-shanghai,ap-southeast-1', '--tag', 'env=prod', '--json',
    ]);
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ name: 'web_app', versions: [{ version: 'draft', state: 'Draft' }] });

    const saved = await cli(['package', 'save', 'web_app', '--regions', 'cn-shanghai,ap-southeast-1,eu-central-1', '--json']);
    expect(saved.code).toBe(0);
    expect(saved.json.content.regions).toEqual(['cn-shanghai', 'ap-southeast-1', 'eu-central-1']);

    const published = await cli(['package', 'publish', 'web_app', '--json']);
    expect(published.code).toBe(0);
    expect(published.json).toMatchObject({ package: 'web_app', version: 1, state: 'Delivering' });

    // Global flags are accepted after the command too.
    const listed = await runCli(['package', 'list', '--tag', 'env=prod', '--json', '--url', server.url, '--token', supplierToken]);
    expect(listed.code).toBe(0);
    expect(listed.json.items.map((p: { name: string }) => p.name)).toEqual(['web_app']);

    const shown = await cli(['package', 'show', created.json.id, '--json']);
    expect(shown.json.versions.map((v: { version: unknown; state: string }) => [v.version, v.state])).toEqual([[1, 'Delivering']]);

    const human = await cli(['package', 'show', 'web_app']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/VERSION\s+NAME\s+STATE/);
    expect(human.stdout).toMatch(/1\s+v1_0\s+Delivering/);

    // Under distribution: its copies are removed first (at once if none has started), then it goes.
    const deleting = await cli(['package', 'delete', 'web_app', '--json']);
    expect(deleting.code).toBe(0);
    expect(['Deleted', 'Deleting']).toContain(deleting.json.state);
    for (let i = 0; ; i++) {
      const shownAfter = await cli(['package', 'show', 'web_app', '--json']);
      if (shownAfter.code === 1 && shownAfter.json.error.code === 'NOT_FOUND') break;
      expect(i).toBeLessThan(60);
      await new Promise((r) => setTimeout(r, 500));
    }

    await cli(['package', 'create', '--name', 'scratch', '--version-name', 'v1_0', '--description', 'a package to delete', '--source-region', 'cn-hangzhou', '--image-id', 'm-bp1e2e', '--regions', 'cn-beijing']);
    const deleted = await cli(['package', 'delete', 'scratch', '--json']);
    expect(deleted.code).toBe(0);
    const gone = await cli(['package', 'show', 'scratch', '--json']);
    expect(gone.code).toBe(1);
    expect(gone.json.error.code).toBe('NOT_FOUND');
  });

  it('reports a validation failure with exit 1 and the error document on stdout', async () => {
    const r = await cli([
      'package', 'create', '--name', 'ab', '--version-name', 'v1_0', '--description', 'short',
      '--source-region', 'cn-hangzhou', '--image-id', 'm-bp1e2e', '--regions', 'cn-shanghai,cn-shanghai', '--json',
    ]);
    expect(r.code).toBe(1);
    expect(Object.keys(r.json)).toEqual(['error']);
    expect(r.json.error.code).toBe('VALIDATION_FAILED');
    expect(r.json.error.details.violations.map((v: { field: string; rule: string }) => [v.field, v.rule])).toEqual([
      ['name', 'length'],
      ['description', 'length'],
      ['version.content.regions[1]', 'unique'],
    ]);
    const human = await cli(['package', 'create', '--name', 'ab', '--version-name', 'v1_0', '--description', 'short', '--source-region', 'cn-hangzhou', '--image-id', 'm-x', '--regions', 'cn-shanghai']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('name: package name must be 3–128 characters; got 2');
  });

  it('exits 2 on wrong usage and 1 on a conflict', async () => {
    const usage = await cli(['package', 'create', '--name', 'only_a_name', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.json.error.code).toBe('USAGE');
    expect((await cli(['package', 'frobnicate'])).code).toBe(2);
    expect((await cli(['package', 'list', '--tag', 'novalue'])).code).toBe(2);
    const noDraft = await cli(['package', 'publish', 'nonexistent_pkg', '--json']);
    expect(noDraft.code).toBe(1);
    expect(noDraft.json.error.code).toBe('NOT_FOUND');
  });

  it('fails clearly when the token is wrong or the server is unreachable', async () => {
    const bad = await cli(['package', 'list', '--json'], 'inest_wrong');
    expect(bad.code).toBe(1);
    expect(bad.json.error.code).toBe('UNAUTHENTICATED');
    const down = await runCli(['--url', 'http://127.0.0.1:9', 'package', 'list', '--json']);
    expect(down.code).toBe(1);
    expect(down.json.error.code).toBe('UNREACHABLE');
  });
});
