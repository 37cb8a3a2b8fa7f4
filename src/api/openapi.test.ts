/**
 * The OpenAPI document as a client generator and its readers see it: valid OpenAPI 3.1, every
 * operation with an operationId, tags, a description and its 401, every request body with an
 * example the API itself accepts, and an error code enum holding every code the server's source
 * can raise (collected from the source, not listed here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { makeAccount } from '../../test/support/fixtures.ts';
import { draftServiceFixture } from '../../test/support/deploy-fixture.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi } from './app.ts';
import { OPERATIONS } from './openapi-document.ts';

type Doc = {
  openapi: string;
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, { operationId?: string; tags?: string[]; description?: string; security?: unknown[]; parameters?: { in: string; name: string; schema: { type?: string } }[]; requestBody?: { content: Record<string, { example?: unknown }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, any> };
};

let store: Store;
let api: ReturnType<typeof createApi>;
let doc: Doc;
let admin: { token: string };

beforeAll(async () => {
  store = await pgliteBackend.open();
  const f = await draftServiceFixture(store);
  admin = await makeAccount(f.deps, 'admin');
  api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer: f.deployer });
  doc = (await (await api.request('http://imagenest.test:8080/v1/openapi.json')).json()) as Doc;
});
afterAll(async () => store?.close());

const operations = () => Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, o]) => ({ key: `${method} ${p}`, method, path: p, o })));

/** Every `ErrorCode.X` the API side of src/ names (the command line's own codes live in src/cli, start-up's in src/runtime). */
function errorCodesInSource(): Set<string> {
  const root = path.resolve(import.meta.dirname, '..');
  const codes = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith('.ts') || file.endsWith('.test.ts') || file.includes(`${path.sep}cli${path.sep}`) || file.includes(`${path.sep}runtime${path.sep}`)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<![A-Za-z])ErrorCode\.([A-Z_]+)/g)) codes.add(m[1]!);
  }
  return codes;
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('names the server it was fetched from, and describes every tag it uses', () => {
    expect(doc.servers.map((s) => s.url)).toEqual(['http://imagenest.test:8080']);
    const described = new Set(doc.tags.map((t) => t.name));
    for (const { key, o } of operations()) for (const t of o.tags ?? []) expect([key, described.has(t)]).toEqual([key, true]);
  });

  it('gives every operation a unique operationId, tags and a description, and every secured one its 401', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(40);
    // The table has no entry for a route that no longer exists either.
    expect(Object.keys(OPERATIONS).sort()).toEqual(ops.map((o) => o.key).sort());
    const ids = ops.map(({ o }) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, o } of ops) {
      expect([key, typeof o.operationId, o.tags?.length, (o.description ?? '').length > 20]).toEqual([key, 'string', 1, true]);
      expect([key, '500' in o.responses]).toEqual([key, true]);
      if (o.security?.length) expect([key, '401' in o.responses]).toEqual([key, true]);
      if (o.requestBody) expect([key, ['400', '413', '415'].filter((s) => !(s in o.responses))]).toEqual([key, []]);
    }
  });

  it('documents limit as an integer query parameter', () => {
    const limits = operations().flatMap(({ key, o }) => (o.parameters ?? []).filter((p) => p.in === 'query' && p.name === 'limit').map((p) => [key, p.schema.type]));
    expect(limits.length).toBeGreaterThanOrEqual(2);
    for (const [key, type] of limits) expect([key, type]).toEqual([key, 'integer']);
  });

  it('types timestamps as date-time', () => {
    const untyped: string[] = [];
    const walk = (s: any, at: string) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries<any>(s.properties ?? {})) {
        if (/(At|Time)$/.test(k) && (v.type === 'string' || (Array.isArray(v.type) && v.type.includes('string'))) && v.format !== 'date-time') untyped.push(`${at}.${k}`);
        walk(v, `${at}.${k}`);
      }
      if (s.items) walk(s.items, `${at}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) for (const [i, v] of (s[k] ?? []).entries()) walk(v, `${at}|${i}`);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) walk(schema, name);
    expect(untyped).toEqual([]);
  });

  it('has an example for every request body, and the API accepts each (no VALIDATION_FAILED)', async () => {
    for (const { key, method, path: p, o } of operations()) {
      const body = o.requestBody?.content['application/json'];
      if (!body) continue;
      expect([key, body.example !== undefined]).toEqual([key, true]);
      const url = p.replace(/\{[^}]+\}/g, 'x_missing');
      const res = await api.request(url, { method: method.toUpperCase(), headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body.example) });
      const answer = (await res.json()) as { error?: { code: string; details?: unknown } };
      expect([key, answer.error?.code === 'VALIDATION_FAILED' ? answer.error.details : 'accepted']).toEqual([key, 'accepted']);
    }
  });

  it('lists, in the error code enum with a meaning each, every code the server can raise (collected from the source)', () => {
    const code = doc.components.schemas.Error.properties.error.properties.code;
    const documented = new Set<string>(code.enum);
    const missing = [...errorCodesInSource()].filter((c) => !documented.has(c));
    expect(missing).toEqual([]);
    for (const c of documented) expect([c, (code.description as string).includes(`\`${c}\`: `)]).toEqual([c, true]);
    // The command line's own codes are not the API's.
    expect(documented.has('USAGE')).toBe(false);
  });

  it('types the details of an error', () => {
    const details = doc.components.schemas.Error.properties.error.properties.details;
    expect(details.$ref ?? '').toMatch(/ErrorDetails$/);
    expect(doc.components.schemas.ErrorDetails.anyOf.length).toBeGreaterThanOrEqual(7);
  });
});
