/** The simulator deployer as the end-to-end oracle: it runs only images the account may use in the region. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../../../test/support/stores.ts';
import type { Store } from '../../store/database.ts';
import type { DeployRequest } from '../deployer.ts';
import { VirtualClock } from './clocks.ts';
import { SimulatorDeployer } from './deployer.ts';
import { openSimDatabase } from './sim-migrations.ts';
import { CloudSimulator } from './simulator.ts';
import { deployerContract } from '../../../test/support/deployer-contract.ts';

let store: Store;
let sim: CloudSimulator;
let deployer: SimulatorDeployer;

beforeAll(async () => {
  store = await pgliteBackend.open();
  const clock = new VirtualClock();
  const db = await openSimDatabase(store.db);
  sim = new CloudSimulator(db, clock, 5);
  deployer = new SimulatorDeployer(db, clock);
});
afterAll(async () => store?.close());

const ros = (imageId: string) => ({
  name: 'template.yaml',
  text: `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: ${imageId}\n`,
});
const tf = (imageId: string) => ({
  name: 'main.tf',
  text: `resource "alicloud_instance" "web" {\n  image_id = "${imageId}"\n}\nresource "alicloud_ess_scaling_configuration" "conf" {\n  image_id = "${imageId}"\n}\n`,
});

let n = 0;
function request(account: string, region: string, file: { name: string; text: string }): DeployRequest {
  return { instanceId: `si-test${++n}`, account, region, deployType: file.name.endsWith('.tf') ? 'terraform' : 'ros', template: { files: [file] }, parameters: {} };
}

describe('the simulator deployer as oracle', () => {
  it('runs an owned image in its region and shows it through describeInstances', async () => {
    const img = await sim.createImage({ account: 'acc-own', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const r = await deployer.start(request('acc-own', 'cn-hangzhou', ros(img.imageId)));
    expect(r.state).toBe('succeeded');
    const running = await deployer.describeInstances({ account: 'acc-own', region: 'cn-hangzhou' });
    expect(running.map((i) => [i.resourceType, i.logicalId, i.imageId])).toEqual([['ALIYUN::ECS::Instance', 'Web', img.imageId]]);
  });

  it('refuses an image that does not exist in the region, and makes nothing', async () => {
    const img = await sim.createImage({ account: 'acc-miss', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const r = await deployer.start(request('acc-miss', 'cn-shanghai', ros(img.imageId)));
    expect(r.state === 'failed' && r.code).toBe('IMAGE_NOT_FOUND_IN_REGION');
    expect(await deployer.describeInstances({ account: 'acc-miss' })).toEqual([]);
  });

  it('refuses a deleted image', async () => {
    const img = await sim.createImage({ account: 'acc-del', regionId: 'cn-hangzhou', sizeGiB: 20 });
    await sim.deleteImage({ account: 'acc-del', regionId: 'cn-hangzhou', imageId: img.imageId });
    const r = await deployer.start(request('acc-del', 'cn-hangzhou', ros(img.imageId)));
    expect(r.state === 'failed' && r.code).toBe('IMAGE_NOT_FOUND_IN_REGION');
  });

  it('refuses an image of another account until it is shared with the deploying one', async () => {
    const img = await sim.createImage({ account: 'acc-vendor', regionId: 'eu-central-1', sizeGiB: 20 });
    const refused = await deployer.start(request('acc-consumer', 'eu-central-1', tf(img.imageId)));
    expect(refused.state === 'failed' && refused.code).toBe('IMAGE_NOT_SHARED');
    expect(await deployer.describeInstances({ account: 'acc-consumer' })).toEqual([]);
    await sim.modifyImageSharePermission({ account: 'acc-vendor', regionId: 'eu-central-1', imageId: img.imageId, addAccounts: ['acc-consumer'], removeAccounts: [] });
    const ok = await deployer.start(request('acc-consumer', 'eu-central-1', tf(img.imageId)));
    expect(ok.state).toBe('succeeded');
    const running = await deployer.describeInstances({ account: 'acc-consumer', region: 'eu-central-1' });
    expect(running.map((i) => i.resourceType).sort()).toEqual(['alicloud_ess_scaling_configuration', 'alicloud_instance']);
  });

  it('runs a public system image anywhere', async () => {
    const r = await deployer.start(request('acc-pub', 'ap-southeast-1', ros('ubuntu_22_04_x64_20G_alibase_20240130.vhd')));
    expect(r.state).toBe('succeeded');
  });

  it('refuses a template whose image value is not a literal', async () => {
    const file = { name: 't.yaml', text: `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: !Ref Img\n` };
    const r = await deployer.start(request('acc-t', 'cn-hangzhou', file));
    expect(r.state === 'failed' && r.code).toBe('TEMPLATE_UNSUPPORTED');
  });

  it('is idempotent per deployment, and destroy releases the resources', async () => {
    const img = await sim.createImage({ account: 'acc-d', regionId: 'cn-hangzhou', sizeGiB: 20 });
    const req = request('acc-d', 'cn-hangzhou', ros(img.imageId));
    const first = await deployer.start(req);
    const again = await deployer.start(req);
    expect(again).toMatchObject({ state: 'succeeded', resources: first.state === 'succeeded' ? first.resources : [] });
    expect(await deployer.describeInstances({ account: 'acc-d' })).toHaveLength(1);
    await deployer.destroy({ account: 'acc-d', region: 'cn-hangzhou', resources: first.state === 'succeeded' ? first.resources : [] });
    expect(await deployer.describeInstances({ account: 'acc-d' })).toEqual([]);
  });
});

deployerContract('simulator deployer', async () => {
  const store = await pgliteBackend.open();
  const clock = new VirtualClock();
  const db = await openSimDatabase(store.db);
  const deployer = new SimulatorDeployer(db, clock);
  return { deployer, sim: new CloudSimulator(db, clock, 5), clock, running: (account) => deployer.describeInstances({ account }), close: () => store.close() };
});
