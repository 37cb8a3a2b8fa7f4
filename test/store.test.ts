/**
 * The storage suite: every use case that touches the database, run against embedded PGlite
 * and PostgreSQL (TEST_DATABASE_URL) from one set of tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as packages from '../src/app/packages.ts';
import type { AppDeps } from '../src/app/deps.ts';
import { ImagenestError } from '../src/domain/errors.ts';
import type { Store } from '../src/store/database.ts';
import { backends } from './support/stores.ts';
import { depsFor, makeAccount, packageInput } from './support/fixtures.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ImagenestError) return err.code;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe.each(backends)('storage on $name', (backend) => {
  if (backend.skipReason) {
    process.stderr.write(`\n[imagenest tests] ${backend.skipReason}\n`);
    it.skip(backend.skipReason, () => {});
    return;
  }
  let store: Store;
  let deps: AppDeps;

  beforeAll(async () => {
    store = await backend.open();
    deps = depsFor(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('creates a package with its draft and reads it back by ID and by name', async () => {
    const me = await makeAccount(deps);
    const created = await packages.createPackage(deps, me, packageInput({ tags: [{ key: 'env', value: 'prod' }], resourceGroup: 'rg-web' }));
    expect(created.versions).toEqual([expect.objectContaining({ version: 'draft', state: 'Draft', name: 'v1_0' })]);
    const byName = await packages.getPackage(deps, me, 'web_app');
    const byId = await packages.getPackage(deps, me, created.id);
    expect(byName).toEqual(byId);
    expect(byId).toMatchObject({ name: 'web_app', status: 'Draft', tags: [{ key: 'env', value: 'prod' }], resourceGroup: 'rg-web', hasDraft: true });
  });

  it('keeps package names unique per account, not across accounts', async () => {
    const a = await makeAccount(deps);
    const b = await makeAccount(deps);
    await packages.createPackage(deps, a, packageInput());
    expect(await codeOf(packages.createPackage(deps, a, packageInput()))).toBe('PACKAGE_NAME_TAKEN');
    await expect(packages.createPackage(deps, b, packageInput())).resolves.toMatchObject({ name: 'web_app' });
  });

  it('numbers published versions 1, 2, 3 and keeps at most one draft', async () => {
    const me = await makeAccount(deps);
    await packages.createPackage(deps, me, packageInput());
    const r1 = await packages.publish(deps, me, 'web_app');
    expect(r1).toMatchObject({ version: 1, state: 'Delivering' });
    const second = await packages.saveDraft(deps, me, 'web_app', {
      name: 'v2_0',
      content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1second', regions: ['cn-beijing'] },
    });
    expect(second.created).toBe(true);
    // A second save updates the same draft instead of creating another.
    const again = await packages.saveDraft(deps, me, 'web_app', { description: 'second release of the image' });
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(second.version.id);
    expect(again.version.content.regions).toEqual(['cn-beijing']);
    expect((await packages.publish(deps, me, 'web_app')).version).toBe(2);
    await packages.saveDraft(deps, me, 'web_app', { name: 'v3_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1third', regions: ['cn-beijing'] } });
    expect((await packages.publish(deps, me, 'web_app')).version).toBe(3);
    const versions = await packages.listVersions(deps, me, 'web_app');
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[0]!.deliveries.map((d) => [d.region, d.state])).toEqual([
      ['ap-southeast-1', 'Pending'],
      ['cn-shanghai', 'Pending'],
    ]);
    expect(await codeOf(packages.publish(deps, me, 'web_app'))).toBe('NO_DRAFT');
  });

  it('locks a published version: any change answers VERSION_LOCKED', async () => {
    const me = await makeAccount(deps);
    await packages.createPackage(deps, me, packageInput());
    const { versionId } = await packages.publish(deps, me, 'web_app');
    for (const label of ['1', versionId]) {
      expect(await codeOf(packages.saveVersion(deps, me, 'web_app', label, { content: { regions: ['cn-beijing'] } }))).toBe('VERSION_LOCKED');
      expect(await codeOf(packages.saveVersion(deps, me, 'web_app', label, { description: 'a new description' }))).toBe('VERSION_LOCKED');
    }
    const v = await packages.getVersion(deps, me, 'web_app', '1');
    expect(v.content.regions).toEqual(['cn-shanghai', 'ap-southeast-1']);
  });

  it('rejects a version name used by another version of the package', async () => {
    const me = await makeAccount(deps);
    await packages.createPackage(deps, me, packageInput());
    await packages.publish(deps, me, 'web_app');
    const err = await codeOf(
      packages.saveDraft(deps, me, 'web_app', { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1x', regions: ['cn-beijing'] } }),
    );
    expect(err).toBe('VERSION_NAME_TAKEN');
  });

  it('fires 20 concurrent publishes of one draft and makes exactly one version', async () => {
    const me = await makeAccount(deps);
    await packages.createPackage(deps, me, packageInput());
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => packages.publish(deps, me, 'web_app')));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed.map((r) => (r.reason as ImagenestError).code)).toEqual(Array(19).fill('NO_DRAFT'));
    const versions = await packages.listVersions(deps, me, 'web_app');
    expect(versions.map((v) => [v.version, v.state])).toEqual([[1, 'Delivering']]);
  });

  it('replays an idempotent create and publish, even when the repeats race', async () => {
    const me = await makeAccount(deps);
    const input = packageInput({ name: 'idem_pkg' });
    const creates = await Promise.all(Array.from({ length: 5 }, () => packages.createPackage(deps, me, input, 'create-key-1')));
    expect(new Set(creates.map((c) => c.id)).size).toBe(1);
    const publishes = await Promise.all(Array.from({ length: 5 }, () => packages.publish(deps, me, 'idem_pkg', 'publish-key-1')));
    expect(new Set(publishes.map((p) => p.versionId)).size).toBe(1);
    expect(publishes.every((p) => p.version === 1)).toBe(true);
    // The same key with a different request is refused, not silently replayed.
    expect(await codeOf(packages.createPackage(deps, me, packageInput({ name: 'other_pkg' }), 'create-key-1'))).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys belong to the account that used them.
    const other = await makeAccount(deps);
    await expect(packages.createPackage(deps, other, input, 'create-key-1')).resolves.toMatchObject({ name: 'idem_pkg' });
  });

  it('lists with filters and paginates without gaps or repeats', async () => {
    const me = await makeAccount(deps);
    for (let i = 0; i < 7; i++) {
      await packages.createPackage(
        deps,
        me,
        packageInput({
          name: `svc_${i}_${i % 2 ? 'Blue' : 'green'}`,
          resourceGroup: i < 3 ? 'rg-a' : 'rg-b',
          tags: [{ key: 'tier', value: i % 3 === 0 ? 'gold' : 'silver' }],
        }),
      );
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await packages.listPackages(deps, me, { limit: 3, nextToken: token });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((p) => p.name));
      token = page.nextToken ?? undefined;
    } while (token);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `svc_${i}_${i % 2 ? 'Blue' : 'green'}`));
    const names = async (q: packages.ListPackagesQuery) => (await packages.listPackages(deps, me, q)).items.map((p) => p.name);
    expect(await names({ nameContains: 'blue' })).toEqual(['svc_1_Blue', 'svc_3_Blue', 'svc_5_Blue']);
    expect(await names({ nameContains: '%' })).toEqual([]);
    expect(await names({ nameContains: '_' })).toHaveLength(7);
    expect(await names({ resourceGroup: 'rg-a' })).toEqual(['svc_0_green', 'svc_1_Blue', 'svc_2_green']);
    expect(await names({ tags: ['tier=gold'] })).toEqual(['svc_0_green', 'svc_3_Blue', 'svc_6_green']);
    expect(await names({ tags: ['tier=gold'], resourceGroup: 'rg-b' })).toEqual(['svc_3_Blue', 'svc_6_green']);
    expect(await codeOf(packages.listPackages(deps, me, { limit: 0 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(packages.listPackages(deps, me, { limit: 101 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(packages.listPackages(deps, me, { nextToken: 'garbage' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(packages.listPackages(deps, me, { tags: ['novalue'] }))).toBe('VALIDATION_FAILED');
  });

  it('updates mutable package fields, refuses a rename, and deletes versions and packages', async () => {
    const me = await makeAccount(deps);
    await packages.createPackage(deps, me, packageInput());
    const updated = await packages.updatePackage(deps, me, 'web_app', { description: 'a better description', tags: [{ key: 'a', value: 'b' }] });
    expect(updated).toMatchObject({ description: 'a better description', tags: [{ key: 'a', value: 'b' }] });
    expect(await codeOf(packages.updatePackage(deps, me, 'web_app', { name: 'renamed_app' }))).toBe('VALIDATION_FAILED');
    await packages.publish(deps, me, 'web_app');
    // Nothing is in the cloud yet (no worker ran): its deliveries are cancelled and it goes at once.
    expect(await packages.deleteVersion(deps, me, 'web_app', '1')).toEqual({ state: 'Deleted' });
    expect(await codeOf(packages.getVersion(deps, me, 'web_app', '1'))).toBe('NOT_FOUND');
    expect(await packages.deletePackage(deps, me, 'web_app')).toEqual({ state: 'Deleted' });
    expect(await codeOf(packages.getPackage(deps, me, 'web_app'))).toBe('NOT_FOUND');
  });
});
