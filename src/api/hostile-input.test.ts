/**
 * Issue 11, findings 5 and 9, in memory: input a hostile client sends is refused with 400
 * VALIDATION_FAILED naming the field (never 500, never stored altered), error bodies stay
 * small, bodies are read only after authentication, and roles bound the simulator.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { draftServiceFixture } from '../../test/support/deploy-fixture.ts';
import { makeAccount } from '../../test/support/fixtures.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi, MAX_BODY_BYTES } from './app.ts';

let store: Store;
let api: ReturnType<typeof createApi>;
let supplier: string;
let consumer: string;
let admin: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const f = await draftServiceFixture(store);
  supplier = f.supplier.token;
  consumer = (await makeAccount(f.deps, 'consumer')).token;
  admin = (await makeAccount(f.deps, 'admin')).token;
  api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer: f.deployer });
});
afterAll(async () => store?.close());

function call(token: string | null, method: string, path: string, payload?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return api.request(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
}

interface Answer {
  status: number;
  code: string | undefined;
  fields: string[];
  rules: string[];
  bytes: number;
  body: { error?: { details?: { omittedViolations?: number } } };
}
async function answer(res: Response): Promise<Answer> {
  const raw = await res.text();
  const body = JSON.parse(raw) as { error?: { code: string; details?: { violations?: { field: string; rule: string }[]; omittedViolations?: number } } };
  const violations = body.error?.details?.violations ?? [];
  return { status: res.status, code: body.error?.code, fields: violations.map((v) => v.field), rules: violations.map((v) => v.rule), bytes: raw.length, body };
}

const pkg = (over: Record<string, unknown> = {}, content: Record<string, unknown> = {}) => ({
  name: 'hostile_pkg',
  description: 'a package for hostile input',
  version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: ['cn-shanghai'], ...content } },
  ...over,
});

describe('finding 5: NUL and lone surrogates', () => {
  it.each([
    ['a description', pkg({ description: 'a description \u0000 with NUL' }), 'description'],
    ['a tag value', pkg({ tags: [{ key: 'k', value: 'v\u0000' }] }), 'tags.0.value'],
    ['a region', pkg({}, { regions: ['cn-shanghai\u0000'] }), 'version.content.regions.0'],
    ['a lone high surrogate', pkg({ description: 'lone \uD800 surrogate here' }), 'description'],
    ['a lone low surrogate', pkg({ description: 'lone \uDC00 surrogate here' }), 'description'],
  ])('refuses %s in a body with VALIDATION_FAILED naming the field', async (_what, payload, field) => {
    const a = await answer(await call(supplier, 'POST', '/v1/packages', payload));
    expect([a.status, a.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(a.fields).toContain(field);
    expect(a.rules).toContain('characters');
  });

  it('refuses NUL in an account name, a path parameter and a query parameter', async () => {
    const name = await answer(await call(admin, 'POST', '/v1/accounts', { name: 'evil\u0000', role: 'consumer' }));
    expect([name.status, name.code, name.fields]).toEqual([400, 'VALIDATION_FAILED', ['name']]);
    const path = await answer(await call(supplier, 'GET', '/v1/packages/%00'));
    expect([path.status, path.code, path.fields]).toEqual([400, 'VALIDATION_FAILED', ['param.package']]);
    const deep = await answer(await call(supplier, 'GET', '/v1/packages/agent/versions/draft/regions/%00/image-id'));
    expect([deep.status, deep.code, deep.fields]).toEqual([400, 'VALIDATION_FAILED', ['param.region']]);
    const query = await answer(await call(supplier, 'GET', '/v1/packages?nameContains=%00'));
    expect([query.status, query.code, query.fields]).toEqual([400, 'VALIDATION_FAILED', ['nameContains']]);
  });

  it('stores what it echoes: a surrogate pair (an emoji) is kept as sent', async () => {
    const res = await call(supplier, 'POST', '/v1/packages', pkg({ name: 'emoji_pkg', description: 'an emoji 😀 in the text' }));
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    expect(((await (await call(supplier, 'GET', `/v1/packages/${id}`)).json()) as { description: string }).description).toBe('an emoji 😀 in the text');
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it.each([
    ['a number for a date', b64(['1', 'x'])],
    ['a NUL ID', b64(['2026-01-01T00:00:00.000Z', '\u0000'])],
    ['a year PostgreSQL cannot hold', b64(['+275760-09-13T00:00:00.000Z', 'pkg-1'])],
    ['an object', b64({ a: 1 })],
    ['garbage', '!!!not-base64!!!'],
  ])('refuses a forged nextToken (%s) on every listing with VALIDATION_FAILED on nextToken', async (_what, token) => {
    for (const list of ['/v1/packages', '/v1/services']) {
      const a = await answer(await call(supplier, 'GET', `${list}?nextToken=${encodeURIComponent(token)}`));
      expect([a.status, a.code, a.fields]).toEqual([400, 'VALIDATION_FAILED', ['nextToken']]);
    }
  });
});

describe('finding 9: bounds', () => {
  it('answers 90,000 unknown regions (an 800 KB request) with a small error body', async () => {
    const regions = Array.from({ length: 90_000 }, (_, i) => `r${i}`);
    const a = await answer(await call(supplier, 'POST', '/v1/packages', pkg({}, { regions })));
    expect([a.status, a.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(a.fields).toContain('version.content.regions');
    expect(a.rules).toContain('maxItems');
    expect(a.bytes).toBeLessThan(16 * 1024);
  });

  it('caps the violations it reports when each item of a list fails on its own', async () => {
    const parameters = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`P${i}\u0000`, 'v\u0000']));
    const a = await answer(await call(consumer, 'POST', '/v1/instances', { service: 'agent_svc', region: 'cn-hangzhou', parameters }));
    expect([a.status, a.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(a.fields.length).toBeLessThanOrEqual(100);
    expect(a.body.error?.details?.omittedViolations).toBeGreaterThan(0);
    expect(a.bytes).toBeLessThan(64 * 1024);
  });

  it('caps tags and whitelists at the domain limits', async () => {
    const tags = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const t = await answer(await call(supplier, 'POST', '/v1/packages', pkg({ tags })));
    expect([t.status, t.fields, t.rules]).toEqual([400, ['tags'], ['maxItems']]);
    const accounts = Array.from({ length: 101 }, (_, i) => `acc-${i}`);
    const w = await answer(await call(supplier, 'PUT', '/v1/services/agent_svc/visibility', { visibility: 'whitelist', accounts }));
    expect([w.status, w.fields, w.rules]).toEqual([400, ['accounts'], ['maxItems']]);
  });

  it.each([1e-7, 0, -1, 1.5, 1e300])('refuses sizeGiB %s for a simulated image', async (sizeGiB) => {
    const a = await answer(await call(supplier, 'POST', '/v1/sim/images', { region: 'cn-hangzhou', sizeGiB }));
    expect([a.status, a.code, [...new Set(a.fields)]]).toEqual([400, 'VALIDATION_FAILED', ['sizeGiB']]);
  });

  it('refuses a version number beyond what the database holds', async () => {
    const a = await answer(await call(supplier, 'PUT', '/v1/services/agent_svc/associations', { placeholder: 'agent_image', package: 'agent', version: 1e15 }));
    expect([a.status, a.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(a.fields[0]).toMatch(/^version/);
  });

  it('refuses bidi control characters in an account name', async () => {
    const a = await answer(await call(admin, 'POST', '/v1/accounts', { name: 'admin\u202Eresu', role: 'consumer' }));
    expect([a.status, a.code, a.fields, a.rules]).toEqual([400, 'VALIDATION_FAILED', ['name'], ['bidiControl']]);
  });

  it('lets only suppliers and admins make simulated images', async () => {
    const request = { region: 'cn-hangzhou', sizeGiB: 10 };
    expect((await answer(await call(consumer, 'POST', '/v1/sim/images', request))).code).toBe('FORBIDDEN');
    expect((await call(supplier, 'POST', '/v1/sim/images', request)).status).toBe(201);
    expect((await call(admin, 'POST', '/v1/sim/images', request)).status).toBe(201);
  });
});

describe('finding 9: authentication before the body', () => {
  /** A body of `bytes` whose chunks are counted as the server pulls them; no content-length. */
  function countedBody(bytes: number) {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= bytes) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return { stream, pulled: () => pulled };
  }

  it('answers a 2 MiB body without a token 401 without reading it', async () => {
    const body = countedBody(2 * MAX_BODY_BYTES);
    const res = await api.request('/v1/packages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.stream, duplex: 'half' } as RequestInit);
    expect((await answer(res)).code).toBe('UNAUTHENTICATED');
    expect(body.pulled()).toBeLessThan(MAX_BODY_BYTES / 2);
  });

  it('still answers an authenticated body over 1 MiB with 413', async () => {
    const body = countedBody(2 * MAX_BODY_BYTES);
    const res = await api.request('/v1/packages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supplier}` },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    expect((await answer(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });
});
