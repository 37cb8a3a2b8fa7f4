/** The console's files at `/` beside the API: assets, the index for every page path, the API untouched. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../app/deps.ts';
import type { Store } from '../store/database.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { depsFor } from '../../test/support/fixtures.ts';
import { createApi } from './app.ts';

let store: Store;
let deps: AppDeps;
let root: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  deps = depsFor(store);
  root = await mkdtemp(path.join(tmpdir(), 'imagenest-console-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(path.join(root, 'assets', 'app-1234.js'), 'console.log(1)');
});
afterAll(async () => {
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const api = (consoleRoot: string | undefined) => createApi(deps, { logger: pino({ level: 'silent' }), console: { root: consoleRoot } });

describe('the console at /', () => {
  it('serves the index at / and at every page path, revalidated, without a token', async () => {
    for (const p of ['/', '/packages', '/packages/web_app', '/services/new']) {
      const res = await api(root).request(p);
      expect([p, res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([p, 200, 'text/html; charset=utf-8', 'no-cache']);
      expect(await res.text()).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets for good, and a missing asset as 404, not the index', async () => {
    const res = await api(root).request('/assets/app-1234.js');
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await api(root).request('/assets/gone-5678.js')).status).toBe(404);
  });

  it('leaves the API its paths: /v1 needs a token and answers JSON errors', async () => {
    const app = api(root);
    const v1 = await app.request('/v1/packages');
    expect([v1.status, ((await v1.json()) as { error: { code: string } }).error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await app.request('/v1/no-such-route')).status).toBe(401);
    expect(((await (await app.request('/healthz')).json()) as { status: string }).status).toBe('ok');
  });

  it('says how to build the console when it is not built', async () => {
    const res = await api(path.join(root, 'missing')).request('/packages');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
  });

  it('is not served by an API created without it: / needs a token', async () => {
    expect((await createApi(deps, { logger: pino({ level: 'silent' }) }).request('/')).status).toBe(401);
  });
});
