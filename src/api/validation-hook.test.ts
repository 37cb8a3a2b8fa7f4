/**
 * Issue 12 scope 8: one VALIDATION_FAILED lists every failing field — a missing required member
 * or a member of the wrong type no longer hides the field rules the rest of the body breaks.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi } from './app.ts';

let store: Store;
let api: ReturnType<typeof createApi>;
let token: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const deps = depsFor(store);
  api = createApi(deps, { logger: pino({ level: 'silent' }) });
  token = (await makeAccount(deps)).token;
});
afterAll(async () => store?.close());

async function send(method: string, path: string, payload: unknown) {
  const res = await api.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = (await res.json()) as { error: { code: string; details: { violations: { field: string; rule: string }[] } } };
  return { status: res.status, code: body.error?.code, fields: body.error?.details?.violations.map((v) => `${v.field}:${v.rule}`).sort() };
}

describe('a validation error lists every failing field', () => {
  it('names a missing required member together with every field rule the rest breaks', async () => {
    const r = await send('POST', '/v1/packages', {
      description: 'short',
      version: { name: 'v', content: { sourceRegion: 'cn-hangzhou', imageId: 'ubuntu', regions: [] } },
    });
    expect([r.status, r.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.fields).toEqual(['description:length', 'name:required', 'version.content.imageId:format', 'version.content.regions:minItems', 'version.name:length'].sort());
  });

  it('names members of the wrong type once, and still checks the well-typed ones', async () => {
    const r = await send('POST', '/v1/packages', {
      name: 'ok_name',
      description: 42,
      tags: [{ key: 'aliyun_x', value: '' }],
      version: { content: { sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: 'cn-shanghai' } },
    });
    expect([r.status, r.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.fields).toEqual(['description:type', 'tags[0].key:reservedPrefix', 'version.content.regions:type', 'version.name:required'].sort());
  });

  it('names a missing object once, not each member inside it', async () => {
    const r = await send('POST', '/v1/packages', { name: 'x' });
    expect(r.fields).toEqual(['description:required', 'name:length', 'version:required']);
  });

  it('checks a draft save and a package change the same way, naming draft fields version.*', async () => {
    const created = await send('POST', '/v1/packages', {
      name: 'valid_pkg',
      description: 'a package for the validation test',
      version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-abc', regions: ['cn-shanghai'] } },
    });
    expect(created.status).toBe(201);
    const save = await send('PATCH', '/v1/packages/valid_pkg/versions/draft', { name: 'v', unknown: 1, content: { regions: 'cn-shanghai', sourceRegion: 'mars' } });
    expect([save.status, save.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(save.fields).toEqual(['version.content.regions:type', 'version.content.sourceRegion:knownRegion', 'version.name:length', 'version.unknown:unknownField'].sort());
    const change = await send('PATCH', '/v1/packages/valid_pkg', { description: 'short', tags: 'x' });
    expect(change.fields).toEqual(['description:length', 'tags:type']);
  });
});
