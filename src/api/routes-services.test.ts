/** /v1/services in memory (app.request): every route, its access rules and error codes. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../app/deps.ts';
import type { Store } from '../store/database.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { depsFor, makeAccount, packageInput, rosTemplate } from '../../test/support/fixtures.ts';
import { createApi } from './app.ts';

let store: Store;
let deps: AppDeps;
let api: ReturnType<typeof createApi>;
type Account = Awaited<ReturnType<typeof makeAccount>>;
let owner: Account, other: Account, consumer: Account, stranger: Account, admin: Account;

beforeAll(async () => {
  store = await pgliteBackend.open();
  deps = depsFor(store);
  api = createApi(deps, { logger: pino({ level: 'silent' }), ready: async () => {} });
  [owner, other, consumer, stranger, admin] = await Promise.all([
    makeAccount(deps, 'supplier'),
    makeAccount(deps, 'supplier'),
    makeAccount(deps, 'consumer'),
    makeAccount(deps, 'consumer'),
    makeAccount(deps, 'admin'),
  ]);
});
afterAll(async () => store?.close());

async function call(who: Account | null, method: string, path: string, payload?: unknown) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${who.token}`;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await api.request(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as any };
}
const code = (r: { body: any }) => r.body.error?.code;

const ros = rosTemplate;

let n = 0;
async function makeService(who: Account, over: Record<string, unknown> = {}) {
  const r = await call(who, 'POST', '/v1/services', {
    name: `shop_${++n}`,
    description: 'A web shop with a database',
    deployType: 'ros',
    template: ros(['m-web', 'm-db']),
    ...over,
  });
  expect(r.status).toBe(201);
  return r.body;
}

/** A package of `who` with a published version 1 (Available in cn-shanghai) and a draft. */
async function makePackage(who: Account, name: string) {
  const created = await call(who, 'POST', '/v1/packages', packageInput({ name }));
  const id = created.body.id as string;
  expect((await call(who, 'POST', `/v1/packages/${id}/publish`)).status).toBe(202);
  await call(who, 'PATCH', `/v1/packages/${id}/versions/draft`, { name: 'v2_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1two', regions: ['cn-beijing'] } });
  const v1 = await store.db.selectFrom('versions').select('id').where('package_id', '=', id).where('number', '=', 1).executeTakeFirstOrThrow();
  await store.db.updateTable('deliveries').set({ state: 'Available', image_id: 'm-sh-copy' }).where('version_id', '=', v1.id).where('region', '=', 'cn-shanghai').execute();
  return id;
}

async function reconciliations() {
  return store.db.selectFrom('share_reconciliations').select(['package_id', 'generation', 'attempts']).orderBy('package_id').execute();
}

describe('create and show', () => {
  it('creates a Draft service whose view lists the placeholders with their sites', async () => {
    const s = await makeService(owner);
    expect(s).toMatchObject({ state: 'Draft', visibility: 'private', deployType: 'ros', ownerId: owner.accountId, accounts: [] });
    expect(s.revisions.online).toBeNull();
    expect(s.revisions.draft).toMatchObject({ number: 1, state: 'Draft', diagnostics: [], staleAssociations: [] });
    expect(s.revisions.draft.placeholders).toEqual([
      { value: 'm-web', sites: [{ file: 'template.yaml', line: 6, column: 16, resource: 'Vm0', resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId' }], association: null },
      expect.objectContaining({ value: 'm-db', association: null }),
    ]);
    expect((await call(owner, 'GET', `/v1/services/${s.name}`)).body.id).toBe(s.id);
  });

  it('refuses consumers and admins (403), bad fields (400), a taken name (409) and no token (401)', async () => {
    const body = { name: 'refused', description: 'A web shop with a database', deployType: 'ros', template: ros(['m-a']) };
    expect(code(await call(consumer, 'POST', '/v1/services', body))).toBe('FORBIDDEN');
    expect(code(await call(admin, 'POST', '/v1/services', body))).toBe('FORBIDDEN');
    expect((await call(null, 'POST', '/v1/services', body)).status).toBe(401);
    const bad = await call(owner, 'POST', '/v1/services', { ...body, name: 'x', deployType: 'helm', visibility: 'whitelist' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.violations.map((v: any) => `${v.field}:${v.rule}`)).toEqual(['name:length', 'deployType:enum', 'accounts:minItems']);
    expect((await call(owner, 'POST', '/v1/services', { ...body, extra: 1 })).status).toBe(400);
    const first = await makeService(owner);
    const again = await call(owner, 'POST', '/v1/services', { ...body, name: first.name });
    expect([again.status, code(again)]).toEqual([409, 'SERVICE_NAME_TAKEN']);
  });

  it('takes a Terraform bundle, and flags a template that does not fit the deploy type', async () => {
    const tf = { files: { 'main.tf': 'resource "alicloud_instance" "web" {\n  image_id = "m-tfweb"\n}\n', 'vars.tf': 'variable "x" {}\n' } };
    const s = await makeService(owner, { deployType: 'terraform', template: tf });
    expect(s.revisions.draft.template.files.map((f: any) => f.name)).toEqual(['main.tf', 'vars.tf']);
    expect(s.revisions.draft.placeholders[0]).toMatchObject({ value: 'm-tfweb', sites: [{ file: 'main.tf', line: 2, resource: 'web', resourceType: 'alicloud_instance' }] });
    const mismatch = await makeService(owner, { deployType: 'terraform', template: ros(['m-x']) });
    expect(mismatch.revisions.draft.diagnostics.map((d: any) => [d.severity, d.code])).toEqual([['error', 'DEPLOY_TYPE_MISMATCH']]);
  });
});

describe('association', () => {
  it('associates a draft and a published version, with the regions each is usable in now', async () => {
    const s = await makeService(owner);
    const pkg = await makePackage(owner, 'assoc_pkg');
    const before = await reconciliations();
    expect((await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder: 'm-web', package: 'assoc_pkg', version: 1 })).status).toBe(200);
    const r = await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder: 'm-db', package: pkg, version: 'draft' });
    expect(r.status).toBe(200);
    expect(r.body.revisions.draft.placeholders.map((p: any) => p.association)).toEqual([
      { packageId: pkg, packageName: 'assoc_pkg', version: 1, availableRegions: ['cn-shanghai'] },
      { packageId: pkg, packageName: 'assoc_pkg', version: 'draft', availableRegions: ['cn-hangzhou'] },
    ]);
    // Each association asks for the package's shares to be reconciled: a new generation, attempts reset.
    const row = (await reconciliations()).find((x) => x.package_id === pkg)!;
    expect(row.generation).toBe((before.find((x) => x.package_id === pkg)?.generation ?? 0) + 2);
    expect(row.attempts).toBe(0);
  });

  it('refuses an unknown placeholder, package or version, a bad version and a package being deleted', async () => {
    const s = await makeService(owner);
    await makePackage(owner, 'refuse_pkg');
    const put = (body: unknown) => call(owner, 'PUT', `/v1/services/${s.id}/associations`, body);
    expect(code(await put({ placeholder: 'm-nope', package: 'refuse_pkg', version: 1 }))).toBe('PLACEHOLDER_NOT_FOUND');
    expect(code(await put({ placeholder: 'm-web', package: 'no_such_pkg', version: 1 }))).toBe('NOT_FOUND');
    expect(code(await put({ placeholder: 'm-web', package: 'refuse_pkg', version: 7 }))).toBe('NOT_FOUND');
    const bad = await put({ placeholder: 'm-web', package: 'refuse_pkg', version: 0 });
    expect(bad.body.error.details.violations.map((v: any) => `${v.field}:${v.rule}`)).toEqual(['version:format']);
    // Another supplier's package is not the caller's to associate.
    const theirs = await makePackage(other, 'their_pkg');
    expect(code(await put({ placeholder: 'm-web', package: theirs, version: 1 }))).toBe('NOT_FOUND');
    await store.db.updateTable('packages').set({ delete_requested_at: new Date() }).where('name', '=', 'refuse_pkg').execute();
    expect(code(await put({ placeholder: 'm-web', package: 'refuse_pkg', version: 1 }))).toBe('CONFLICT');
  });

  it('removes an association, and answers NOT_FOUND for one that is not there', async () => {
    const s = await makeService(owner);
    const pkg = await makePackage(owner, 'remove_pkg');
    await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder: 'm-web', package: pkg, version: 1 });
    const r = await call(owner, 'DELETE', `/v1/services/${s.id}/associations?placeholder=m-web`);
    expect(r.body.revisions.draft.placeholders[0].association).toBeNull();
    expect(code(await call(owner, 'DELETE', `/v1/services/${s.id}/associations?placeholder=m-web`))).toBe('NOT_FOUND');
  });
});

/** Creates a whitelisted service for `consumer` with both placeholders associated, and takes it Online. */
async function onlineService() {
  const s = await makeService(owner, { visibility: 'whitelist', accounts: [consumer.accountId] });
  const pkg = await makePackage(owner, `online_${n}`);
  for (const placeholder of ['m-web', 'm-db']) await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder, package: pkg, version: 1 });
  expect((await call(owner, 'POST', `/v1/services/${s.id}/submit`)).body.state).toBe('Submitted');
  expect((await call(admin, 'POST', `/v1/services/${s.id}/approve`)).body.state).toBe('Approved');
  const published = await call(owner, 'POST', `/v1/services/${s.id}/publish`);
  expect(published.body).toMatchObject({ state: 'Online', revisions: { online: { number: 1, state: 'Online' }, draft: null } });
  return { s, pkg };
}

describe('review', () => {
  it('refuses to submit with every problem listed', async () => {
    const s = await makeService(owner, { template: ros(['m-web', '!Ref Image']) });
    const r = await call(owner, 'POST', `/v1/services/${s.id}/submit`);
    expect([r.status, code(r)]).toEqual([409, 'SERVICE_NOT_READY']);
    expect(r.body.error.details.problems.map((p: any) => p.kind)).toEqual(['templateError', 'unassociated']);
  });

  it('goes Draft → Submitted → Approved → Online, records each step, and reconciles shares on publish', async () => {
    const { s, pkg } = await onlineService();
    const events = (await call(owner, 'GET', `/v1/services/${s.id}/events`)).body.items;
    expect(events.filter((e: any) => e.to !== null).map((e: any) => [e.type, e.from, e.to])).toEqual([
      ['create', null, 'Draft'],
      ['submit', 'Draft', 'Submitted'],
      ['approve', 'Submitted', 'Approved'],
      ['publish', 'Approved', 'Online'],
    ]);
    expect(events.find((e: any) => e.type === 'approve').actor).toBe(admin.accountId);
    expect((await reconciliations()).find((x) => x.package_id === pkg)!.generation).toBe(3);
  });

  it('lets the whitelisted consumer see the Online service only, and hides it from everyone else', async () => {
    const { s } = await onlineService();
    const seen = await call(consumer, 'GET', `/v1/services/${s.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.accounts).toBeUndefined();
    expect(seen.body.revisions).toEqual({ online: expect.not.objectContaining({ template: expect.anything() }), draft: null });
    expect(code(await call(stranger, 'GET', `/v1/services/${s.id}`))).toBe('NOT_FOUND');
    expect(code(await call(consumer, 'GET', `/v1/services/${s.name}`))).toBe('NOT_FOUND');
    // Seen but not theirs to act on.
    expect(code(await call(consumer, 'POST', `/v1/services/${s.id}/offline`))).toBe('FORBIDDEN');
    expect(code(await call(consumer, 'GET', `/v1/services/${s.id}/events`))).toBe('FORBIDDEN');
  });

  it('enforces who may act: owner not approve, admin not publish or edit', async () => {
    const s = await makeService(owner);
    expect(code(await call(owner, 'POST', `/v1/services/${s.id}/approve`))).toBe('FORBIDDEN');
    expect(code(await call(admin, 'POST', `/v1/services/${s.id}/publish`))).toBe('FORBIDDEN');
    expect(code(await call(admin, 'PUT', `/v1/services/${s.id}/template`, { template: ros(['m-a']) }))).toBe('FORBIDDEN');
    expect(code(await call(admin, 'POST', `/v1/services/${s.id}/approve`))).toBe('INVALID_STATE_TRANSITION');
    expect(code(await call(owner, 'POST', `/v1/services/${s.id}/publish`))).toBe('INVALID_STATE_TRANSITION');
    expect(code(await call(other, 'POST', `/v1/services/${s.id}/submit`))).toBe('NOT_FOUND');
  });

  it('rejects with a reason only, and an edit takes the revision back to Draft', async () => {
    const s = await makeService(owner, { template: ros(['m-web']) });
    const pkg = await makePackage(owner, 'reject_pkg');
    await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder: 'm-web', package: pkg, version: 'draft' });
    await call(owner, 'POST', `/v1/services/${s.id}/submit`);
    expect(code(await call(owner, 'PUT', `/v1/services/${s.id}/template`, { template: ros(['m-web']) }))).toBe('INVALID_STATE_TRANSITION');
    expect(code(await call(admin, 'POST', `/v1/services/${s.id}/reject`, { reason: '  ' }))).toBe('VALIDATION_FAILED');
    const rejected = await call(admin, 'POST', `/v1/services/${s.id}/reject`, { reason: 'the database image is not hardened' });
    expect(rejected.body.revisions.draft).toMatchObject({ state: 'Rejected', rejectReason: 'the database image is not hardened' });
    const edited = await call(owner, 'PUT', `/v1/services/${s.id}/template`, { template: ros(['m-web', 'm-cache']) });
    expect(edited.body.revisions.draft).toMatchObject({ number: 1, state: 'Draft' });
  });

  it('edits an Online service in a new Draft revision, dropping associations whose placeholder left, and publishing it supersedes the old one', async () => {
    const { s, pkg } = await onlineService();
    const edited = await call(owner, 'PUT', `/v1/services/${s.id}/template`, { template: ros(['m-web', 'm-cache']) });
    expect(edited.status).toBe(200);
    expect(edited.body.droppedAssociations).toEqual([{ placeholder: 'm-db', packageId: pkg, version: 1 }]);
    expect(edited.body).toMatchObject({ state: 'Online', revisions: { online: { number: 1 }, draft: { number: 2, state: 'Draft', staleAssociations: [] } } });
    expect(edited.body.revisions.draft.placeholders.map((p: any) => [p.value, p.association?.version ?? null])).toEqual([['m-web', 1], ['m-cache', null]]);
    // The consumer still sees revision 1 only.
    expect((await call(consumer, 'GET', `/v1/services/${s.id}`)).body.revisions).toMatchObject({ online: { number: 1 }, draft: null });
    await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder: 'm-cache', package: pkg, version: 1 });
    await call(owner, 'POST', `/v1/services/${s.id}/submit`);
    await call(admin, 'POST', `/v1/services/${s.id}/approve`);
    const published = await call(owner, 'POST', `/v1/services/${s.id}/publish`);
    expect(published.body.revisions).toMatchObject({ online: { number: 2, state: 'Online' }, draft: null });
    const events = (await call(owner, 'GET', `/v1/services/${s.id}/events`)).body.items;
    expect(events.filter((e: any) => e.type === 'supersede').map((e: any) => [e.revision, e.from, e.to, e.actor])).toEqual([[1, 'Online', 'Offline', null]]);
  });

  it('publishing a revision that no longer uses a package asks for that package\'s shares too: the service stops counting for it', async () => {
    const { s, pkg } = await onlineService();
    const other = await makePackage(owner, `replacement_${n}`);
    for (const placeholder of ['m-web', 'm-db']) await call(owner, 'PUT', `/v1/services/${s.id}/associations`, { placeholder, package: other, version: 1 });
    await call(owner, 'POST', `/v1/services/${s.id}/submit`);
    await call(admin, 'POST', `/v1/services/${s.id}/approve`);
    const before = (await reconciliations()).find((x) => x.package_id === pkg)!.generation;
    expect((await call(owner, 'POST', `/v1/services/${s.id}/publish`)).body.revisions.online.number).toBe(2);
    expect((await reconciliations()).find((x) => x.package_id === pkg)!.generation).toBe(before + 1);
  });

  it('takes a service offline (admin), hiding it from consumers, and sets visibility at once', async () => {
    const { s, pkg } = await onlineService();
    const generation = (await reconciliations()).find((x) => x.package_id === pkg)!.generation;
    const vis = await call(owner, 'PUT', `/v1/services/${s.id}/visibility`, { visibility: 'public' });
    expect(vis.body).toMatchObject({ visibility: 'public', accounts: [] });
    expect((await call(stranger, 'GET', `/v1/services/${s.id}`)).status).toBe(200);
    expect((await reconciliations()).find((x) => x.package_id === pkg)!.generation).toBe(generation + 1);
    const badVis = await call(owner, 'PUT', `/v1/services/${s.id}/visibility`, { visibility: 'whitelist' });
    expect(badVis.body.error.details.violations.map((v: any) => `${v.field}:${v.rule}`)).toEqual(['accounts:minItems']);
    expect(code(await call(stranger, 'PUT', `/v1/services/${s.id}/visibility`, { visibility: 'private' }))).toBe('FORBIDDEN');
    expect((await call(admin, 'POST', `/v1/services/${s.id}/offline`)).body.state).toBe('Offline');
    expect((await reconciliations()).find((x) => x.package_id === pkg)!.generation).toBe(generation + 2);
    expect(code(await call(stranger, 'GET', `/v1/services/${s.id}`))).toBe('NOT_FOUND');
    expect(code(await call(owner, 'POST', `/v1/services/${s.id}/offline`))).toBe('INVALID_STATE_TRANSITION');
  });
});

describe('list', () => {
  it("lists the caller's own and the Online ones visible to it; admin all, by state; pages with nextToken", async () => {
    const lister = await makeAccount(deps, 'consumer');
    const { s } = await onlineService();
    await call(owner, 'PUT', `/v1/services/${s.id}/visibility`, { visibility: 'whitelist', accounts: [lister.accountId] });
    const mine = await call(lister, 'GET', '/v1/services');
    expect(mine.body.items.map((x: any) => [x.id, x.state, x.onlineRevision, x.draftRevision])).toEqual([[s.id, 'Online', 1, null]]);
    const submitted = await makeService(owner, { template: ros(['m-x']) });
    await call(owner, 'PUT', `/v1/services/${submitted.id}/associations`, { placeholder: 'm-x', package: await makePackage(owner, 'queue_pkg'), version: 1 });
    await call(owner, 'POST', `/v1/services/${submitted.id}/submit`);
    const queue = await call(admin, 'GET', '/v1/services?state=Submitted');
    expect(queue.body.items.map((x: any) => x.id)).toContain(submitted.id);
    expect(queue.body.items.every((x: any) => x.state === 'Submitted')).toBe(true);
    expect(code(await call(admin, 'GET', '/v1/services?state=Bogus'))).toBe('VALIDATION_FAILED');
    const ids: string[] = [];
    let token: string | null = null;
    do {
      const page: any = await call(owner, 'GET', `/v1/services?limit=2${token ? `&nextToken=${token}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.items.map((x: any) => x.id));
      token = page.body.nextToken;
    } while (token);
    expect(ids).toContain(submitted.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('OpenAPI', () => {
  it('documents every service route with a summary and its error statuses, and each answers 404 to a caller who cannot see the service', async () => {
    const doc = (await (await api.request('/v1/openapi.json')).json()) as { paths: Record<string, Record<string, any>> };
    const routes = Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/services'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const [, ops] of routes) {
      for (const op of Object.values(ops)) {
        expect(op.summary).toBeTruthy();
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409']));
      }
    }
    const s = await makeService(owner);
    const payload = (method: string, path: string): unknown => {
      if (path.endsWith('/reject')) return { reason: 'no' };
      if (method !== 'PUT') return undefined;
      if (path.endsWith('/template')) return { template: ros(['m-a']) };
      if (path.endsWith('/visibility')) return { visibility: 'public' };
      return { placeholder: 'm-web', package: 'x_pkg', version: 1 };
    };
    for (const [path, ops] of routes.filter(([p]) => p.includes('{service}'))) {
      for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
        const url = path.replace('{service}', s.id) + (method === 'DELETE' ? '?placeholder=m-web' : '');
        const r = await call(consumer, method, url, payload(method, path));
        expect([method, path, r.status, code(r)]).toEqual([method, path, 404, 'NOT_FOUND']);
      }
    }
  });
});
