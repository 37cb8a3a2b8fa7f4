/** The instance, service test and resolved-template routes in memory: every route and its error codes. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { draftServiceFixture } from '../../test/support/deploy-fixture.ts';
import { rosTemplate } from '../../test/support/services.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi } from './app.ts';

let store: Store;
let api: ReturnType<typeof createApi>;
let owner: { accountId: string; token: string };
let viewer: { accountId: string; token: string };
let stranger: { token: string };
let serviceId: string;
let imageId: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const deps = depsFor(store);
  viewer = await makeAccount(deps, 'consumer');
  stranger = await makeAccount(deps, 'consumer');
  const f = await draftServiceFixture(store, { visibility: 'whitelist', accounts: [viewer.accountId] });
  ({ imageId, serviceId } = f);
  owner = f.supplier;
  api = createApi(f.deps, { logger: pino({ level: 'silent' }), simulator: f.sim, deployer: f.deployer });
});
afterAll(async () => store?.close());

function call(token: string, method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
  if (payload !== undefined) h['content-type'] = 'application/json';
  return api.request(path, { method, headers: h, body: payload === undefined ? undefined : JSON.stringify(payload) });
}
async function code(res: Response): Promise<[number, string | undefined]> {
  const body = (await res.json()) as { error?: { code: string } };
  return [res.status, body.error?.code];
}

describe('/v1/instances', () => {
  it('creates, lists, shows, gives events of and deletes an instance; others get 404', async () => {
    const res = await call(owner.token, 'POST', '/v1/instances', { service: 'agent_svc', region: 'cn-hangzhou', parameters: { Size: 'large' } });
    expect(res.status).toBe(201);
    const i = (await res.json()) as { id: string; state: string; images: { imageId: string }[] };
    expect([i.state, i.images[0]!.imageId]).toEqual(['Deployed', imageId]);
    const list = (await (await call(owner.token, 'GET', '/v1/instances')).json()) as { items: { id: string }[] };
    expect(list.items.map((x) => x.id)).toEqual([i.id]);
    expect((await call(owner.token, 'GET', `/v1/instances/${i.id}`)).status).toBe(200);
    expect(await code(await call(stranger.token, 'GET', `/v1/instances/${i.id}`))).toEqual([404, 'NOT_FOUND']);
    expect(await code(await call(stranger.token, 'GET', `/v1/instances/${i.id}/events`))).toEqual([404, 'NOT_FOUND']);
    expect(await code(await call(stranger.token, 'DELETE', `/v1/instances/${i.id}`))).toEqual([404, 'NOT_FOUND']);
    const events = (await (await call(owner.token, 'GET', `/v1/instances/${i.id}/events`)).json()) as { items: { type: string }[] };
    expect(events.items.map((e) => e.type)).toEqual(['DeployRequested', 'ResourceCreated', 'Deployed']);
    const del = await call(owner.token, 'DELETE', `/v1/instances/${i.id}`);
    expect([del.status, ((await del.json()) as { state: string }).state]).toEqual([200, 'Deleted']);
    expect(await code(await call(owner.token, 'DELETE', `/v1/instances/${i.id}`))).toEqual([409, 'INVALID_STATE_TRANSITION']);
  });

  it('refuses a region without the image (409), bad parameters and regions (400), and services the caller cannot see (404)', async () => {
    const refused = await call(owner.token, 'POST', '/v1/instances', { service: serviceId, region: 'cn-shanghai' });
    const body = (await refused.clone().json()) as { error: { details: { refusals: { packageName: string; version: string; region: string; state: string }[] } } };
    expect(await code(refused)).toEqual([409, 'IMAGE_NOT_AVAILABLE_IN_REGION']);
    expect(body.error.details.refusals).toEqual([expect.objectContaining({ packageName: 'agent', version: 'draft', region: 'cn-shanghai', state: 'DraftOnlyInSourceRegion' })]);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, n) => [`k${n}`, 'v']));
    expect(await code(await call(owner.token, 'POST', '/v1/instances', { service: serviceId, region: 'cn-hangzhou', parameters: many }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await call(owner.token, 'POST', '/v1/instances', { service: serviceId, region: 'cn-hangzhou', parameters: { ['k'.repeat(129)]: 'v' } }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await call(owner.token, 'POST', '/v1/instances', { service: serviceId, region: 'xx-nowhere-1' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await call(stranger.token, 'POST', '/v1/instances', { service: serviceId, region: 'cn-hangzhou' }))).toEqual([404, 'NOT_FOUND']);
    expect((await call(owner.token, 'GET', '/v1/instances')).status).toBe(200);
    const rows = await store.db.selectFrom('instances').select('id').where('region', '=', 'cn-shanghai').execute();
    expect(rows).toEqual([]);
  });
});

describe('service test and resolved template', () => {
  it('lets only the owner test: a whitelisted viewer gets 403, a stranger 404', async () => {
    const t = await call(owner.token, 'POST', `/v1/services/${serviceId}/test`, { region: 'cn-hangzhou' });
    expect(t.status).toBe(201);
    expect(((await t.json()) as { test: boolean }).test).toBe(true);
    expect(await code(await call(viewer.token, 'POST', `/v1/services/${serviceId}/test`, { region: 'cn-hangzhou' }))).toEqual([403, 'FORBIDDEN']);
    expect(await code(await call(stranger.token, 'POST', `/v1/services/${serviceId}/test`, { region: 'cn-hangzhou' }))).toEqual([404, 'NOT_FOUND']);
  });

  it('answers the resolved template as JSON, or its single file as text/plain, byte-exact', async () => {
    const expected = rosTemplate(imageId).text;
    const j = (await (await call(owner.token, 'GET', `/v1/services/${serviceId}/template?region=cn-hangzhou`)).json()) as { files: { text: string }[]; images: unknown[] };
    expect(j.files.map((f) => f.text)).toEqual([expected]);
    const t = await call(owner.token, 'GET', `/v1/services/${serviceId}/template?region=cn-hangzhou`, undefined, { accept: 'text/plain' });
    expect(t.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await t.text()).toBe(expected);
    expect(await code(await call(owner.token, 'GET', `/v1/services/${serviceId}/template?region=cn-shanghai`))).toEqual([409, 'IMAGE_NOT_AVAILABLE_IN_REGION']);
    expect(await code(await call(viewer.token, 'GET', `/v1/services/${serviceId}/template?region=cn-hangzhou&revision=draft`))).toEqual([403, 'FORBIDDEN']);
    expect(await code(await call(stranger.token, 'GET', `/v1/services/${serviceId}/template?region=cn-hangzhou`))).toEqual([404, 'NOT_FOUND']);
  });

  it('answers a package image ID as text/plain for Terraform’s http data source', async () => {
    const t = await call(owner.token, 'GET', '/v1/packages/agent/versions/draft/regions/cn-hangzhou/image-id', undefined, { accept: 'text/plain' });
    expect([t.status, await t.text()]).toEqual([200, imageId]);
  });

  it('lists where the service can be deployed now, with the refusals elsewhere, to whoever may see it', async () => {
    type Regions = { revision: number; items: { region: string; deployable: boolean; refusals: { packageName: string; state: string }[] }[] };
    const res = await call(viewer.token, 'GET', `/v1/services/${serviceId}/regions`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Regions;
    expect(r.items.filter((i) => i.deployable).map((i) => i.region)).toEqual(['cn-hangzhou']);
    const shanghai = r.items.find((i) => i.region === 'cn-shanghai')!;
    expect(shanghai.refusals).toEqual([expect.objectContaining({ packageName: 'agent', state: 'DraftOnlyInSourceRegion' })]);
    expect(r.items.length).toBeGreaterThanOrEqual(25);
    expect(await code(await call(stranger.token, 'GET', `/v1/services/${serviceId}/regions`))).toEqual([404, 'NOT_FOUND']);
    expect(await code(await call(viewer.token, 'GET', `/v1/services/${serviceId}/regions?revision=draft`))).toEqual([403, 'FORBIDDEN']);
  });

  it('lists every new route in the OpenAPI document', async () => {
    const doc = (await (await api.request('/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/v1/instances', '/v1/instances/{id}', '/v1/instances/{id}/events', '/v1/services/{service}/test', '/v1/services/{service}/template', '/v1/services/{service}/regions']) expect(doc.paths).toHaveProperty([p]);
  });
});
