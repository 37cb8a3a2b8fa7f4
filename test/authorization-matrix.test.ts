/**
 * The authorization matrix, generated from the OpenAPI document: every operation under
 * /v1/packages, /v1/services and /v1/instances, called as the resource's owner, another
 * supplier, a whitelisted consumer, a consumer off the whitelist and the admin. The expected
 * outcome per (operation, role) is written below from SPEC §2, §6 and §7: an allowed call
 * succeeds; a resource the caller may not see answers 404 NOT_FOUND, one it sees but may not act
 * on 403 FORBIDDEN. An operation the document has and the table lacks fails the test, so a new
 * route cannot slip through unjudged.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../src/api/app.ts';
import * as deployments from '../src/app/deployments.ts';
import * as packages from '../src/app/packages.ts';
import { requestShareReconciliation } from '../src/app/share-requests.ts';
import { SimulatorDeployer } from '../src/cloud/simulator/deployer.ts';
import { openSimDatabase } from '../src/cloud/simulator/sim-migrations.ts';
import type { Caller } from '../src/domain/account.ts';
import { ShareReconciler } from '../src/distribution/share-reconcile.ts';
import type { Store } from '../src/store/database.ts';
import type { RevisionStateColumn } from '../src/store/services-schema.ts';
import { makeAccount } from './support/fixtures.ts';
import { DIST, makeRig, type Rig } from './support/distribution-rig.ts';
import { makeService, rosTemplate } from './support/services.ts';
import { pgliteBackend } from './support/stores.ts';

const ROLES = ['owner', 'supplier', 'whitelisted', 'consumer', 'admin'] as const;
type Role = (typeof ROLES)[number];
/** 'ok': the call succeeds with the row's status; 403 and 404 answer FORBIDDEN and NOT_FOUND. */
type Outcome = 'ok' | 403 | 404;

interface Row {
  /** The status of a successful call. */
  ok: number;
  /** In ROLES order: owner, another supplier, whitelisted consumer, consumer, admin. */
  expect: [Outcome, Outcome, Outcome, Outcome, Outcome];
}

// Packages (SPEC §2): a supplier's own; nobody else sees them, the admin included. Lists show the caller's own.
const OWN_PACKAGE: Row['expect'] = ['ok', 404, 404, 404, 404];
// Instances: the deploying account's alone. Here the whitelisted consumer deployed it.
const OWN_INSTANCE: Row['expect'] = [404, 404, 'ok', 404, 404];
// A service's management (SPEC §7): its owner only; the admin and the whitelisted consumer see the
// Online service and are refused; the others do not see it.
const OWNER_MANAGES: Row['expect'] = ['ok', 404, 403, 404, 403];
// Review: the admin judges; the owner and the whitelisted consumer see the service and may not.
const ADMIN_JUDGES: Row['expect'] = [403, 404, 403, 404, 'ok'];
// Seeing the Online service: its owner, its whitelist and the admin, who sees every service.
const SEES_SERVICE: Row['expect'] = ['ok', 404, 'ok', 404, 'ok'];
// Everyone may list: each sees what is theirs or visible to them.
const ANYONE: Row['expect'] = ['ok', 'ok', 'ok', 'ok', 'ok'];

const TABLE: Record<string, Row> = {
  // Suppliers create packages (SPEC §2), and the platform admin may own some (domain/account.ts); a consumer may not.
  'POST /v1/packages': { ok: 201, expect: ['ok', 'ok', 403, 403, 'ok'] },
  'GET /v1/packages': { ok: 200, expect: ANYONE },
  'GET /v1/packages/{package}': { ok: 200, expect: OWN_PACKAGE },
  'PATCH /v1/packages/{package}': { ok: 200, expect: OWN_PACKAGE },
  'DELETE /v1/packages/{package}': { ok: 204, expect: OWN_PACKAGE },
  'GET /v1/packages/{package}/versions': { ok: 200, expect: OWN_PACKAGE },
  'PATCH /v1/packages/{package}/versions/{version}': { ok: 200, expect: OWN_PACKAGE },
  'GET /v1/packages/{package}/versions/{version}': { ok: 200, expect: OWN_PACKAGE },
  'DELETE /v1/packages/{package}/versions/{version}': { ok: 204, expect: OWN_PACKAGE },
  'POST /v1/packages/{package}/publish': { ok: 202, expect: OWN_PACKAGE },
  'GET /v1/packages/{package}/versions/{version}/status': { ok: 200, expect: OWN_PACKAGE },
  'POST /v1/packages/{package}/versions/{version}/retry': { ok: 202, expect: OWN_PACKAGE },
  'POST /v1/packages/{package}/versions/{version}/cancel': { ok: 202, expect: OWN_PACKAGE },
  'GET /v1/packages/{package}/versions/{version}/regions/{region}/image-id': { ok: 200, expect: OWN_PACKAGE },
  // Only suppliers create services: the admin reviews them.
  'POST /v1/services': { ok: 201, expect: ['ok', 'ok', 403, 403, 403] },
  'GET /v1/services': { ok: 200, expect: ANYONE },
  'GET /v1/services/{service}': { ok: 200, expect: SEES_SERVICE },
  'GET /v1/services/{service}/events': { ok: 200, expect: ['ok', 404, 403, 404, 'ok'] },
  'PUT /v1/services/{service}/template': { ok: 200, expect: OWNER_MANAGES },
  // Reading the Online revision resolved for a region is seeing the service.
  'GET /v1/services/{service}/template': { ok: 200, expect: SEES_SERVICE },
  // Where the service can be deployed now: whoever sees it (the console's region picker).
  'GET /v1/services/{service}/regions': { ok: 200, expect: SEES_SERVICE },
  'PUT /v1/services/{service}/visibility': { ok: 200, expect: OWNER_MANAGES },
  'PUT /v1/services/{service}/associations': { ok: 200, expect: OWNER_MANAGES },
  'DELETE /v1/services/{service}/associations': { ok: 200, expect: OWNER_MANAGES },
  'POST /v1/services/{service}/submit': { ok: 200, expect: OWNER_MANAGES },
  'POST /v1/services/{service}/approve': { ok: 200, expect: ADMIN_JUDGES },
  'POST /v1/services/{service}/reject': { ok: 200, expect: ADMIN_JUDGES },
  'POST /v1/services/{service}/publish': { ok: 200, expect: OWNER_MANAGES },
  // The reviewer may take a service offline too.
  'POST /v1/services/{service}/offline': { ok: 200, expect: ['ok', 404, 403, 404, 'ok'] },
  'POST /v1/services/{service}/test': { ok: 201, expect: OWNER_MANAGES },
  // Whoever sees the Online service may deploy it (domain/service/access.ts): the admin included.
  'POST /v1/instances': { ok: 201, expect: SEES_SERVICE },
  'GET /v1/instances': { ok: 200, expect: ANYONE },
  'GET /v1/instances/{id}': { ok: 200, expect: OWN_INSTANCE },
  'DELETE /v1/instances/{id}': { ok: 200, expect: OWN_INSTANCE },
  'GET /v1/instances/{id}/events': { ok: 200, expect: OWN_INSTANCE },
};

const IN_SCOPE = /^\/v1\/(packages|services|instances)(\/|$)/;

let store: Store;
let rig: Rig;
let api: ReturnType<typeof createApi>;
const callers = {} as Record<Role, Caller & { token: string }>;
/** Packages of the owner, by what the operations need of them. */
const pkg = { available: '', failed: '', delivering: '' };
let sharedPackageId: string;
let serial = 0;

beforeAll(async () => {
  store = await pgliteBackend.open();
  rig = await makeRig(store);
  const deps = rig.deps;
  // makeRig's supplier is made by makeAccount, which returns its token too.
  callers.owner = rig.supplier as Caller & { token: string };
  callers.supplier = await makeAccount(deps, 'supplier');
  callers.whitelisted = await makeAccount(deps, 'consumer');
  callers.consumer = await makeAccount(deps, 'consumer');
  callers.admin = await makeAccount(deps, 'admin');
  // Available in cn-shanghai; eu-central-1 fails, so the owner has something to retry.
  await rig.setFaults({ regionFailureRate: { 'eu-central-1': 1 } });
  pkg.available = (await rig.publish('shared', { regions: ['cn-shanghai'] })).name;
  pkg.failed = (await rig.publish('partly', { regions: ['cn-shanghai', 'eu-central-1'] })).name;
  await rig.settle();
  await rig.setFaults({});
  pkg.delivering = (await rig.publish('underway', { regions: ['cn-shanghai'] })).name;
  sharedPackageId = (await store.db.selectFrom('packages').select('id').where('name', '=', 'shared').executeTakeFirstOrThrow()).id;
  const simDb = await openSimDatabase(store.db);
  api = createApi(deps, { logger: pino({ level: 'silent' }), simulator: rig.sim, deployer: new SimulatorDeployer(simDb, rig.clock) });
  // The copies are shared with the whitelist, as the worker would, so deployments run.
  await service();
  await store.db.transaction().execute((trx) => requestShareReconciliation(trx, [sharedPackageId], new Date()));
  await new ShareReconciler({ db: store.db, cloud: rig.sim, distributionAccount: DIST, log: pino({ level: 'silent' }) }).reconcile(sharedPackageId);
});
afterAll(async () => store?.close());

/** A fresh service of the owner: an Online revision whitelisted to one consumer, and optionally a revision under work. */
async function service(open?: RevisionStateColumn): Promise<string> {
  const { serviceId } = await makeService(rig.deps, rig.supplier, {
    name: `shop_${++serial}`,
    files: [rosTemplate('m-app')],
    visibility: 'whitelist',
    accounts: [callers.whitelisted.accountId],
    state: 'Online',
    ...(open ? { open } : {}),
    associations: [{ placeholder: 'm-app', packageId: sharedPackageId, versionNumber: 1 }],
  });
  return serviceId;
}

/** A fresh draft package of the owner. */
async function draftPackage(): Promise<string> {
  const img = await rig.sim.createImage({ account: rig.supplier.accountId, regionId: 'cn-hangzhou', sizeGiB: 20 });
  const p = await packages.createPackage(rig.deps, rig.supplier, {
    name: `draft_${++serial}`,
    description: 'a package under authorization test',
    version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: img.imageId, regions: ['cn-shanghai'] } },
  });
  return p.name;
}

interface Call {
  path: string;
  body?: unknown;
}

/** Per operation, a fresh resource in the state where the allowed caller succeeds. */
const ARRANGE: Record<string, () => Promise<Call>> = {
  'POST /v1/packages': async () => {
    const img = await rig.sim.createImage({ account: rig.supplier.accountId, regionId: 'cn-hangzhou', sizeGiB: 20 });
    const content = { sourceRegion: 'cn-hangzhou', imageId: img.imageId, regions: ['cn-shanghai'] };
    return { path: '/v1/packages', body: { name: `created_${++serial}`, description: 'a package under authorization test', version: { name: 'v1_0', content } } };
  },
  'GET /v1/packages': async () => ({ path: '/v1/packages' }),
  'GET /v1/packages/{package}': async () => ({ path: `/v1/packages/${pkg.available}` }),
  'PATCH /v1/packages/{package}': async () => ({ path: `/v1/packages/${await draftPackage()}`, body: { description: 'a changed description of it' } }),
  'DELETE /v1/packages/{package}': async () => ({ path: `/v1/packages/${await draftPackage()}` }),
  'GET /v1/packages/{package}/versions': async () => ({ path: `/v1/packages/${pkg.available}/versions` }),
  'PATCH /v1/packages/{package}/versions/{version}': async () => ({ path: `/v1/packages/${await draftPackage()}/versions/draft`, body: { description: 'a changed draft description' } }),
  'GET /v1/packages/{package}/versions/{version}': async () => ({ path: `/v1/packages/${pkg.available}/versions/1` }),
  'DELETE /v1/packages/{package}/versions/{version}': async () => ({ path: `/v1/packages/${await draftPackage()}/versions/draft` }),
  'POST /v1/packages/{package}/publish': async () => ({ path: `/v1/packages/${await draftPackage()}/publish` }),
  'GET /v1/packages/{package}/versions/{version}/status': async () => ({ path: `/v1/packages/${pkg.available}/versions/1/status` }),
  'POST /v1/packages/{package}/versions/{version}/retry': async () => ({ path: `/v1/packages/${pkg.failed}/versions/1/retry`, body: {} }),
  'POST /v1/packages/{package}/versions/{version}/cancel': async () => ({ path: `/v1/packages/${pkg.delivering}/versions/1/cancel` }),
  'GET /v1/packages/{package}/versions/{version}/regions/{region}/image-id': async () => ({ path: `/v1/packages/${pkg.available}/versions/1/regions/cn-shanghai/image-id` }),
  'POST /v1/services': async () => ({ path: '/v1/services', body: { name: `new_${++serial}`, deployType: 'ros', description: 'a service under authorization test', template: rosTemplate('m-app').text } }),
  'GET /v1/services': async () => ({ path: '/v1/services' }),
  'GET /v1/services/{service}': async () => ({ path: `/v1/services/${await service()}` }),
  'GET /v1/services/{service}/events': async () => ({ path: `/v1/services/${await service()}/events` }),
  'PUT /v1/services/{service}/template': async () => ({ path: `/v1/services/${await service('Draft')}/template`, body: { template: rosTemplate('m-app', 'm-other').text } }),
  'GET /v1/services/{service}/template': async () => ({ path: `/v1/services/${await service()}/template?region=cn-shanghai` }),
  'GET /v1/services/{service}/regions': async () => ({ path: `/v1/services/${await service()}/regions` }),
  'PUT /v1/services/{service}/visibility': async () => ({ path: `/v1/services/${await service()}/visibility`, body: { visibility: 'public' } }),
  'PUT /v1/services/{service}/associations': async () => ({ path: `/v1/services/${await service('Draft')}/associations`, body: { placeholder: 'm-app', package: 'shared', version: 1 } }),
  'DELETE /v1/services/{service}/associations': async () => ({ path: `/v1/services/${await service('Draft')}/associations?placeholder=m-app` }),
  'POST /v1/services/{service}/submit': async () => ({ path: `/v1/services/${await service('Draft')}/submit` }),
  'POST /v1/services/{service}/approve': async () => ({ path: `/v1/services/${await service('Submitted')}/approve` }),
  'POST /v1/services/{service}/reject': async () => ({ path: `/v1/services/${await service('Submitted')}/reject`, body: { reason: 'the description is too thin' } }),
  'POST /v1/services/{service}/publish': async () => ({ path: `/v1/services/${await service('Approved')}/publish` }),
  'POST /v1/services/{service}/offline': async () => ({ path: `/v1/services/${await service()}/offline` }),
  'POST /v1/services/{service}/test': async () => ({ path: `/v1/services/${await service('Draft')}/test`, body: { region: 'cn-shanghai' } }),
  'POST /v1/instances': async () => ({ path: '/v1/instances', body: { service: await service(), region: 'cn-shanghai' } }),
  'GET /v1/instances': async () => ({ path: '/v1/instances' }),
  'GET /v1/instances/{id}': async () => ({ path: `/v1/instances/${await instance()}` }),
  'DELETE /v1/instances/{id}': async () => ({ path: `/v1/instances/${await instance()}` }),
  'GET /v1/instances/{id}/events': async () => ({ path: `/v1/instances/${await instance()}/events` }),
};

/** The whitelisted consumer's instance of a fresh Online service, Deployed. */
async function instance(): Promise<string> {
  const deployDeps = { ...rig.deps, deployer: new SimulatorDeployer(await openSimDatabase(store.db), rig.clock) };
  const i = await deployments.createInstance(deployDeps, callers.whitelisted, await service(), { region: 'cn-shanghai' });
  expect(i.state).toBe('Deployed');
  return i.id;
}

async function operations(): Promise<string[]> {
  const doc = (await (await api.request('/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([p]) => IN_SCOPE.test(p))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
}

describe('authorization matrix from the OpenAPI document', () => {
  it('has a row for every operation on packages, services and instances, and none for an operation that is gone', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(30);
    expect(ops.filter((op) => !(op in TABLE) || !(op in ARRANGE))).toEqual([]);
    expect(Object.keys(TABLE).filter((op) => !ops.includes(op))).toEqual([]);
  });

  it('answers every (operation, role) as the table says: success, 403 FORBIDDEN or 404 NOT_FOUND', async () => {
    const mismatches: string[] = [];
    for (const op of await operations()) {
      const row = TABLE[op];
      if (!row) continue;
      const [method] = op.split(' ');
      for (const [i, role] of ROLES.entries()) {
        const { path, body } = await ARRANGE[op]!();
        const headers: Record<string, string> = { authorization: `Bearer ${callers[role].token}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await api.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const json = (await res.json().catch(() => null)) as { error?: { code: string } } | null;
        const want = row.expect[i]!;
        const got = res.status < 400 ? res.status : `${res.status} ${json?.error?.code}`;
        const expected = want === 'ok' ? row.ok : `${want} ${want === 403 ? 'FORBIDDEN' : 'NOT_FOUND'}`;
        if (got !== expected) mismatches.push(`${op} as ${role}: expected ${expected}, got ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
