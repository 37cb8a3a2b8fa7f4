/**
 * Issue 12 scope 7 through the CLI process: `imagenest regions` lists the catalogue, and a
 * mistyped region is answered with the region most likely meant, in the message and in details.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../src/api/app.ts';
import { REGIONS } from '../src/domain/regions.ts';
import { listen } from '../src/runtime/http-listen.ts';
import type { Store } from '../src/store/database.ts';
import { depsFor, makeAccount } from './support/fixtures.ts';
import { runCli } from './support/server-process.ts';
import { pgliteBackend } from './support/stores.ts';

let store: Store;
let url: string;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const deps = depsFor(store);
  token = (await makeAccount(deps)).token;
  const l = await listen('127.0.0.1', 0);
  l.serve(createApi(deps, { logger: pino({ level: 'silent' }) }).fetch);
  url = l.url;
  close = () => l.close();
});
afterAll(async () => {
  await close?.();
  await store?.close();
});

describe('imagenest regions', () => {
  it('lists every region ID with its name, as JSON and as a table', async () => {
    const json = await runCli(['--url', url, 'regions', '--json']);
    expect(json.code).toBe(0);
    expect((json.json as { items: { id: string; name: string }[] }).items.map((r) => [r.id, r.name])).toEqual(REGIONS.map((r) => [r.id, r.name]));
    const human = await runCli(['--url', url, 'regions']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^ID\s+NAME\s+AREA\n/);
    expect(human.stdout).toMatch(/^cn-hangzhou\s+China \(Hangzhou\)\s+china-mainland$/m);
  });
});

describe('a mistyped region', () => {
  const create = (extra: string[]) =>
    runCli(['--url', url, '--token', token, 'package', 'create', '--name', 'typo_pkg', '--version-name', 'v1_0', '--description', 'a package with a typo in a region', '--source-region', 'cn-hangzou', '--image-id', 'm-bp1abc', '--regions', 'eu-centrl-1,cn-shanghai', ...extra]);

  it('names the region meant, for every mistyped field, in details and in the message', async () => {
    const r = await create(['--json']);
    expect(r.code).toBe(1);
    const error = (r.json as { error: { code: string; details: { violations: { field: string; rule: string; didYouMean?: string }[] } } }).error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.violations.map((v) => [v.field, v.rule, v.didYouMean])).toEqual([
      ['version.content.sourceRegion', 'knownRegion', 'cn-hangzhou'],
      ['version.content.regions[0]', 'knownRegion', 'eu-central-1'],
    ]);
    const human = await create([]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("did you mean 'cn-hangzhou'?");
    expect(human.stderr).toContain("did you mean 'eu-central-1'?");
  });
});
