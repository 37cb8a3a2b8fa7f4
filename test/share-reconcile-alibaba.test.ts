/**
 * Share reconciliation through the Alibaba adapter: the reconciler's cloud is the official SDK
 * talking HTTP to the ECS emulator over the simulator the distribution ran on. A whitelist of
 * more than ten consumers reaches ECS as ModifyImageSharePermission calls of at most ten
 * accounts each, is read back with DescribeImageSharePermission, and public goes by IsPublic.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestShareReconciliation } from '../src/app/share-requests.ts';
import { $Ecs } from '../src/cloud/alibaba/sdk.ts';
import { ShareReconciler } from '../src/distribution/share-reconcile.ts';
import type { Store } from '../src/store/database.ts';
import { DIST, makeRig, type Rig } from './support/distribution-rig.ts';
import { serveEmulator, type ServedEmulator } from './support/emulator-rig.ts';
import { makeService, rosTemplate } from './support/services.ts';
import { pgliteBackend } from './support/stores.ts';

const REGIONS = ['cn-shanghai', 'eu-central-1'];
const FAST = { initialIntervalMs: 1, backoffCoefficient: 2, maximumIntervalMs: 5, maximumAttempts: Infinity, nonRetryable: ['notFound', 'quota', 'permanent'] as const };
const consumers = (n: number) => Array.from({ length: n }, (_, i) => `acc-consumer-${String(i).padStart(2, '0')}`);

let store: Store;
let rig: Rig;
let emulator: ServedEmulator;
let packageId: string;
let serviceId: string;
let images: { region: string; imageId: string }[];
let reconciler: ShareReconciler;

beforeAll(async () => {
  store = await pgliteBackend.open();
  rig = await makeRig(store);
  await rig.publish('app', { regions: REGIONS });
  await rig.settle();
  emulator = await serveEmulator(rig.sim, [DIST, rig.supplier.accountId]);
  packageId = (await store.db.selectFrom('packages').select('id').where('name', '=', 'app').executeTakeFirstOrThrow()).id;
  const rows = await store.db.selectFrom('deliveries').select(['region', 'image_id']).where('image_released', '=', false).where('state', '=', 'Available').execute();
  images = [...new Map(rows.map((r) => [`${r.region}:${r.image_id}`, { region: r.region, imageId: r.image_id! }])).values()];
  ({ serviceId } = await makeService(rig.deps, rig.supplier, {
    name: 'shop',
    files: [rosTemplate('ImageId')],
    visibility: 'private',
    state: 'Online',
    associations: [{ placeholder: 'ImageId', packageId, versionNumber: 1 }],
  }));
  reconciler = new ShareReconciler({ db: store.db, cloud: emulator.cloud, distributionAccount: DIST, log: pino({ level: 'silent' }), retry: FAST, sleep: async () => {} });
});
afterAll(async () => {
  await emulator?.close();
  await store?.close();
});

/** Sets the service's audience, asks for reconciliation, and runs it to the end through the emulator. */
async function audience(visibility: 'private' | 'public' | 'whitelist', accounts: string[]): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('services').set({ visibility, accounts: JSON.stringify(accounts) }).where('id', '=', serviceId).execute();
    await requestShareReconciliation(trx, [packageId], new Date());
  });
  for (let i = 0; i < 50; i++) {
    const res = await reconciler.reconcile(packageId);
    if (res === 'busy') break;
    expect(res).toBe('done');
  }
  expect(await store.db.selectFrom('share_reconciliations').select('package_id').where('package_id', '=', packageId).executeTakeFirst()).toBeUndefined();
}

/** The share permission of every copy, read back through the emulator. */
const sharesInCloud = () => Promise.all(images.map((i) => emulator.cloud.describeImageSharePermission({ account: DIST, regionId: i.region, imageId: i.imageId })));
/** The accounts each ModifyImageSharePermission request carried, as the emulator received them. */
const modifyCalls = () =>
  emulator.requests
    .filter((r) => r.action === 'ModifyImageSharePermission')
    .map((r) => ({ add: [...r.params.keys()].filter((k) => k.startsWith('AddAccount.')).length, remove: [...r.params.keys()].filter((k) => k.startsWith('RemoveAccount.')).length, isPublic: r.params.get('IsPublic') }));

describe('share reconciliation through the Alibaba adapter and the ECS emulator', () => {
  it('shares every copy with 23 whitelisted consumers in calls of at most ten accounts, and reads them back', async () => {
    const owner = rig.supplier.accountId;
    emulator.requests.length = 0;
    await audience('whitelist', consumers(23));
    for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [...consumers(23), owner].sort(), isPublic: false });
    const calls = modifyCalls();
    // 24 accounts a copy (the consumers and the package's owner): 10 + 10 + 4.
    expect(calls.map((c) => c.add)).toEqual(images.flatMap(() => [10, 10, 4]));
    expect(emulator.requests.filter((r) => r.action === 'DescribeImageSharePermission').length).toBeGreaterThanOrEqual(images.length);
  });

  it('revokes twelve of them in calls of at most ten, then makes every copy public by IsPublic and private again', async () => {
    emulator.requests.length = 0;
    await audience('whitelist', consumers(11));
    expect(modifyCalls().map((c) => c.remove)).toEqual(images.flatMap(() => [10, 2]));
    for (const s of await sharesInCloud()) expect(s.accounts).toEqual([...consumers(11), rig.supplier.accountId].sort());
    emulator.requests.length = 0;
    await audience('public', []);
    expect(modifyCalls().filter((c) => c.isPublic === 'true')).toHaveLength(images.length);
    for (const s of await sharesInCloud()) expect(s.isPublic).toBe(true);
    await audience('private', []);
    for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [rig.supplier.accountId], isPublic: false });
  });

  it('refuses a ModifyImageSharePermission of eleven accounts: the emulator when the SDK sends one, the adapter before sending it', async () => {
    const { region, imageId } = images[0]!;
    const eleven = consumers(11);
    const err = await emulator
      .sdk(DIST)
      .modifyImageSharePermission(new $Ecs.ModifyImageSharePermissionRequest({ regionId: region, imageId, addAccount: eleven }))
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode?: number; data?: { Code?: string } },
      );
    expect([err?.statusCode, err?.data?.Code]).toEqual([400, 'InvalidParameter.AccountCount']);
    // The adapter refuses before calling: real ECS would share with the first ten and say nothing.
    const before = emulator.requests.length;
    await expect(emulator.cloud.modifyImageSharePermission({ account: DIST, regionId: region, imageId, addAccounts: eleven, removeAccounts: [] })).rejects.toMatchObject({ code: 'InvalidParameter.AccountCount' });
    expect(emulator.requests.length).toBe(before);
  });
});
