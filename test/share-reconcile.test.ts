/**
 * Share reconciliation against the simulator on each storage backend: every regional copy of
 * a package is shared with exactly its audience, checked through the cloud
 * (DescribeImageSharePermission), never through the database.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestShareReconciliation } from '../src/app/share-requests.ts';
import type { CloudProvider, SharePermissionRequest } from '../src/cloud/provider.ts';
import { ShareReconciler } from '../src/distribution/share-reconcile.ts';
import { startControlPlane } from '../src/runtime/control-plane.ts';
import type { ShareRunResult } from '../src/distribution/share-metrics.ts';
import type { Store } from '../src/store/database.ts';
import { withCalls } from './support/cloud-wrap.ts';
import { makeAccount } from './support/fixtures.ts';
import { DIST, makeRig, type Rig } from './support/distribution-rig.ts';
import { backends } from './support/stores.ts';

const REGIONS = ['cn-shanghai', 'ap-southeast-1', 'eu-central-1'];
const FAST = { initialIntervalMs: 1, backoffCoefficient: 2, maximumIntervalMs: 5, maximumAttempts: Infinity, nonRetryable: ['notFound', 'quota', 'permanent'] as const };

/** The simulator with ModifyImageSharePermission observed (and optionally replaced). */
function observed(c: CloudProvider, onModify: (r: SharePermissionRequest) => Promise<void>): CloudProvider {
  return withCalls(c, { modifyImageSharePermission: onModify });
}

for (const backend of backends) {
  describe.skipIf(backend.skipReason)(`share reconciliation (${backend.name})`, () => {
    let store: Store;
    let rig: Rig;
    let packageId: string;
    let owner: string;
    let serviceId: string;
    let images: { region: string; imageId: string }[];
    const modifies: SharePermissionRequest[] = [];
    let reconciler: ShareReconciler;

    beforeAll(async () => {
      store = await backend.open();
      rig = await makeRig(store);
      await rig.publish('app', { regions: REGIONS });
      await rig.settle();
      owner = rig.supplier.accountId;
      packageId = (await store.db.selectFrom('packages').select('id').where('name', '=', 'app').executeTakeFirstOrThrow()).id;
      const rows = await store.db.selectFrom('deliveries').select(['region', 'image_id', 'state']).where('image_released', '=', false).where('state', '=', 'Available').execute();
      images = [...new Map(rows.map((r) => [`${r.region}:${r.image_id}`, { region: r.region, imageId: r.image_id! }])).values()];
      reconciler = new ShareReconciler({
        db: store.db,
        cloud: observed(rig.sim, async (r) => {
          modifies.push(r);
          await rig.sim.modifyImageSharePermission(r);
        }),
        distributionAccount: DIST,
        log: pino({ level: 'silent' }),
        retry: FAST,
        sleep: async () => {},
      });
      serviceId = 'svc-share';
      const at = new Date();
      await store.db.insertInto('services').values({ id: serviceId, owner_id: owner, name: 'shop', description: 'd', deploy_type: 'ros', service_type: 'private', visibility: 'private', accounts: '[]', created_at: at, updated_at: at }).execute();
      await store.db.insertInto('service_revisions').values({ id: 'rev-1', service_id: serviceId, number: 1, state: 'Draft', template: JSON.stringify({ files: [] }), created_at: at, updated_at: at }).execute();
      await store.db.insertInto('revision_associations').values({ revision_id: 'rev-1', placeholder: 'ImageId', package_id: packageId, version_number: 1 }).execute();
    });
    afterAll(async () => store?.close());

    /** Changes the service, asks for reconciliation in the same transaction, and runs it to the end. */
    async function change(visibility: 'private' | 'public' | 'whitelist', accounts: string[], state = 'Online'): Promise<ShareRunResult[]> {
      await store.db.transaction().execute(async (trx) => {
        await trx.updateTable('services').set({ visibility, accounts: JSON.stringify(accounts) }).where('id', '=', serviceId).execute();
        await trx.updateTable('service_revisions').set({ state: state as 'Online' }).where('id', '=', 'rev-1').execute();
        await requestShareReconciliation(trx, [packageId], new Date());
      });
      return drain();
    }

    async function drain(r: ShareReconciler = reconciler): Promise<ShareRunResult[]> {
      const results: ShareRunResult[] = [];
      for (let i = 0; i < 200 && (await pending()); i++) {
        const res = await r.reconcile(packageId);
        if (res !== 'busy') results.push(res);
        else await new Promise((ok) => setTimeout(ok, 20));
      }
      expect(await pending()).toBe(false);
      return results;
    }

    const pending = async () => (await store.db.selectFrom('share_reconciliations').select('package_id').where('package_id', '=', packageId).executeTakeFirst()) !== undefined;
    const sharesInCloud = () => Promise.all(images.map((i) => rig.sim.describeImageSharePermission({ account: DIST, regionId: i.region, imageId: i.imageId })));

    it('has one live copy per region plus the ingest kept for the source region, and their becoming Available asked for shares: the owner only', async () => {
      // A published version keeps its ingested image: it is the version's image in its source region.
      expect(images.map((i) => i.region).sort()).toEqual([...REGIONS, 'cn-hangzhou'].sort());
      expect(await pending()).toBe(true);
      expect(await drain()).toEqual(['done']);
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [owner], isPublic: false });
    });

    it('grants a whitelisted consumer in every region, and revokes it in every region when removed', async () => {
      const consumer = (await makeAccount(rig.deps, 'consumer')).accountId;
      await change('whitelist', [consumer]);
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [consumer, owner].sort(), isPublic: false });
      await change('whitelist', []);
      for (const s of await sharesInCloud()) expect(s.accounts).not.toContain(consumer);
    });

    it('revokes the whitelist in every region when the association is removed (the service no longer counts), and grants it again when restored', async () => {
      const consumer = (await makeAccount(rig.deps, 'consumer')).accountId;
      await change('whitelist', [consumer]);
      for (const s of await sharesInCloud()) expect(s.accounts).toContain(consumer);
      const association = { revision_id: 'rev-1', placeholder: 'ImageId', package_id: packageId, version_number: 1 };
      await store.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('revision_associations').where('revision_id', '=', 'rev-1').execute();
        await requestShareReconciliation(trx, [packageId], new Date());
      });
      await drain();
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [owner], isPublic: false });
      await store.db.insertInto('revision_associations').values(association).execute();
      await change('whitelist', [consumer]);
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [consumer, owner].sort(), isPublic: false });
    });

    it('makes every copy public for a public service, and private again when the service goes Offline', async () => {
      await change('public', []);
      for (const s of await sharesInCloud()) expect(s.isPublic).toBe(true);
      await change('whitelist', ['acc-x'], 'Offline');
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [owner], isPublic: false });
    });

    it('shares with more than ten accounts in several calls of at most ten', async () => {
      const many = Array.from({ length: 23 }, (_, i) => `acc-${String(i).padStart(2, '0')}`);
      modifies.length = 0;
      await change('whitelist', many);
      for (const s of await sharesInCloud()) expect(s.accounts).toEqual([...many, owner].sort());
      expect(modifies.every((m) => m.addAccounts.length + m.removeAccounts.length <= 10)).toBe(true);
      expect(modifies.length).toBe(3 * images.length);
    });

    it('retries throttling and transient errors instead of failing, and converges', async () => {
      const consumer = (await makeAccount(rig.deps, 'consumer')).accountId;
      await rig.setFaults({ throttleRate: 0.3, transientRate: 0.1 });
      try {
        const results = await change('whitelist', [consumer]);
        expect(results).not.toContain('failed');
      } finally {
        await rig.setFaults({});
      }
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [consumer, owner].sort(), isPublic: false });
    });

    it('is run by the worker: its sweep sends the due request through the job queue', async () => {
      const consumer = (await makeAccount(rig.deps, 'consumer')).accountId;
      const cp = await startControlPlane(store, pino({ level: 'silent' }), {
        runWorker: true,
        distributionAccount: DIST,
        bossSchema: `pgboss_share_${backend.name}`,
        worker: { shareSweepEveryMs: 100, pollingIntervalSeconds: 0.5 },
      });
      try {
        await store.db.transaction().execute(async (trx) => {
          await trx.updateTable('services').set({ visibility: 'whitelist', accounts: JSON.stringify([consumer]) }).where('id', '=', serviceId).execute();
          await trx.updateTable('service_revisions').set({ state: 'Online' }).where('id', '=', 'rev-1').execute();
          await requestShareReconciliation(trx, [packageId], new Date());
        });
        while (await pending()) await new Promise((ok) => setTimeout(ok, 100));
      } finally {
        await cp.stop();
      }
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [consumer, owner].sort(), isPublic: false });
    });

    it('converges after a worker dies right after its first share call: another takes over once its lease ran out', async () => {
      const consumer = (await makeAccount(rig.deps, 'consumer')).accountId;
      let calls = 0;
      // The dead worker: its first call reaches the cloud, then it never returns (no cleanup, no release).
      const dying = new ShareReconciler({
        db: store.db,
        cloud: observed(rig.sim, async (r) => {
          await rig.sim.modifyImageSharePermission(r);
          calls++;
          await new Promise(() => {});
        }),
        distributionAccount: DIST,
        log: pino({ level: 'silent' }),
        leaseMs: 500,
        retry: FAST,
      });
      await store.db.transaction().execute(async (trx) => {
        await trx.updateTable('services').set({ visibility: 'whitelist', accounts: JSON.stringify([consumer]) }).where('id', '=', serviceId).execute();
        await requestShareReconciliation(trx, [packageId], new Date());
      });
      void dying.reconcile(packageId);
      while (calls === 0) await new Promise((ok) => setTimeout(ok, 10));
      // While the dead worker's lease lasts, no other worker runs the package.
      expect(await reconciler.reconcile(packageId)).toBe('busy');
      const after = await drain();
      expect(after).toContain('done');
      for (const s of await sharesInCloud()) expect(s).toEqual({ accounts: [consumer, owner].sort(), isPublic: false });
    });
  });
}
