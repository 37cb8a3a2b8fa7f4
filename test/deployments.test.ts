/**
 * Deployments end to end below the API, on both storage backends: real distribution (the rig),
 * the simulator deployer as oracle. Every image a deployment used is checked in the cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as deployments from '../src/app/deployments.ts';
import * as distribution from '../src/app/distribution.ts';
import * as packages from '../src/app/packages.ts';
import type { Deployer } from '../src/cloud/deployer.ts';
import { CloudError } from '../src/cloud/provider.ts';
import { SimulatorDeployer } from '../src/cloud/simulator/deployer.ts';
import { openSimDatabase } from '../src/cloud/simulator/sim-migrations.ts';
import type { Caller } from '../src/domain/account.ts';
import { ImagenestError } from '../src/domain/errors.ts';
import type { Store } from '../src/store/database.ts';
import { DIST, makeRig, type Rig } from './support/distribution-rig.ts';
import { makeAccount } from './support/fixtures.ts';
import { makeService, rosTemplate, tfTemplate } from './support/services.ts';
import { backends } from './support/stores.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImagenestError) return e.code;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe.each(backends)('deployments on $name', (backend) => {
  if (backend.skipReason) {
    process.stderr.write(`\n[imagenest tests] ${backend.skipReason}\n`);
    it.skip(backend.skipReason, () => {});
    return;
  }
  let store: Store;
  let rig: Rig;
  let deps: deployments.DeployDeps;
  let deployer: SimulatorDeployer;
  let consumer: Caller;
  let packageId: string;
  /** region → the image the cloud holds for version 1 there (copies, and the ingest in the source region). */
  const regional = new Map<string, string>();

  beforeAll(async () => {
    store = await backend.open();
    rig = await makeRig(store);
    deployer = new SimulatorDeployer(await openSimDatabase(store.db), rig.clock);
    deps = { ...rig.deps, deployer };
    consumer = await makeAccount(deps, 'consumer');
    await rig.publish('web_app', { regions: ['cn-shanghai', 'eu-central-1'], sizeGiB: 20 });
    await rig.settle();
    packageId = (await store.db.selectFrom('packages').select('id').where('name', '=', 'web_app').executeTakeFirstOrThrow()).id;
    // What share reconciliation does for an Online whitelist service: every regional image
    // shared with the owner and the whitelisted consumer (that job is another module's).
    for (const d of await store.db.selectFrom('deliveries').selectAll().where('state', '=', 'Available').execute()) {
      regional.set(d.region, d.image_id!);
      await rig.sim.modifyImageSharePermission({ account: DIST, regionId: d.region, imageId: d.image_id!, addAccounts: [consumer.accountId, rig.supplier.accountId], removeAccounts: [] });
    }
  });
  afterAll(async () => store?.close());

  /** An Online service whitelisted to the consumer, its app_image placeholder on version 1 of web_app. */
  const onlineForConsumer = (name: string, files = [rosTemplate('app_image')], deployType: 'ros' | 'terraform' = 'ros') =>
    makeService(deps, rig.supplier, { name, deployType, files, visibility: 'whitelist', accounts: [consumer.accountId], state: 'Online', associations: [{ placeholder: 'app_image', packageId, versionNumber: 1 }] });

  it('keeps the ingested image of a published version and answers it as the source region’s image', async () => {
    expect([...regional.keys()].sort()).toEqual(['cn-hangzhou', 'cn-shanghai', 'eu-central-1']);
    const id = await distribution.imageId(deps, rig.supplier, 'web_app', '1', 'cn-hangzhou');
    expect(id.imageId).toBe(regional.get('cn-hangzhou'));
    expect((await rig.sim.ownedImages(DIST)).map((i) => i.imageId)).toContain(regional.get('cn-hangzhou'));
  });

  it('deploys an Online whitelisted service with exactly each region’s image, and refuses a region without one', async () => {
    const { serviceId } = await onlineForConsumer('web_ros');
    for (const region of ['cn-shanghai', 'eu-central-1', 'cn-hangzhou']) {
      const i = await deployments.createInstance(deps, consumer, serviceId, { region, parameters: { Size: 'ecs.g7.large' } });
      expect(i.state).toBe('Deployed');
      expect(i.images).toEqual([{ placeholder: 'app_image', package: 'web_app', packageId, version: 1, imageId: regional.get(region) }]);
      const running = await deployer.describeInstances({ account: consumer.accountId, region });
      expect(running.map((r) => r.imageId)).toEqual([regional.get(region)]);
    }
    const before = await store.db.selectFrom('instances').select('id').execute();
    const refused = deployments.createInstance(deps, consumer, serviceId, { region: 'ap-southeast-1' });
    expect(await codeOf(refused)).toBe('IMAGE_NOT_AVAILABLE_IN_REGION');
    expect(await store.db.selectFrom('instances').select('id').execute()).toHaveLength(before.length);
    expect(await deployer.describeInstances({ account: consumer.accountId, region: 'ap-southeast-1' })).toEqual([]);
    const stranger = await makeAccount(deps, 'consumer');
    expect(await codeOf(deployments.createInstance(deps, stranger, serviceId, { region: 'cn-shanghai' }))).toBe('NOT_FOUND');
  });

  it('refuses a parameter the template does not declare, naming it and the one likely meant, and creates nothing', async () => {
    const { serviceId } = await onlineForConsumer('web_params');
    const before = await store.db.selectFrom('instances').select('id').execute();
    const refused = await deployments.createInstance(deps, consumer, serviceId, { region: 'cn-shanghai', parameters: { Size: 'ecs.g7.large', size: 'x', InstanceType: 'y' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ImagenestError);
    const e = refused as ImagenestError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toEqual({
      violations: [
        { field: 'parameters.size', rule: 'declared', message: "'size' is not a parameter of the template; did you mean 'Size'? (the template declares Size)", allowed: ['Size'], didYouMean: 'Size' },
        { field: 'parameters.InstanceType', rule: 'declared', message: "'InstanceType' is not a parameter of the template (the template declares Size)", allowed: ['Size'] },
      ],
    });
    expect(await store.db.selectFrom('instances').select('id').execute()).toHaveLength(before.length);
    // The Terraform form: the variables of every file of the root module are what a deployment may set.
    const tf = await onlineForConsumer('web_params_tf', [tfTemplate('app_image'), { name: 'variables.tf', text: 'variable "zone" {}\n' }], 'terraform');
    expect(await codeOf(deployments.createInstance(deps, consumer, tf.serviceId, { region: 'cn-shanghai', parameters: { Size: 'x' } }))).toBe('VALIDATION_FAILED');
    expect((await deployments.createInstance(deps, consumer, tf.serviceId, { region: 'cn-shanghai', parameters: { size: 'x', zone: 'cn-shanghai-b' } })).state).toBe('Deployed');
  });

  it('starts again when the first start’s answer was lost: the instance, Deploying without a handle, deploys on a later read, once', async () => {
    const { serviceId } = await onlineForConsumer('web_lost_start');
    let reachable = false;
    const flaky: Deployer = {
      start: (req) => (reachable ? deployer.start(req) : Promise.reject(new CloudError('transient', 'ServiceUnavailable', 'the cloud could not be reached', 'CreateStack', 503))),
      poll: (req) => deployer.poll(req),
      destroy: (req) => deployer.destroy(req),
    };
    const d = { ...deps, deployer: flaky };
    const region = 'eu-central-1';
    const before = (await deployer.describeInstances({ account: consumer.accountId, region })).length;
    await expect(deployments.createInstance(d, consumer, serviceId, { region })).rejects.toBeInstanceOf(CloudError);
    const lost = (await deployments.listInstances(d, consumer)).items.find((i) => i.state === 'Deploying');
    expect(lost).toBeDefined();
    // Still unreachable: the read answers Deploying, not an error.
    expect((await deployments.getInstance(d, consumer, lost!.id)).state).toBe('Deploying');
    reachable = true;
    const deployed = await deployments.getInstance(d, consumer, lost!.id);
    expect(deployed.state).toBe('Deployed');
    expect(deployed.images.map((i) => i.imageId)).toEqual([regional.get(region)]);
    // Read again: nothing more is started.
    expect((await deployments.getInstance(d, consumer, lost!.id)).state).toBe('Deployed');
    expect(await deployer.describeInstances({ account: consumer.accountId, region })).toHaveLength(before + 1);
  });

  it('fails a deployment whose image the cloud has not shared with the consumer (the oracle), and releases on delete', async () => {
    const late = await makeAccount(deps, 'consumer');
    const { serviceId } = await makeService(deps, rig.supplier, {
      name: 'web_tf',
      deployType: 'terraform',
      files: [tfTemplate('app_image')],
      visibility: 'whitelist',
      accounts: [consumer.accountId, late.accountId],
      state: 'Online',
      associations: [{ placeholder: 'app_image', packageId, versionNumber: 1 }],
    });
    const failed = await deployments.createInstance(deps, late, serviceId, { region: 'eu-central-1' });
    expect([failed.state, failed.error?.code]).toEqual(['Failed', 'IMAGE_NOT_SHARED']);
    const ok = await deployments.createInstance(deps, consumer, serviceId, { region: 'eu-central-1' });
    expect(ok.state).toBe('Deployed');
    const running = await deployer.describeInstances({ account: consumer.accountId, region: 'eu-central-1' });
    expect(running.filter((r) => r.deploymentId === ok.id).map((r) => r.resourceType).sort()).toEqual(['alicloud_ess_scaling_configuration', 'alicloud_instance']);
    const gone = await deployments.deleteInstance(deps, consumer, ok.id);
    expect(gone.state).toBe('Deleted');
    expect((await deployer.describeInstances({ account: consumer.accountId })).filter((r) => r.deploymentId === ok.id)).toEqual([]);
    expect((await deployments.instanceEvents(deps, consumer, ok.id)).items.map((e) => e.type)).toContain('Deleted');
  });

  it('test-deploys a draft association only in its package’s source region, a published one wherever Available and in its source region', async () => {
    const img = await rig.sim.createImage({ account: rig.supplier.accountId, regionId: 'cn-beijing', sizeGiB: 20 });
    const draft = await packages.createPackage(deps, rig.supplier, {
      name: 'agent',
      description: 'a draft package',
      version: { name: 'v1_0', content: { sourceRegion: 'cn-beijing', imageId: img.imageId, regions: ['cn-shanghai'] } },
    });
    const { serviceId } = await makeService(deps, rig.supplier, {
      name: 'draft_svc',
      files: [rosTemplate('agent_image')],
      state: 'Draft',
      associations: [{ placeholder: 'agent_image', packageId: draft.id, versionNumber: null }],
    });
    const t = await deployments.testService(deps, rig.supplier, serviceId, { region: 'cn-beijing' });
    expect([t.state, t.test, t.images[0]!.imageId]).toEqual(['Deployed', true, img.imageId]);
    expect((await deployer.describeInstances({ account: rig.supplier.accountId, region: 'cn-beijing' })).map((r) => r.imageId)).toEqual([img.imageId]);
    expect(await codeOf(deployments.testService(deps, rig.supplier, serviceId, { region: 'cn-shanghai' }))).toBe('IMAGE_NOT_AVAILABLE_IN_REGION');
    expect(await deployer.describeInstances({ account: rig.supplier.accountId, region: 'cn-shanghai' })).toEqual([]);
    // Nobody else may test it; a consumer does not even see a Draft service.
    expect(await codeOf(deployments.testService(deps, consumer, serviceId, { region: 'cn-beijing' }))).toBe('NOT_FOUND');

    const { serviceId: published } = await makeService(deps, rig.supplier, {
      name: 'pub_svc',
      files: [rosTemplate('app_image')],
      state: 'Draft',
      associations: [{ placeholder: 'app_image', packageId, versionNumber: 1 }],
    });
    for (const region of ['cn-hangzhou', 'cn-shanghai', 'eu-central-1']) {
      const i = await deployments.testService(deps, rig.supplier, published, { region });
      expect(i.state).toBe('Deployed');
      const ran = (await deployer.describeInstances({ account: rig.supplier.accountId, region })).filter((r) => r.deploymentId === i.id);
      expect(ran.map((r) => r.imageId)).toEqual([regional.get(region)]);
    }
    expect(await codeOf(deployments.testService(deps, rig.supplier, published, { region: 'cn-beijing' }))).toBe('IMAGE_NOT_AVAILABLE_IN_REGION');
  });

  it('resolves the Online revision for a region byte-exact for pipelines', async () => {
    const file = rosTemplate('app_image');
    const { serviceId } = await makeService(deps, rig.supplier, {
      name: 'pipeline_svc',
      files: [file],
      visibility: 'public',
      state: 'Online',
      associations: [{ placeholder: 'app_image', packageId, versionNumber: 1 }],
    });
    const r = await deployments.resolvedTemplate(deps, consumer, serviceId, 'eu-central-1');
    expect(r.template.files).toEqual([{ name: file.name, text: file.text.replace('app_image', regional.get('eu-central-1')!) }]);
    expect(await codeOf(deployments.resolvedTemplate(deps, consumer, serviceId, 'eu-central-1', 'draft'))).toBe('FORBIDDEN');
    expect(await codeOf(deployments.resolvedTemplate(deps, consumer, serviceId, 'ap-southeast-1'))).toBe('IMAGE_NOT_AVAILABLE_IN_REGION');
  });

  it('refuses to delete a version or package that an Online revision and live instances use, naming them', async () => {
    const err = await packages.deleteVersion(deps, rig.supplier, 'web_app', '1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagenestError);
    expect((err as ImagenestError).code).toBe('VERSION_IN_USE');
    const users = (err as ImagenestError).details as { users: { kind: string }[] };
    expect(new Set(users.users.map((u) => u.kind))).toEqual(new Set(['revision', 'instance']));
    expect(await codeOf(packages.deletePackage(deps, rig.supplier, 'web_app'))).toBe('VERSION_IN_USE');
  });
});
