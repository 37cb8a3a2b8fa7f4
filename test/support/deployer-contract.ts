/**
 * The Deployer contract: what the control plane relies on from a deployer, run against every
 * adapter — the simulator's deployer, and the ROS deployer (official SDK) over the emulator's
 * ROS API — with the simulator underneath as the oracle of what runs. Fixtures the port has no
 * call for (a vendor's image, a share, moving time) go to the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployRequest, DeployStatus, Deployer } from '../../src/cloud/deployer.ts';
import type { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import type { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import type { SimInstanceRecord } from '../../src/cloud/simulator-port.ts';

export interface DeployerRig {
  deployer: Deployer;
  sim: CloudSimulator;
  clock: VirtualClock;
  /** What the oracle says runs in the account (never the deployer's own answer). */
  running(account: string): Promise<SimInstanceRecord[]>;
  close(): Promise<void>;
}

export const rosFile = (images: { web: string; db: string }) => ({
  name: 'template.yaml',
  text: [
    "ROSTemplateFormatVersion: '2015-09-01'",
    'Parameters:',
    '  Size:',
    '    Type: String',
    'Resources:',
    '  Web:',
    '    Type: ALIYUN::ECS::Instance',
    '    Properties:',
    `      ImageId: ${images.web}`,
    '  Db:',
    '    Type: ALIYUN::ECS::InstanceGroup',
    '    Properties:',
    `      ImageId: ${images.db}`,
    '',
  ].join('\n'),
});

export const tfFiles = (images: { web: string; db: string }) => [
  { name: 'main.tf', text: `resource "alicloud_instance" "web" {\n  image_id = "${images.web}"\n}\n` },
  { name: 'scaling.tf', text: `variable "size" {\n  type = string\n}\n\nresource "alicloud_ess_scaling_configuration" "db" {\n  image_id = "${images.db}"\n}\n` },
];

let n = 0;
export function deployRequest(account: string, region: string, deployType: 'ros' | 'terraform', images: { web: string; db: string }): DeployRequest {
  const files = deployType === 'ros' ? [rosFile(images)] : tfFiles(images);
  return { instanceId: `si-contract${++n}-${Date.now().toString(36)}`, account, region, deployType, template: { files }, parameters: deployType === 'ros' ? { Size: 's' } : { size: 's' } };
}

/** Polls what `start` answered until it is final, moving the cloud's time a minute a poll. */
export async function untilFinal(rig: DeployerRig, req: DeployRequest, first: DeployStatus): Promise<DeployStatus> {
  let status = first;
  for (let i = 0; status.state === 'running'; i++) {
    if (i > 20) throw new Error('the deployment never finished');
    rig.clock.advanceBy(60_000);
    status = await rig.deployer.poll({ account: req.account, region: req.region, handle: status.handle });
  }
  return status;
}

export function deployerContract(name: string, open: () => Promise<DeployerRig>): void {
  describe(`Deployer contract (${name})`, () => {
    let rig: DeployerRig;
    beforeAll(async () => {
      rig = await open();
    });
    afterAll(async () => rig?.close());

    const deploy = async (req: DeployRequest) => {
      const first = await rig.deployer.start(req);
      return { first, final: await untilFinal(rig, req, first) };
    };
    const pairs = (rows: SimInstanceRecord[]) => rows.map((r) => [r.logicalId, r.resourceType, r.region, r.imageId]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

    it('runs a ROS template: each resource with its image, in the region, in the account', async () => {
      const web = await rig.sim.createImage({ account: 'acc-ros', regionId: 'cn-shanghai', sizeGiB: 20 });
      const db = await rig.sim.createImage({ account: 'acc-ros', regionId: 'cn-shanghai', sizeGiB: 20 });
      const { final } = await deploy(deployRequest('acc-ros', 'cn-shanghai', 'ros', { web: web.imageId, db: db.imageId }));
      expect(final.state).toBe('succeeded');
      expect(pairs(await rig.running('acc-ros'))).toEqual([
        ['Db', 'ALIYUN::ECS::InstanceGroup', 'cn-shanghai', db.imageId],
        ['Web', 'ALIYUN::ECS::Instance', 'cn-shanghai', web.imageId],
      ]);
      if (final.state === 'succeeded') expect(final.resources.map((r) => r.logicalId).sort()).toEqual(['Db', 'Web']);
    });

    it('runs Terraform files', async () => {
      const web = await rig.sim.createImage({ account: 'acc-tf', regionId: 'eu-central-1', sizeGiB: 20 });
      const db = await rig.sim.createImage({ account: 'acc-tf', regionId: 'eu-central-1', sizeGiB: 20 });
      const { final } = await deploy(deployRequest('acc-tf', 'eu-central-1', 'terraform', { web: web.imageId, db: db.imageId }));
      expect(final.state).toBe('succeeded');
      expect(pairs(await rig.running('acc-tf'))).toEqual([
        ['db', 'alicloud_ess_scaling_configuration', 'eu-central-1', db.imageId],
        ['web', 'alicloud_instance', 'eu-central-1', web.imageId],
      ]);
    });

    it('fails with IMAGE_NOT_FOUND_IN_REGION for an image of another region, and runs nothing', async () => {
      const img = await rig.sim.createImage({ account: 'acc-miss', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const { final } = await deploy(deployRequest('acc-miss', 'cn-beijing', 'ros', { web: img.imageId, db: img.imageId }));
      expect(final.state === 'failed' && final.code).toBe('IMAGE_NOT_FOUND_IN_REGION');
      expect(final.state === 'failed' && final.message).toContain(img.imageId);
      expect(await rig.running('acc-miss')).toEqual([]);
    });

    it('fails with IMAGE_NOT_SHARED until the vendor shares the image with the account', async () => {
      const img = await rig.sim.createImage({ account: 'acc-vendor', regionId: 'ap-southeast-1', sizeGiB: 20 });
      const images = { web: img.imageId, db: img.imageId };
      const refused = await deploy(deployRequest('acc-buyer', 'ap-southeast-1', 'terraform', images));
      expect(refused.final.state === 'failed' && refused.final.code).toBe('IMAGE_NOT_SHARED');
      expect(await rig.running('acc-buyer')).toEqual([]);
      await rig.sim.modifyImageSharePermission({ account: 'acc-vendor', regionId: 'ap-southeast-1', imageId: img.imageId, addAccounts: ['acc-buyer'], removeAccounts: [] });
      const ok = await deploy(deployRequest('acc-buyer', 'ap-southeast-1', 'terraform', images));
      expect(ok.final.state).toBe('succeeded');
      expect(await rig.running('acc-buyer')).toHaveLength(2);
    });

    it('is idempotent per instance: a repeated start makes nothing more', async () => {
      const img = await rig.sim.createImage({ account: 'acc-idem', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const req = deployRequest('acc-idem', 'cn-hangzhou', 'ros', { web: img.imageId, db: img.imageId });
      const a = await rig.deployer.start(req);
      const b = await rig.deployer.start(req);
      if (a.state === 'running') expect(b).toMatchObject({ state: 'running', handle: a.handle });
      await untilFinal(rig, req, a);
      const c = await untilFinal(rig, req, await rig.deployer.start(req));
      expect(c.state).toBe('succeeded');
      expect(await rig.running('acc-idem')).toHaveLength(2);
    });

    it('destroy releases what the deployment made, and a second destroy is fine', async () => {
      const img = await rig.sim.createImage({ account: 'acc-rm', regionId: 'cn-hangzhou', sizeGiB: 20 });
      const req = deployRequest('acc-rm', 'cn-hangzhou', 'ros', { web: img.imageId, db: img.imageId });
      const { first, final } = await deploy(req);
      expect(await rig.running('acc-rm')).toHaveLength(2);
      const target = { account: 'acc-rm', region: 'cn-hangzhou', resources: final.state === 'succeeded' ? final.resources : [], handle: first.state === 'running' ? first.handle : undefined };
      expect(await rig.deployer.destroy(target)).toEqual({ ok: true });
      expect(await rig.running('acc-rm')).toEqual([]);
      expect(await rig.deployer.destroy(target)).toEqual({ ok: true });
    });
  });
}
