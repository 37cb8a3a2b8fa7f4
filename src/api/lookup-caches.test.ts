/**
 * The API with its lookup caches (app/lookup-caches.ts), in memory on both databases: image IDs
 * and resolved templates come from memory once seen, yet a deletion, a cancellation or a retry
 * acknowledged by any process (here: a second API with caches of its own on the same database)
 * is never served past, and a consumer taken off a whitelist is refused on its next request.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployer } from '../cloud/deployer.ts';
import type { AppDeps } from '../app/deps.ts';
import type { MappingWriters } from '../app/image-map.ts';
import { createLookupCaches } from '../app/lookup-caches.ts';
import type { Store } from '../store/database.ts';
import { markCancelled } from '../store/deliveries-repo.ts';
import { backends } from '../../test/support/stores.ts';
import { depsFor, makeAccount, packageInput } from '../../test/support/fixtures.ts';
import { makeService, rosTemplate } from '../../test/support/services.ts';
import { createApi } from './app.ts';

const REGION = 'cn-shanghai';
/** The template route is served only beside a deployer; these tests deploy nothing. */
const NO_DEPLOYER = {} as Deployer;

describe.each(backends)('lookup caches on $name', (backend) => {
  if (backend.skipReason) {
    process.stderr.write(`\n[imagenest tests] ${backend.skipReason}\n`);
    it.skip(backend.skipReason, () => {});
    return;
  }

  let store: Store;
  let statements = 0;
  /** Two API processes on one database, each with caches of its own. */
  let one: { deps: AppDeps; api: ReturnType<typeof createApi> };
  let two: { deps: AppDeps; api: ReturnType<typeof createApi> };
  /** The embedded database's case: the only process that can change the mapping. */
  let alone: { deps: AppDeps; api: ReturnType<typeof createApi> };
  type Account = Awaited<ReturnType<typeof makeAccount>>;
  let owner: Account, consumer: Account, bystander: Account;

  function apiProcess(writers: MappingWriters): { deps: AppDeps; api: ReturnType<typeof createApi> } {
    const db = store.db.withPlugin({
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const deps: AppDeps = { ...depsFor(store), db };
    deps.lookups = createLookupCaches(db, writers, () => performance.now());
    return { deps, api: createApi(deps, { logger: pino({ level: 'silent' }), ready: async () => {}, deployer: NO_DEPLOYER }) };
  }

  beforeAll(async () => {
    store = await backend.open();
    one = apiProcess('any-process');
    two = apiProcess('any-process');
    alone = apiProcess('this-process');
    owner = await makeAccount(one.deps, 'supplier');
    consumer = await makeAccount(one.deps, 'consumer');
    bystander = await makeAccount(one.deps, 'consumer');
  });
  afterAll(async () => store?.close());

  async function call(p: { api: ReturnType<typeof createApi> }, who: Account, method: string, path: string, body?: unknown, accept = 'application/json') {
    const headers: Record<string, string> = { authorization: `Bearer ${who.token}`, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await p.api.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
  }

  let n = 0;
  /** A package of the owner with version 1 published and Available in REGION as `imageId`. */
  async function published(imageId: string): Promise<{ name: string; versionId: string }> {
    const name = `cached_${++n}`;
    const created = await call(one, owner, 'POST', '/v1/packages', packageInput({ name }));
    expect((await call(one, owner, 'POST', `/v1/packages/${created.body.id}/publish`)).status).toBe(202);
    const v = await store.db.selectFrom('versions').select('id').where('package_id', '=', created.body.id).where('number', '=', 1).executeTakeFirstOrThrow();
    await store.db.updateTable('deliveries').set({ state: 'Available', image_id: imageId }).where('version_id', '=', v.id).where('region', '=', REGION).execute();
    return { name, versionId: v.id };
  }
  const imageIdPath = (name: string) => `/v1/packages/${name}/versions/1/regions/${REGION}/image-id`;

  it('serves a warm image-id lookup (JSON and text) with one statement: the version stamp', async () => {
    const { name } = await published('m-warm');
    expect((await call(one, owner, 'GET', imageIdPath(name))).body).toEqual({ imageId: 'm-warm', region: REGION, version: 1 });
    const before = statements;
    expect((await call(one, owner, 'GET', imageIdPath(name))).body).toEqual({ imageId: 'm-warm', region: REGION, version: 1 });
    expect((await call(one, owner, 'GET', imageIdPath(name), undefined, 'text/plain')).text).toBe('m-warm');
    expect(statements - before).toBe(2);
  });

  it('serves a warm lookup without a statement where this process alone changes the mapping, and never past its own deletion or cancellation', async () => {
    const deleted = await published('m-alone');
    const cancelled = await published('m-alone-cancelled');
    for (const p of [deleted, cancelled]) expect((await call(alone, owner, 'GET', imageIdPath(p.name))).body.imageId).toMatch(/^m-alone/);
    const before = statements;
    expect((await call(alone, owner, 'GET', imageIdPath(deleted.name))).body.imageId).toBe('m-alone');
    expect(statements - before).toBe(0);
    expect((await call(alone, owner, 'DELETE', `/v1/packages/${deleted.name}/versions/1`)).status).toBe(202);
    const r = await call(alone, owner, 'GET', imageIdPath(deleted.name));
    expect([r.status, r.body.error.details?.state]).toEqual([409, 'Deleting']);
    expect((await call(alone, owner, 'POST', `/v1/packages/${cancelled.name}/versions/1/cancel`)).status).toBe(202);
    // Still Available until the engine deletes it, as without a cache; then never again.
    expect((await call(alone, owner, 'GET', imageIdPath(cancelled.name))).body.imageId).toBe('m-alone-cancelled');
    const d = await store.db.selectFrom('deliveries').selectAll().where('version_id', '=', cancelled.versionId).where('region', '=', REGION).executeTakeFirstOrThrow();
    await markCancelled(store.db, d, Date.now(), { versionId: cancelled.versionId, region: REGION, atMs: Date.now(), type: 'Cancelled', message: 'cancelled' });
    expect((await call(alone, owner, 'GET', imageIdPath(cancelled.name))).body.error.details?.state).toBe('Cancelled');
  });

  it('never serves a version past its deletion, in the process that deleted it nor in another', async () => {
    const { name } = await published('m-deleted');
    for (const p of [one, two]) expect((await call(p, owner, 'GET', imageIdPath(name))).body.imageId).toBe('m-deleted');
    expect((await call(one, owner, 'DELETE', `/v1/packages/${name}/versions/1`)).status).toBe(202);
    for (const p of [two, one]) {
      const r = await call(p, owner, 'GET', imageIdPath(name));
      expect([r.status, r.body.error.code, r.body.error.details?.state]).toEqual([409, 'REGION_NOT_AVAILABLE', 'Deleting']);
    }
  });

  it('refuses a version whose package another process marked deleting, even with no delivery cancelled', async () => {
    const { name } = await published('m-package-deleting');
    expect((await call(two, owner, 'GET', imageIdPath(name))).body.imageId).toBe('m-package-deleting');
    await store.db.updateTable('packages').set({ delete_requested_at: new Date() }).where('name', '=', name).execute();
    const r = await call(two, owner, 'GET', imageIdPath(name));
    expect([r.status, r.body.error.details?.state]).toEqual([409, 'Deleting']);
  });

  it('never serves a copy the engine cancelled after a cancellation another process acknowledged', async () => {
    const { name, versionId } = await published('m-cancelled');
    expect((await call(two, owner, 'GET', imageIdPath(name))).body.imageId).toBe('m-cancelled');
    expect((await call(one, owner, 'POST', `/v1/packages/${name}/versions/1/cancel`)).status).toBe(202);
    // The engine deletes the finished copy (no process's cache hears of it).
    const d = await store.db.selectFrom('deliveries').selectAll().where('version_id', '=', versionId).where('region', '=', REGION).executeTakeFirstOrThrow();
    await markCancelled(store.db, d, Date.now(), { versionId, region: REGION, atMs: Date.now(), type: 'Cancelled', message: 'cancelled' });
    const r = await call(two, owner, 'GET', imageIdPath(name));
    expect([r.status, r.body.error.code, r.body.error.details?.state]).toEqual([409, 'REGION_NOT_AVAILABLE', 'Cancelled']);
  });

  it('serves the new copy after a retry (a new generation), never the one remembered before', async () => {
    const { name, versionId } = await published('m-first');
    expect((await call(two, owner, 'GET', imageIdPath(name))).body.imageId).toBe('m-first');
    // Another process cancels, the engine deletes the copy, the owner retries and the new copy lands.
    await store.db.updateTable('deliveries').set({ state: 'Cancelled', cancel_requested: true }).where('version_id', '=', versionId).where('region', '=', REGION).execute();
    await store.db.updateTable('versions').set({ state: 'Cancelled' }).where('id', '=', versionId).execute();
    expect((await call(one, owner, 'POST', `/v1/packages/${name}/versions/1/retry`, { region: REGION })).status).toBe(202);
    await store.db.updateTable('deliveries').set({ state: 'Available', image_id: 'm-second' }).where('version_id', '=', versionId).where('region', '=', REGION).execute();
    expect((await call(two, owner, 'GET', imageIdPath(name))).body.imageId).toBe('m-second');
  });

  it('still refuses everyone but the owner with a warm cache', async () => {
    const { name } = await published('m-owned');
    expect((await call(one, owner, 'GET', imageIdPath(name))).status).toBe(200);
    const r = await call(one, consumer, 'GET', imageIdPath(name));
    expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('resolves each template from its own text when analyses are remembered (same file name, other text)', async () => {
    const { name } = await published('m-analysis');
    const pkg = await store.db.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const texts: string[] = [];
    for (const placeholder of ['m-first-site', 'm-second-site']) {
      const { serviceId } = await makeService(one.deps, owner, {
        name: `svc_${placeholder.replaceAll('-', '_')}`,
        files: [rosTemplate(placeholder)],
        state: 'Online',
        associations: [{ placeholder, packageId: pkg.id, versionNumber: 1 }],
      });
      for (let i = 0; i < 2; i++) texts.push((await call(one, owner, 'GET', `/v1/services/${serviceId}/template?region=${REGION}`, undefined, 'text/plain')).text);
    }
    expect(texts).toEqual([...Array(4)].map(() => rosTemplate('m-analysis').text));
  });

  it('refuses the resolved template to a consumer on its first request after it left the whitelist', async () => {
    const { name } = await published('m-template');
    const pkg = await store.db.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const { serviceId } = await makeService(one.deps, owner, {
      name: `svc_${n}`,
      files: [rosTemplate('m-placeholder')],
      visibility: 'whitelist',
      accounts: [consumer.accountId],
      state: 'Online',
      associations: [{ placeholder: 'm-placeholder', packageId: pkg.id, versionNumber: 1 }],
    });
    const path = `/v1/services/${serviceId}/template?region=${REGION}`;
    for (const p of [one, two]) {
      for (let i = 0; i < 2; i++) expect((await call(p, consumer, 'GET', path)).body.images[0].imageId).toBe('m-template');
    }
    expect((await call(one, owner, 'PUT', `/v1/services/${serviceId}/visibility`, { visibility: 'whitelist', accounts: [bystander.accountId] })).status).toBe(200);
    for (const p of [two, one]) expect((await call(p, consumer, 'GET', path)).status).toBe(404);
  });
});
