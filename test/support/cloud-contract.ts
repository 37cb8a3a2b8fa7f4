/**
 * The CloudProvider contract: the ECS behaviour distribution relies on (SPEC §9), run against
 * every adapter — the simulator itself, and the Alibaba adapter (official SDK) talking HTTP to
 * the ECS emulator over a simulator — the way one router suite runs over every router.
 * Fixtures the port has no call for (making a source image, injecting faults, moving time) go
 * to the simulator underneath.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, type CloudProvider } from '../../src/cloud/provider.ts';
import type { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import { NO_FAULTS } from '../../src/cloud/simulator/simulator.ts';
import type { VirtualClock } from '../../src/cloud/simulator/clocks.ts';

export interface ContractRig {
  cloud: CloudProvider;
  sim: CloudSimulator;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function errorOf(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CloudError) return err;
    throw err;
  }
  throw new Error('expected a CloudError');
}

export function cloudProviderContract(name: string, open: () => Promise<ContractRig>): void {
  describe(`CloudProvider contract (${name})`, () => {
    let rig: ContractRig;
    beforeAll(async () => {
      rig = await open();
    });
    afterAll(async () => rig?.close());

    it('lists the region catalogue: at least 25 regions, each with its name', async () => {
      const regions = await rig.cloud.describeRegions({ account: 'dist' });
      expect(regions.length).toBeGreaterThanOrEqual(25);
      expect(regions.every((r) => r.localName.length > 0 && r.localName !== r.regionId)).toBe(true);
      expect(regions.map((r) => r.regionId)).toEqual(expect.arrayContaining(['cn-hangzhou', 'us-east-1', 'eu-central-1']));
      expect(regions.find((r) => r.regionId === 'cn-hangzhou')!.localName).toBe('China (Hangzhou)');
    });

    it('copies idempotently by ClientToken, and refuses the same token for another request', async () => {
      const src = await rig.sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const req = { account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: 'tok-1', name: 'x', tags: [] };
      const a = await rig.cloud.copyImage(req);
      const b = await rig.cloud.copyImage(req);
      expect(b.imageId).toBe(a.imageId);
      expect((await errorOf(rig.cloud.copyImage({ ...req, destinationRegionId: 'cn-shanghai' }))).code).toBe('IdempotentParameterMismatch');
      expect((await errorOf(rig.cloud.copyImage({ ...req, clientToken: 'x'.repeat(65) }))).code).toBe('InvalidParameter.ClientToken');
    });

    it('reports a copy Waiting or Creating with its progress, then Available, with its name and tags', async () => {
      const src = await rig.sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 50 });
      const tags = [{ key: 'imagenest:delivery', value: 'dlv-progress' }];
      const { imageId } = await rig.cloud.copyImage({ account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-shanghai', clientToken: 'progress-1', name: 'pkg-v1-cn-shanghai', tags });
      const first = await rig.cloud.describeImages({ account: 'dist', regionId: 'cn-shanghai', imageIds: [imageId] });
      expect(first).toEqual([expect.objectContaining({ imageId, name: 'pkg-v1-cn-shanghai', sizeGiB: 50, tags, ownerAccount: 'dist' })]);
      expect(['Waiting', 'Creating']).toContain(first[0]!.status);
      rig.clock.advanceBy(60_000 + 5 * 60_000);
      const mid = (await rig.cloud.describeImages({ account: 'dist', regionId: 'cn-shanghai', imageIds: [imageId] }))[0]!;
      expect(mid.status).toBe('Creating');
      expect(mid.progressPct).toBeGreaterThan(0);
      expect(mid.progressPct).toBeLessThan(100);
      rig.clock.advanceBy(3_600_000);
      expect((await rig.cloud.describeImages({ account: 'dist', regionId: 'cn-shanghai', imageIds: [imageId] }))[0]).toEqual(
        expect.objectContaining({ status: 'Available', progressPct: 100 }),
      );
    });

    it('lets a shared image be copied only within its region', async () => {
      const src = await rig.sim.createImage({ account: 'supplier', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const base = { account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, name: 'x', tags: [] };
      expect((await errorOf(rig.cloud.copyImage({ ...base, destinationRegionId: 'cn-hangzhou', clientToken: 'in-1' }))).kind).toBe('notFound');
      await rig.cloud.modifyImageSharePermission({ account: 'supplier', regionId: 'cn-hangzhou', imageId: src.imageId, addAccounts: ['dist'], removeAccounts: [] });
      expect((await errorOf(rig.cloud.copyImage({ ...base, destinationRegionId: 'cn-beijing', clientToken: 'x-1' }))).code).toBe('InvalidImageId.SharedImageCrossRegion');
      await expect(rig.cloud.copyImage({ ...base, destinationRegionId: 'cn-hangzhou', clientToken: 'in-2' })).resolves.toHaveProperty('imageId');
      await rig.cloud.modifyImageSharePermission({ account: 'supplier', regionId: 'cn-hangzhou', imageId: src.imageId, addAccounts: [], removeAccounts: ['dist'] });
      expect((await errorOf(rig.cloud.copyImage({ ...base, destinationRegionId: 'cn-hangzhou', clientToken: 'in-3' }))).kind).toBe('notFound');
    });

    it('reports share permissions (every page of accounts) and makes an image public and private again', async () => {
      const src = await rig.sim.createImage({ account: 'supplier', regionId: 'cn-beijing', sizeGiB: 20 });
      const ref = { account: 'supplier', regionId: 'cn-beijing', imageId: src.imageId };
      expect(await rig.cloud.describeImageSharePermission(ref)).toEqual({ accounts: [], isPublic: false });
      // More accounts than one page of the ECS API (at most 100 a page).
      const accounts = Array.from({ length: 105 }, (_, i) => `acc-${String(i).padStart(3, '0')}`);
      for (let i = 0; i < accounts.length; i += 10) {
        await rig.cloud.modifyImageSharePermission({ ...ref, addAccounts: accounts.slice(i, i + 10), removeAccounts: [] });
      }
      await rig.cloud.modifyImageSharePermission({ ...ref, addAccounts: [], removeAccounts: ['acc-005'] });
      expect(await rig.cloud.describeImageSharePermission(ref)).toEqual({ accounts: accounts.filter((a) => a !== 'acc-005'), isPublic: false });
      expect(await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-beijing', imageIds: [src.imageId] })).toEqual([]);
      await rig.cloud.modifyImageSharePermission({ ...ref, addAccounts: [], removeAccounts: [], isPublic: true });
      expect((await rig.cloud.describeImageSharePermission(ref)).isPublic).toBe(true);
      expect(await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-beijing', imageIds: [src.imageId] })).toEqual([expect.objectContaining({ imageId: src.imageId, isPublic: true })]);
      await rig.cloud.modifyImageSharePermission({ ...ref, addAccounts: [], removeAccounts: [], isPublic: false });
      expect((await rig.cloud.describeImageSharePermission(ref)).isPublic).toBe(false);
      expect(await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-beijing', imageIds: [src.imageId] })).toEqual([]);
      expect((await errorOf(rig.cloud.describeImageSharePermission({ ...ref, account: 'anyone' }))).kind).toBe('notFound');
    });

    // What the source-image check at save and publish relies on: only the caller's own image can
    // be shared on with the distribution account (real ECS names another owner by its numeric ID).
    it("describes a source image as its owner sees it: its own with the owner's account, another's with not the caller's, a missing one not at all", async () => {
      const own = await rig.sim.createImage({ account: 'anyone', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const theirs = await rig.sim.createImage({ account: 'supplier', regionId: 'cn-hangzhou', sizeGiB: 20 });
      await rig.cloud.modifyImageSharePermission({ account: 'supplier', regionId: 'cn-hangzhou', imageId: theirs.imageId, addAccounts: ['anyone'], removeAccounts: [] });
      const seen = await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-hangzhou', imageIds: [own.imageId, theirs.imageId, 'm-doesnotexist'] });
      expect(seen.map((i) => [i.imageId, i.ownerAccount === 'anyone', i.status]).sort()).toEqual(
        [[own.imageId, true, 'Available'], [theirs.imageId, false, 'Available']].sort(),
      );
      expect(await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-beijing', imageIds: [own.imageId] })).toEqual([]);
    });

    it('limits DescribeImages to 100 IDs and share changes to 1–10 accounts', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `m-${i}`);
      expect((await errorOf(rig.cloud.describeImages({ account: 'dist', regionId: 'cn-hangzhou', imageIds: ids }))).kind).toBe('permanent');
      const src = await rig.sim.createImage({ account: 'supplier', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const eleven = Array.from({ length: 11 }, (_, i) => `acc-${i}`);
      const req = { account: 'supplier', regionId: 'cn-hangzhou', imageId: src.imageId, removeAccounts: [] };
      expect((await errorOf(rig.cloud.modifyImageSharePermission({ ...req, addAccounts: eleven }))).kind).toBe('permanent');
      expect((await errorOf(rig.cloud.modifyImageSharePermission({ ...req, addAccounts: [] }))).kind).toBe('permanent');
    });

    it('finds copies by tag, and every region has the public system images', async () => {
      const src = await rig.sim.createImage({ account: 'dist', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const { imageId } = await rig.cloud.copyImage({ account: 'dist', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'us-east-1', clientToken: 'tag-1', name: 'x', tags: [{ key: 'imagenest:delivery', value: 'dlv-9' }] });
      const found = await rig.cloud.describeImages({ account: 'dist', regionId: 'us-east-1', tag: { key: 'imagenest:delivery', value: 'dlv-9' } });
      expect(found.map((i) => i.imageId)).toEqual([imageId]);
      const pub = await rig.cloud.describeImages({ account: 'anyone', regionId: 'me-east-1', imageIds: ['centos_7_9_x64_20G_alibase_20240403.vhd'] });
      expect(pub).toEqual([expect.objectContaining({ status: 'Available', isPublic: true })]);
    });

    it('lists the marketplace images sold in a region (ImageOwnerAlias=marketplace) with product code and version', async () => {
      const sold = await rig.cloud.describeImages({ account: 'dist', regionId: 'ap-southeast-1', ownerAlias: 'marketplace' });
      // The seeded catalogue (src/cloud/simulator/marketplace.ts) sells four product versions in ap-southeast-1.
      expect(sold.map((i) => `${i.productCode}/${i.imageVersion}`).sort()).toEqual(['cmjj000101/V2.0', 'cmjj000202/V6.4', 'cmjj000303/V16.8', 'cmjj000303/V17.0']);
      expect(sold.every((i) => i.status === 'Available' && i.ownerAccount === 'marketplace' && /^m-mkt[0-9a-f]{17}$/.test(i.imageId))).toBe(true);
      const lamp = sold.find((i) => i.productCode === 'cmjj000101')!;
      // Asked for by ID without the alias, like ECS; and never one region's image in another region.
      expect((await rig.cloud.describeImages({ account: 'anyone', regionId: 'ap-southeast-1', imageIds: [lamp.imageId] })).map((i) => i.imageId)).toEqual([lamp.imageId]);
      expect(await rig.cloud.describeImages({ account: 'anyone', regionId: 'cn-hangzhou', imageIds: [lamp.imageId] })).toEqual([]);
      // A region where nothing is sold.
      expect(await rig.cloud.describeImages({ account: 'dist', regionId: 'me-east-1', ownerAlias: 'marketplace' })).toEqual([]);
    });

    it('answers CopyImage beyond about 1,000 calls a minute with Throttling.User', async () => {
      const src = await rig.sim.createImage({ account: 'burst', regionId: 'cn-hangzhou', sizeGiB: 1 });
      let throttled = 0;
      for (let i = 0; i < 1010; i++) {
        try {
          await rig.cloud.copyImage({ account: 'burst', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: `b-${i}`, name: 'x', tags: [] });
        } catch (err) {
          expect((err as CloudError).code).toBe('Throttling.User');
          expect((err as CloudError).kind).toBe('throttled');
          throttled++;
        }
      }
      expect(throttled).toBeGreaterThanOrEqual(9);
      expect(throttled).toBeLessThanOrEqual(11);
      rig.clock.advanceBy(60_000);
      await expect(rig.cloud.copyImage({ account: 'burst', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'cn-beijing', clientToken: 'after', name: 'x', tags: [] })).resolves.toBeDefined();
      // 1,011 sequential calls (over HTTP for the adapter): 20–25 s on an idle 2-core machine,
      // over 60 s when it is shared; the time budget is not what this test checks.
    }, 240_000);

    it('types injected throttling, transient errors and outages so they are retried, not failed', async () => {
      try {
        await rig.sim.setFaults({ ...NO_FAULTS, throttleRate: 1 });
        expect(await errorOf(rig.cloud.describeImages({ account: 'dist', regionId: 'cn-hangzhou', imageIds: ['m-x'] }))).toMatchObject({ kind: 'throttled', code: 'Throttling.User' });
        await rig.sim.setFaults({ ...NO_FAULTS, transientRate: 1 });
        expect(await errorOf(rig.cloud.describeImages({ account: 'dist', regionId: 'cn-hangzhou', imageIds: ['m-x'] }))).toMatchObject({ kind: 'transient', code: 'InternalError' });
        const now = rig.clock.nowMs();
        await rig.sim.setFaults({ ...NO_FAULTS, outages: [{ region: 'cn-hangzhou', fromMs: now - 1, toMs: now + 60_000 }] });
        expect(await errorOf(rig.cloud.describeImages({ account: 'dist', regionId: 'cn-hangzhou', imageIds: ['m-x'] }))).toMatchObject({ kind: 'transient', code: 'ServiceUnavailable' });
      } finally {
        await rig.sim.setFaults(NO_FAULTS);
      }
    });

    it('cancels a running copy and moves the queue up; refuses to delete a running copy; deletes a finished one', async () => {
      const src = await rig.sim.createImage({ account: 'q', regionId: 'cn-hangzhou', sizeGiB: 400 });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push((await rig.cloud.copyImage({ account: 'q', sourceRegionId: 'cn-hangzhou', imageId: src.imageId, destinationRegionId: 'eu-west-1', clientToken: `q-${i}`, name: 'x', tags: [] })).imageId);
      }
      rig.clock.advanceBy(120_000);
      const before = await rig.cloud.describeImages({ account: 'q', regionId: 'eu-west-1', imageIds: ids });
      expect(before.filter((i) => i.status === 'Creating')).toHaveLength(5);
      expect(before.find((i) => i.imageId === ids[5])!.status).toBe('Waiting');
      expect((await errorOf(rig.cloud.deleteImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[0]! }))).code).toBe('IncorrectImageStatus');
      await rig.cloud.cancelCopyImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[0]! });
      rig.clock.advanceBy(1_000);
      const after = await rig.cloud.describeImages({ account: 'q', regionId: 'eu-west-1', imageIds: ids });
      expect(after.map((i) => i.imageId)).not.toContain(ids[0]);
      expect(after.find((i) => i.imageId === ids[5])!.status).toBe('Creating');
      rig.clock.advanceBy(48 * 3_600_000);
      await rig.cloud.deleteImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[1]! });
      expect((await rig.cloud.describeImages({ account: 'q', regionId: 'eu-west-1', imageIds: [ids[1]!] })).map((i) => i.imageId)).toEqual([]);
      expect((await errorOf(rig.cloud.deleteImage({ account: 'q', regionId: 'eu-west-1', imageId: ids[1]! }))).kind).toBe('notFound');
    });
  });
}
