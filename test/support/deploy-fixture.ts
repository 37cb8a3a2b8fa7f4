/**
 * A store with the simulator and its deployer, a supplier, and that supplier's Online service on
 * the draft of its package `agent` (source image in cn-hangzhou): deployable there and nowhere else.
 */
import type { AppDeps } from '../../src/app/deps.ts';
import * as packages from '../../src/app/packages.ts';
import { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import { SimulatorDeployer } from '../../src/cloud/simulator/deployer.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import type { Caller } from '../../src/domain/account.ts';
import type { Store } from '../../src/store/database.ts';
import { depsFor, makeAccount } from './fixtures.ts';
import { makeService, rosTemplate } from './services.ts';

export interface DraftServiceFixture {
  deps: AppDeps;
  sim: CloudSimulator;
  deployer: SimulatorDeployer;
  supplier: Caller & { token: string };
  imageId: string;
  serviceId: string;
}

export async function draftServiceFixture(store: Store, service: { visibility?: 'private' | 'whitelist'; accounts?: string[] } = {}): Promise<DraftServiceFixture> {
  const deps = depsFor(store);
  const clock = new VirtualClock();
  const simDb = await openSimDatabase(store.db);
  const sim = new CloudSimulator(simDb, clock, 2);
  const deployer = new SimulatorDeployer(simDb, clock);
  const supplier = await makeAccount(deps, 'supplier');
  const imageId = (await sim.createImage({ account: supplier.accountId, regionId: 'cn-hangzhou', sizeGiB: 20 })).imageId;
  const p = await packages.createPackage(deps, supplier, {
    name: 'agent',
    description: 'a draft package',
    version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId, regions: ['cn-shanghai'] } },
  });
  const { serviceId } = await makeService(deps, supplier, {
    name: 'agent_svc',
    files: [rosTemplate('agent_image')],
    ...service,
    state: 'Online',
    associations: [{ placeholder: 'agent_image', packageId: p.id, versionNumber: null }],
  });
  return { deps, sim, deployer, supplier, imageId, serviceId };
}
