/** The HTTP API in memory (app.request): auth, tenancy, errors, limits, OpenAPI. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../app/deps.ts';
import type { Store } from '../store/database.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { createApi, MAX_BODY_BYTES } from './app.ts';

let store: Store;
let deps: AppDeps;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  store = await pgliteBackend.open();
  deps = depsFor(store);
  api = createApi(deps, { logger: pino({ level: 'silent' }) });
});
afterAll(async () => store?.close());

const body = {
  name: 'web_app',
  description: 'The web application server image',
  version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1abc', regions: ['cn-shanghai'] } },
};

function call(token: string | null, method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let raw: string | undefined;
  if (payload !== undefined) {
    h['content-type'] ??= 'application/json';
    raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  }
  return api.request(path, { method, headers: h, body: raw });
}

async function json(res: Response) {
  return (await res.json()) as { error?: { code: string; details: { violations: { field: string; rule: string }[] } } } & Record<string, unknown>;
}

describe('authentication', () => {
  it('answers 401 without a token or with an unknown one, and serves public paths without', async () => {
    expect((await call(null, 'GET', '/v1/packages')).status).toBe(401);
    const bad = await call('inest_nope', 'GET', '/v1/packages');
    expect(bad.status).toBe(401);
    expect((await json(bad)).error!.code).toBe('UNAUTHENTICATED');
    expect((await call(null, 'GET', '/healthz')).status).toBe(200);
    expect((await call(null, 'GET', '/readyz')).status).toBe(200);
    expect((await call(null, 'GET', '/v1/regions')).status).toBe(200);
  });

  it('lets only an admin create accounts, and the new token works at once', async () => {
    const admin = await makeAccount(deps, 'admin');
    const supplier = await makeAccount(deps, 'supplier');
    expect((await call(supplier.token, 'POST', '/v1/accounts', { name: 'x', role: 'admin' })).status).toBe(403);
    const res = await call(admin.token, 'POST', '/v1/accounts', { name: 'acme', role: 'supplier' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; token: string };
    expect(created.token).toMatch(/^inest_[A-Za-z0-9_-]{43}$/);
    const me = await call(created.token, 'GET', '/v1/account');
    expect(await me.json()).toMatchObject({ id: created.id, role: 'supplier' });
  });

  it('forbids a consumer from creating packages', async () => {
    const consumer = await makeAccount(deps, 'consumer');
    const res = await call(consumer.token, 'POST', '/v1/packages', body);
    expect(res.status).toBe(403);
  });
});

describe('tenancy', () => {
  it("answers 404 to another account on every package route, exactly as for a missing package", async () => {
    const owner = await makeAccount(deps);
    const other = await makeAccount(deps);
    const created = await json(await call(owner.token, 'POST', '/v1/packages', { ...body, name: 'tenant_pkg' }));
    const id = created.id as string;
    const publish = await call(owner.token, 'POST', `/v1/packages/${id}/publish`);
    expect(publish.status).toBe(202);
    await call(owner.token, 'PATCH', `/v1/packages/${id}/versions/draft`, {
      name: 'v2_0',
      content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1two', regions: ['cn-beijing'] },
    });

    // Every route under /v1/packages/{package} in the OpenAPI document, so new routes are covered too.
    const doc = (await (await call(null, 'GET', '/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/v1/packages/{package}'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), p] as const));
    expect(routes.length).toBeGreaterThanOrEqual(8);

    const payloads: Record<string, unknown> = { PATCH: { description: 'an attempt to change it' } };
    for (const [method, template] of routes) {
      for (const ref of [id, 'tenant_pkg']) {
        for (const version of ['1', 'draft']) {
          const path = template.replace('{package}', ref).replace('{version}', version);
          const theirs = await call(other.token, method, path, payloads[method]);
          const missing = await call(other.token, method, path.replace(ref, ref === id ? 'pkg-00000000000000000000' : 'no_such_pkg'), payloads[method]);
          expect([method, path, theirs.status]).toEqual([method, path, 404]);
          const a = await json(theirs);
          const b = await json(missing);
          expect(a.error!.code).toBe('NOT_FOUND');
          expect(b.error!.code).toBe('NOT_FOUND');
        }
      }
    }
    // Nothing of the owner's changed, and the other account's list is empty.
    const after = await json(await call(owner.token, 'GET', `/v1/packages/${id}`));
    expect(after).toMatchObject({ description: body.description, latestVersion: 1, hasDraft: true });
    expect(await json(await call(other.token, 'GET', '/v1/packages'))).toMatchObject({ items: [] });
  });
});

describe('request errors', () => {
  let token: string;
  beforeAll(async () => {
    token = (await makeAccount(deps)).token;
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await call(token, 'POST', '/v1/packages', '{"name": "x",');
    expect(res.status).toBe(400);
    expect((await json(res)).error!.code).toBe('MALFORMED_JSON');
  });

  it('lists unknown fields and wrong types, never a 500', async () => {
    const res = await call(token, 'POST', '/v1/packages', { ...body, name: 42, colour: 'red', version: { ...body.version, extra: true } });
    expect(res.status).toBe(400);
    const e = (await json(res)).error!;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details.violations.map((v) => [v.field, v.rule])).toEqual(
      expect.arrayContaining([
        ['name', 'type'],
        ['colour', 'unknownField'],
        ['version.extra', 'unknownField'],
      ]),
    );
  });

  it('lists every broken field rule at once', async () => {
    const res = await call(token, 'POST', '/v1/packages', {
      name: 'ab',
      description: 'too short',
      tags: [{ key: 'aliyun_x', value: '' }],
      version: { name: 'v-1', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: ['cn-hangzhou', 'cn-hangzhou', 'xx-nowhere-1'] } },
    });
    expect(res.status).toBe(400);
    const v = (await json(res)).error!.details.violations;
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['name', 'length'],
      ['description', 'length'],
      ['tags[0].key', 'reservedPrefix'],
      ['version.name', 'charset'],
      ['version.content.regions[1]', 'unique'],
      ['version.content.regions[2]', 'knownRegion'],
    ]);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ ...body, description: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await call(token, 'POST', '/v1/packages', big);
    expect(res.status).toBe(413);
    expect((await json(res)).error!.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a non-JSON content type with 415 and a missing body with 400', async () => {
    const res = await call(token, 'POST', '/v1/packages', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    const none = await call(token, 'POST', '/v1/packages');
    expect(none.status).toBe(400);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await call(token, 'GET', '/v1/nothing');
    expect(res.status).toBe(404);
    expect((await json(res)).error!.code).toBe('NOT_FOUND');
  });

  it('answers a change to a published version with 409 VERSION_LOCKED', async () => {
    await call(token, 'POST', '/v1/packages', { ...body, name: 'locked_pkg' });
    expect((await call(token, 'POST', '/v1/packages/locked_pkg/publish')).status).toBe(202);
    const res = await call(token, 'PATCH', '/v1/packages/locked_pkg/versions/1', { content: { regions: ['cn-beijing'] } });
    expect(res.status).toBe(409);
    expect((await json(res)).error!.code).toBe('VERSION_LOCKED');
  });

  it('replays an Idempotency-Key on create and publish with the same status', async () => {
    const h = { 'idempotency-key': 'k-create-api' };
    const a = await call(token, 'POST', '/v1/packages', { ...body, name: 'idem_api' }, h);
    const b = await call(token, 'POST', '/v1/packages', { ...body, name: 'idem_api' }, h);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await json(a)).id).toBe((await json(b)).id);
    const p1 = await call(token, 'POST', '/v1/packages/idem_api/publish', undefined, { 'idempotency-key': 'k-pub' });
    const p2 = await call(token, 'POST', '/v1/packages/idem_api/publish', undefined, { 'idempotency-key': 'k-pub' });
    expect([p1.status, p2.status]).toEqual([202, 202]);
    expect(await json(p2)).toEqual(await json(p1));
    const p3 = await call(token, 'POST', '/v1/packages/idem_api/publish', undefined, { 'idempotency-key': 'k-pub-2' });
    expect((await json(p3)).error!.code).toBe('NO_DRAFT');
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document with the package routes and bearer security', async () => {
    const doc = (await (await call(null, 'GET', '/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/packages', '/v1/packages/{package}', '/v1/packages/{package}/versions', '/v1/packages/{package}/publish', '/v1/accounts']),
    );
    expect(doc.components.securitySchemes.Bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });
});
