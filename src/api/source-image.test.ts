/**
 * Issue 12 scope 6, over the HTTP API in memory with the cloud simulator behind the source-image
 * port: a draft's source image is checked before publish, and a refused publish spends no
 * version number.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../app/deps.ts';
import type { SourceImageVerdict } from '../app/ports.ts';
import { VirtualClock } from '../cloud/simulator/clocks.ts';
import { openSimDatabase } from '../cloud/simulator/sim-migrations.ts';
import { CloudSimulator } from '../cloud/simulator/simulator.ts';
import { CloudSourceImages } from '../distribution/source-images.ts';
import type { Store } from '../store/database.ts';
import { depsFor, makeAccount } from '../../test/support/fixtures.ts';
import { pgliteBackend } from '../../test/support/stores.ts';
import { createApi } from './app.ts';

let store: Store;
let deps: AppDeps;
let sim: CloudSimulator;
let clock: VirtualClock;
let api: ReturnType<typeof createApi>;
let supplier: Awaited<ReturnType<typeof makeAccount>>;
/** When set, what the cloud answers instead of the simulator (a cloud that cannot be asked). */
let override: SourceImageVerdict | undefined;

beforeAll(async () => {
  store = await pgliteBackend.open();
  clock = new VirtualClock();
  sim = new CloudSimulator(await openSimDatabase(store.db), clock, 3);
  const real = new CloudSourceImages(sim);
  deps = depsFor(store, { inspect: (owner, region, imageId) => (override ? Promise.resolve(override) : real.inspect(owner, region, imageId)) });
  api = createApi(deps, { logger: pino({ level: 'silent' }) });
  supplier = await makeAccount(deps);
});
afterAll(async () => store?.close());

async function call(method: string, path: string, payload?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${supplier.token}` };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await api.request(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as any };
}

const image = async (regionId = 'cn-hangzhou', account = supplier.accountId) => (await sim.createImage({ account, regionId, sizeGiB: 20 })).imageId;
const content = (imageId: string, sourceRegion = 'cn-hangzhou') => ({ sourceRegion, imageId, regions: ['cn-shanghai'] });
const create = (name: string, imageId: string, sourceRegion?: string) =>
  call('POST', '/v1/packages', { name, description: 'a package whose image is checked', version: { name: 'v1_0', content: content(imageId, sourceRegion) } });
const numbers = async (name: string) => ((await call('GET', `/v1/packages/${name}/versions`)).body.items as { version: number | 'draft' }[]).map((v) => v.version);

describe('the source image before publish', () => {
  it('saves a draft naming an image not there yet, and refuses to publish it: missing, or in another region', async () => {
    const elsewhere = await image('cn-beijing');
    for (const [name, imageId] of [['missing_img', 'm-doesnotexist'], ['elsewhere_img', elsewhere]] as const) {
      expect((await create(name, imageId)).status).toBe(201);
      const r = await call('POST', `/v1/packages/${name}/publish`);
      expect([r.status, r.body.error.code]).toEqual([422, 'SOURCE_IMAGE_NOT_FOUND']);
      expect(r.body.error.details).toMatchObject({ region: 'cn-hangzhou', imageId, violations: [{ field: 'version.content.imageId', rule: 'sourceImageExists' }] });
      expect(await numbers(name)).toEqual(['draft']);
    }
  });

  it("refuses another account's image, even one shared with the owner: only the owner's own can be shared on", async () => {
    const other = await makeAccount(deps);
    const theirs = await image('cn-hangzhou', other.accountId);
    await sim.modifyImageSharePermission({ account: other.accountId, regionId: 'cn-hangzhou', imageId: theirs, addAccounts: [supplier.accountId], removeAccounts: [] });
    expect((await create('shared_img', theirs)).status).toBe(201);
    const r = await call('POST', '/v1/packages/shared_img/publish');
    expect([r.status, r.body.error.code]).toEqual([422, 'SOURCE_IMAGE_NOT_FOUND']);
  });

  it('refuses an image that is not Available yet, then publishes it as version 1 once it is', async () => {
    const ready = await image();
    // A copy of the owner's image into another region: the owner's own, and Waiting or Creating.
    const { imageId: copying } = await sim.copyImage({ account: supplier.accountId, sourceRegionId: 'cn-hangzhou', imageId: ready, destinationRegionId: 'eu-central-1', clientToken: 'copying-1', name: 'x', tags: [] });
    expect((await create('creating_img', copying, 'eu-central-1')).status).toBe(201);
    const r = await call('POST', '/v1/packages/creating_img/publish');
    expect([r.status, r.body.error.code]).toEqual([409, 'SOURCE_IMAGE_NOT_AVAILABLE']);
    expect(['Waiting', 'Creating']).toContain(r.body.error.details.status);
    clock.advanceBy(48 * 3_600_000);
    expect((await call('POST', '/v1/packages/creating_img/publish')).body.version).toBe(1);
  });

  it('refuses a publish whose image is gone, spending no version number; the next publish gets the next number', async () => {
    const first = await image();
    expect((await create('gone_img', first)).status).toBe(201);
    expect((await call('POST', '/v1/packages/gone_img/publish')).body.version).toBe(1);
    const second = await image();
    expect((await call('PATCH', '/v1/packages/gone_img/versions/draft', { name: 'v2_0', content: content(second) })).status).toBe(201);
    await sim.deleteImage({ account: supplier.accountId, regionId: 'cn-hangzhou', imageId: second });
    for (let i = 0; i < 2; i++) {
      const refused = await call('POST', '/v1/packages/gone_img/publish');
      expect([refused.status, refused.body.error.code]).toEqual([422, 'SOURCE_IMAGE_NOT_FOUND']);
    }
    expect(await numbers('gone_img')).toEqual([1, 'draft']);
    expect((await call('PATCH', '/v1/packages/gone_img/versions/draft', { content: { imageId: await image() } })).status).toBe(200);
    const ok = await call('POST', '/v1/packages/gone_img/publish');
    expect([ok.status, ok.body.version]).toEqual([202, 2]);
    expect(await numbers('gone_img')).toEqual([1, 2]);
  });

  it('answers SOURCE_IMAGE_NOT_AVAILABLE, or CLOUD_UNAVAILABLE when the cloud cannot be asked, and publishes nothing', async () => {
    expect((await create('later_img', await image())).status).toBe(201);
    const cases: [SourceImageVerdict, number, string][] = [
      [{ state: 'notAvailable', status: 'Creating' }, 409, 'SOURCE_IMAGE_NOT_AVAILABLE'],
      [{ state: 'unknown', cloud: { code: 'ServiceUnavailable', message: 'down' } }, 503, 'CLOUD_UNAVAILABLE'],
    ];
    for (const [verdict, status, code] of cases) {
      override = verdict;
      try {
        const r = await call('POST', '/v1/packages/later_img/publish');
        expect([r.status, r.body.error.code]).toEqual([status, code]);
      } finally {
        override = undefined;
      }
    }
    expect(await numbers('later_img')).toEqual(['draft']);
    expect((await call('POST', '/v1/packages/later_img/publish')).body.version).toBe(1);
  });
});

describe('the source image when a draft is saved', () => {
  const warningsOf = (version: { warnings?: { code: string; field: string; message: string }[] }) => version.warnings?.map((w) => [w.code, w.field]);

  it('create and save answer with a warning for a missing image, and save the draft anyway', async () => {
    const created = await create('warned_img', 'm-notyet');
    expect(created.status).toBe(201);
    expect(warningsOf(created.body.versions[0])).toEqual([['SOURCE_IMAGE_NOT_FOUND', 'version.content.imageId']]);
    expect(created.body.versions[0].warnings[0].message).toContain('m-notyet does not exist in cn-hangzhou');
    const saved = await call('PATCH', '/v1/packages/warned_img/versions/draft', { content: { imageId: 'm-stillnot' } });
    expect(saved.status).toBe(200);
    expect(warningsOf(saved.body)).toEqual([['SOURCE_IMAGE_NOT_FOUND', 'version.content.imageId']]);
    expect(saved.body.content.imageId).toBe('m-stillnot');
  });

  it('answers no warning once the image is the owner’s own and Available, and says when it is not Available yet', async () => {
    const ready = await image();
    const created = await create('fine_img', ready);
    expect(warningsOf(created.body.versions[0])).toEqual([]);
    const { imageId: copying } = await sim.copyImage({ account: supplier.accountId, sourceRegionId: 'cn-hangzhou', imageId: ready, destinationRegionId: 'eu-central-1', clientToken: 'copying-save', name: 'x', tags: [] });
    const saved = await call('PATCH', '/v1/packages/fine_img/versions/draft', { content: { sourceRegion: 'eu-central-1', imageId: copying } });
    expect(warningsOf(saved.body)).toEqual([['SOURCE_IMAGE_NOT_AVAILABLE', 'version.content.imageId']]);
  });

  it('a cloud that cannot be asked does not stop a save: it warns CLOUD_UNAVAILABLE', async () => {
    override = { state: 'unknown', cloud: { code: 'ServiceUnavailable', message: 'down' } };
    try {
      const created = await create('cloudless_img', await image());
      expect(created.status).toBe(201);
      expect(warningsOf(created.body.versions[0])).toEqual([['CLOUD_UNAVAILABLE', 'version.content.imageId']]);
    } finally {
      override = undefined;
    }
  });
});
