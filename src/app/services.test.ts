/** Service use cases on both storage backends: listing by visibility and state, supersession, reconciliation requests, name uniqueness. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.ts';
import { backends } from '../../test/support/stores.ts';
import { depsFor, makeAccount, packageInput, rosTemplate } from '../../test/support/fixtures.ts';
import type { AppDeps } from './deps.ts';
import { createPackage, publish as publishPackage } from './packages.ts';
import { approve, offline, publish, submit } from './review.ts';
import { associate, createService, listServices, setVisibility, updateTemplate } from './services.ts';

const ros = rosTemplate;

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== null)(`services on ${backend.name}`, () => {
    let store: Store;
    let deps: AppDeps;
    beforeAll(async () => {
      store = await backend.open();
      deps = depsFor(store);
    });
    afterAll(async () => store?.close());

    async function online(owner: Awaited<ReturnType<typeof makeAccount>>, admin: Awaited<ReturnType<typeof makeAccount>>, name: string, visibility: { visibility?: string; accounts?: string[] }) {
      const pkg = await createPackage(deps, owner, packageInput({ name: `${name}_pkg` }));
      await publishPackage(deps, owner, pkg.id);
      const s = await createService(deps, owner, { name, description: 'A service under test', deployType: 'ros', template: ros(['m-a']), ...visibility });
      await associate(deps, owner, s.id, { placeholder: 'm-a', package: pkg.id, version: 1 });
      await submit(deps, owner, s.id);
      await approve(deps, admin, s.id);
      await publish(deps, owner, s.id);
      return { s, pkg };
    }

    it('lists for each caller only what it may see, and filters by displayed state', async () => {
      const [owner, admin, a, b] = [await makeAccount(deps), await makeAccount(deps, 'admin'), await makeAccount(deps, 'consumer'), await makeAccount(deps, 'consumer')];
      const wl = await online(owner, admin, 'wl_svc', { visibility: 'whitelist', accounts: [a.accountId] });
      const pub = await online(owner, admin, 'pub_svc', { visibility: 'public' });
      const priv = await online(owner, admin, 'priv_svc', {});
      const draft = await createService(deps, owner, { name: 'draft_svc', description: 'A service under test', deployType: 'ros', template: ros(['m-a']), visibility: 'public' });
      const names = async (who: typeof a, state?: string) => (await listServices(deps, who, { state })).items.map((s) => s.name).sort();
      expect(await names(a)).toEqual(['pub_svc', 'wl_svc']);
      expect(await names(b)).toEqual(['pub_svc']);
      expect(await names(owner)).toEqual(['draft_svc', 'priv_svc', 'pub_svc', 'wl_svc']);
      expect(await names(admin, 'Draft')).toEqual(['draft_svc']);
      await offline(deps, admin, pub.s.id);
      expect(await names(b)).toEqual([]);
      expect(await names(admin, 'Offline')).toEqual(['pub_svc']);
      await setVisibility(deps, owner, wl.s.id, { visibility: 'whitelist', accounts: [b.accountId] });
      expect(await names(a)).toEqual([]);
      expect(await names(b)).toEqual(['wl_svc']);
      expect([priv.s.visibility, draft.state]).toEqual(['private', 'Draft']);
    });

    it('keeps one Online revision: publishing a new one supersedes it, in one transaction with the share requests', async () => {
      const [owner, admin] = [await makeAccount(deps), await makeAccount(deps, 'admin')];
      const { s, pkg } = await online(owner, admin, 'twice_svc', { visibility: 'public' });
      const generation = async () =>
        (await store.db.selectFrom('share_reconciliations').select('generation').where('package_id', '=', pkg.id).executeTakeFirstOrThrow()).generation;
      const before = await generation();
      await updateTemplate(deps, owner, s.id, ros(['m-a']));
      await submit(deps, owner, s.id);
      await approve(deps, admin, s.id);
      const after = await publish(deps, owner, s.id);
      expect(after.revisions).toMatchObject({ online: { number: 2, state: 'Online' }, draft: null });
      const states = await store.db.selectFrom('service_revisions').select(['number', 'state']).where('service_id', '=', s.id).orderBy('number').execute();
      expect(states).toEqual([{ number: 1, state: 'Offline' }, { number: 2, state: 'Online' }]);
      expect(await generation()).toBe(before + 1);
    });

    it('answers SERVICE_NAME_TAKEN for a second service of the same name, but lets another supplier use it', async () => {
      const [one, two] = [await makeAccount(deps), await makeAccount(deps)];
      const input = { name: 'same_name', description: 'A service under test', deployType: 'ros', template: ros(['m-a']) };
      await createService(deps, one, input);
      await expect(createService(deps, one, input)).rejects.toMatchObject({ code: 'SERVICE_NAME_TAKEN' });
      await expect(createService(deps, two, input)).resolves.toMatchObject({ name: 'same_name' });
    });
  });
}
