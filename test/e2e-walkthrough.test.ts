/**
 * The SPEC §7 walk-through over the real server and CLI processes, in ordered steps: a supplier
 * publishes two packages, makes a ROS service and a Terraform service of two placeholders each,
 * associates, tests, submits; the admin approves; the supplier publishes; a whitelisted consumer
 * deploys in every region the versions reached, and is refused where they did not; then it is
 * removed from the whitelists and loses the images in every region and the right to deploy.
 * What runs and who may use which copy is read from the cloud (the simulator's admin /v1/sim
 * routes; with --cloud alibaba, the emulator through the ECS API), never from the product's own
 * tables or only from the API's echo of its request. One body, run on the embedded simulator and
 * on `imagenest emulator` in its own process reached through the official SDKs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagenestClient } from '../src/cli/client.ts';
import { untilCopies as untilShared, type SimImage } from './support/distribution-procs.ts';
import { createDatabase } from './support/pg-database.ts';
import { runCli, type CliResult, type ServerProcess } from './support/server-process.ts';
import { alibabaEmulatorCloud, simulatorCloud, type WalkCloud } from './support/walkthrough-clouds.ts';

const SOURCE = 'cn-hangzhou';
const TARGETS = ['cn-shanghai', 'ap-southeast-1', 'eu-central-1'];
/** A published version serves its targets and its source region. */
const SERVED = [SOURCE, ...TARGETS];
/** A region neither version was distributed to. */
const UNSERVED = 'us-west-1';

const ROS_TEMPLATE = [
  'ROSTemplateFormatVersion: "2015-09-01"',
  'Resources:',
  '  Web:',
  '    Type: ALIYUN::ECS::Instance',
  '    Properties:',
  '      ImageId: m-webplaceholder',
  '  Db:',
  '    Type: ALIYUN::ECS::InstanceGroup',
  '    Properties:',
  '      ImageId: m-dbplaceholder',
  '',
].join('\n');

const TF_TEMPLATE = [
  'resource "alicloud_instance" "web" {',
  '  image_id = "tf-web-image"',
  '}',
  '',
  'resource "alicloud_ess_scaling_configuration" "db" {',
  '  image_id = "tf-db-image"',
  '}',
  '',
].join('\n');

const errorOf = (r: CliResult) => [r.code, r.json?.error?.code];
/** Pairs in a fixed order: the cloud lists a deployment's resources by resource ID. */
const sorted = (pairs: (string | number | undefined)[][]) => [...pairs].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

function walkThrough(cloud: WalkCloud): void {
  describe(cloud.name, () => {
    let server: ServerProcess;
    let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'imagenest-walk-'));
      // On PostgreSQL when there is one: the server starts without creating an embedded database.
      const base = process.env.TEST_DATABASE_URL;
      database = base ? await createDatabase(base) : undefined;
      server = await cloud.startServer(dir, database ? ['--database-url', database.url] : []);
    });
    afterAll(async () => {
      await cloud.close();
      await database?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const cli = (token: string, args: string[]) => runCli(['--url', server.url, '--token', token, ...args]);

    /** The cloud's record of the distribution account's live copies, with their share permissions. */
    const liveCopies = () => cloud.copies(SERVED);
    const untilCopies = (ok: (c: SimImage) => boolean, what: string) => untilShared(liveCopies, ok, what);

    /** What the cloud runs in an account. */
    const running = (account: string) => cloud.running(account);

    /** An instance once its deployment settled (a ROS stack is created asynchronously). */
    async function settled(token: string, instance: { id: string; state: string }): Promise<{ id: string; state: string; test: boolean }> {
      const client = new ImagenestClient({ url: server.url, token });
      let i = instance as { id: string; state: string; test: boolean };
      for (let n = 0; i.state === 'Deploying'; n++) {
        if (n > 600) throw new Error(`instance ${i.id} never settled`);
        await new Promise((r) => setTimeout(r, 100));
        i = await client.request('GET', `/v1/instances/${encodeURIComponent(i.id)}`);
      }
      return i;
    }

    // Each step starts several CLI processes, which take seconds each on a loaded machine: the
    // timeout is a hang guard, not a speed check.
    describe(`SPEC §7 walk-through on the real server and CLI, on ${cloud.name}`, { timeout: 900_000 }, () => {
      let supplier: { id: string; token: string };
      let consumer: { id: string; token: string };
      let bystander: { id: string; token: string };
      /** Per package, its version 1's image ID in each served region, as `package image-id` prints it. */
      const imageIds: Record<string, Record<string, string>> = {};
      const services: Record<'ros' | 'terraform', string> = { ros: '', terraform: '' };
      const account = async (name: string, role: string) => (await cli(server.adminToken, ['account', 'create', '--name', name, '--role', role, '--json'])).json;

      it('1. sets up a supplier and two consumers; the supplier publishes two packages to 3 regions and reads their image IDs', async () => {
        supplier = await account('vendor', 'supplier');
        consumer = await account('buyer', 'consumer');
        bystander = await account('other_buyer', 'consumer');
        await cloud.accountsReady([supplier.id, consumer.id, bystander.id]);
        for (const name of ['web_image', 'db_image']) {
          const imageId = await cloud.sourceImage(supplier, SOURCE);
          const created = await cli(supplier.token, [
            'package', 'create', '--name', name, '--version-name', 'v1_0', '--description', 'an image of the shop under test',
            '--source-region', SOURCE, '--image-id', imageId, '--regions', TARGETS.join(','), '--json',
          ]);
          expect(created.code).toBe(0);
          const published = await cli(supplier.token, ['package', 'publish', name, '--wait', '--json']);
          expect([published.code, published.json.state]).toEqual([0, 'Available']);
          imageIds[name] = {};
          for (const region of SERVED) {
            const id = await cli(supplier.token, ['package', 'image-id', name, '--version', '1', '--region', region, '--json']);
            expect(id.code).toBe(0);
            imageIds[name]![region] = id.json.imageId;
          }
          // The source region serves the version's ingested image; every other region its own copy.
          expect(new Set(Object.values(imageIds[name]!)).size).toBe(SERVED.length);
        }
        // Each copy in the cloud is where the image-id lookup says it is.
        const copies = await liveCopies();
        for (const [, byRegion] of Object.entries(imageIds)) {
          for (const [region, id] of Object.entries(byRegion)) expect(copies.find((c) => c.imageId === id)?.region).toBe(region);
        }
        // Becoming Available asks for shares: the owner gets every copy, and no one else yet.
        for (const c of await untilCopies((x) => x.sharedWith.includes(supplier.id), 'a share with the owner')) expect(c.sharedWith).toEqual([supplier.id]);
        const unserved = await cli(supplier.token, ['package', 'image-id', 'web_image', '--version', '1', '--region', UNSERVED, '--json']);
        expect(errorOf(unserved)).toEqual([1, 'REGION_NOT_AVAILABLE']);
      });

      it('2. creates a whitelisted ROS service listing its two placeholders; submit is refused until both are associated', async () => {
        const file = path.join(dir, 'shop.yaml');
        await writeFile(file, ROS_TEMPLATE);
        const created = await cli(supplier.token, ['service', 'create', '--name', 'web_shop', '--template', file, '--visibility', 'whitelist', '--accounts', consumer.id, '--json']);
        expect(created.code).toBe(0);
        expect(created.json).toMatchObject({ name: 'web_shop', state: 'Draft', visibility: 'whitelist', deployType: 'ros' });
        expect(created.json.revisions.draft.placeholders.map((p: { value: string }) => p.value)).toEqual(['m-webplaceholder', 'm-dbplaceholder']);
        services.ros = created.json.id;
        expect(errorOf(await cli(supplier.token, ['service', 'submit', 'web_shop', '--json']))).toEqual([1, 'SERVICE_NOT_READY']);
        // Published: the package has no draft any more.
        const noDraft = await cli(supplier.token, ['service', 'associate', services.ros, '--placeholder', 'm-dbplaceholder', '--package', 'db_image', '--version', 'draft', '--json']);
        expect(errorOf(noDraft)).toEqual([1, 'NOT_FOUND']);
        for (const [placeholder, pkg] of [['m-webplaceholder', 'web_image'], ['m-dbplaceholder', 'db_image']]) {
          expect((await cli(supplier.token, ['service', 'associate', 'web_shop', '--placeholder', placeholder!, '--package', pkg!, '--version', '1', '--json'])).code).toBe(0);
        }
      });

      it('3. test-deploys the ROS service as the supplier: the cloud runs that region\'s image of each package', async () => {
        const r = await cli(supplier.token, ['service', 'test', 'web_shop', '--region', 'ap-southeast-1', '--json']);
        expect(r.code).toBe(0);
        const t = await settled(supplier.token, r.json);
        expect([t.state, t.test]).toEqual(['Deployed', true]);
        const ran = (await running(supplier.id)).filter((x) => x.deploymentId === t.id);
        expect(sorted(ran.map((r) => [r.logicalId, r.region, r.imageId]))).toEqual([
          ['Db', 'ap-southeast-1', imageIds.db_image!['ap-southeast-1']],
          ['Web', 'ap-southeast-1', imageIds.web_image!['ap-southeast-1']],
        ]);
      });

      it('4. submits; only the admin approves (a reason-less reject is a usage error); the supplier publishes', async () => {
        expect((await cli(supplier.token, ['service', 'submit', 'web_shop', '--json'])).json.state).toBe('Submitted');
        expect(errorOf(await cli(supplier.token, ['service', 'approve', services.ros, '--json']))).toEqual([1, 'FORBIDDEN']);
        expect((await cli(server.adminToken, ['service', 'reject', services.ros, '--json'])).code).toBe(2);
        const queue = await cli(server.adminToken, ['service', 'list', '--state', 'Submitted', '--json']);
        expect(queue.json.items.map((s: { id: string }) => s.id)).toEqual([services.ros]);
        expect((await cli(server.adminToken, ['service', 'approve', services.ros, '--json'])).json.state).toBe('Approved');
        const published = await cli(supplier.token, ['service', 'publish', 'web_shop', '--json']);
        expect([published.code, published.json.state]).toEqual([0, 'Online']);
        const seen = await cli(consumer.token, ['service', 'list', '--json']);
        expect(seen.json.items.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([['web_shop', 'Online']]);
        expect((await cli(bystander.token, ['service', 'list', '--json'])).json.items).toEqual([]);
        const human = await cli(supplier.token, ['service', 'show', 'web_shop']);
        expect(human.code).toBe(0);
        expect(human.stdout).toMatch(/State\s+Online/);
        expect(human.stdout).toMatch(/m-dbplaceholder\s+template\.yaml:10:16 Db\s+db_image\s+1/);
      });

      it('5. shares every copy of both packages with the whitelisted consumer, in every region (read from the cloud)', async () => {
        const copies = await untilCopies((c) => c.sharedWith.includes(consumer.id), 'a share with the consumer');
        expect(copies.map((c) => c.region).sort()).toEqual([...SERVED, ...SERVED].sort());
        for (const c of copies) expect([c.sharedWith, c.isPublic]).toEqual([[consumer.id, supplier.id].sort(), false]);
      });

      /** The consumer deploys in every served region: the cloud runs exactly that region's image per placeholder. */
      async function deployEverywhere(service: string, logicalIds: { web: string; db: string }) {
        for (const region of SERVED) {
          const r = await cli(consumer.token, ['instance', 'create', '--service', service, '--region', region, '--wait', '--json']);
          expect([r.code, r.json.state, r.json.region]).toEqual([0, 'Deployed', region]);
          const expected = [
            [logicalIds.web, imageIds.web_image![region]],
            [logicalIds.db, imageIds.db_image![region]],
          ];
          const ran = (await running(consumer.id)).filter((x) => x.deploymentId === r.json.id);
          expect(ran.every((x) => x.region === region)).toBe(true);
          expect(sorted(ran.map((x) => [x.logicalId, x.imageId]))).toEqual(sorted(expected));
          expect(sorted(r.json.images.map((m: { package: string; version: number; imageId: string }) => [m.package, m.version, m.imageId]))).toEqual([
            ['db_image', 1, imageIds.db_image![region]],
            ['web_image', 1, imageIds.web_image![region]],
          ]);
        }
      }

      /** A region the versions never reached: refused with the exact code, and nothing is made. */
      async function refusedWhereUnserved(service: string) {
        const before = await cli(consumer.token, ['instance', 'list', '--json']);
        const runningBefore = await running(consumer.id);
        const r = await cli(consumer.token, ['instance', 'create', '--service', service, '--region', UNSERVED, '--wait', '--json']);
        expect(errorOf(r)).toEqual([1, 'IMAGE_NOT_AVAILABLE_IN_REGION']);
        const after = await cli(consumer.token, ['instance', 'list', '--json']);
        expect(after.json.items.map((i: { id: string }) => i.id)).toEqual(before.json.items.map((i: { id: string }) => i.id));
        expect(after.json.items.filter((i: { region: string }) => i.region === UNSERVED)).toEqual([]);
        expect(await running(consumer.id)).toEqual(runningBefore);
      }

      it('6. the whitelisted consumer deploys the ROS service in each region with that region\'s images', async () => {
        await deployEverywhere(services.ros, { web: 'Web', db: 'Db' });
      });

      it(`7. a ROS deployment in ${UNSERVED}, where no version was distributed, is refused and makes nothing`, async () => {
        await refusedWhereUnserved(services.ros);
      });

      it('8. the same flow with a Terraform service: create, associate, test, submit, approve, publish', async () => {
        const file = path.join(dir, 'main.tf');
        await writeFile(file, TF_TEMPLATE);
        const created = await cli(supplier.token, ['service', 'create', '--name', 'tf_shop', '--template', file, '--visibility', 'whitelist', '--accounts', consumer.id, '--json']);
        expect(created.code).toBe(0);
        expect(created.json.deployType).toBe('terraform');
        expect(created.json.revisions.draft.placeholders.map((p: { value: string }) => p.value)).toEqual(['tf-web-image', 'tf-db-image']);
        services.terraform = created.json.id;
        for (const [placeholder, pkg] of [['tf-web-image', 'web_image'], ['tf-db-image', 'db_image']]) {
          expect((await cli(supplier.token, ['service', 'associate', 'tf_shop', '--placeholder', placeholder!, '--package', pkg!, '--version', '1', '--json'])).code).toBe(0);
        }
        const r = await cli(supplier.token, ['service', 'test', 'tf_shop', '--region', SOURCE, '--json']);
        expect(r.code).toBe(0);
        const t = await settled(supplier.token, r.json);
        expect(t.state).toBe('Deployed');
        const ran = (await running(supplier.id)).filter((x) => x.deploymentId === t.id);
        expect(sorted(ran.map((r) => [r.resourceType, r.imageId]))).toEqual([
          ['alicloud_ess_scaling_configuration', imageIds.db_image![SOURCE]],
          ['alicloud_instance', imageIds.web_image![SOURCE]],
        ]);
        expect((await cli(supplier.token, ['service', 'submit', 'tf_shop', '--json'])).json.state).toBe('Submitted');
        expect((await cli(server.adminToken, ['service', 'approve', services.terraform, '--json'])).json.state).toBe('Approved');
        expect((await cli(supplier.token, ['service', 'publish', 'tf_shop', '--json'])).json.state).toBe('Online');
      });

      it('9. the consumer deploys the Terraform service in each region with that region\'s images', async () => {
        await deployEverywhere(services.terraform, { web: 'web', db: 'db' });
      });

      it(`10. a Terraform deployment in ${UNSERVED} is refused and makes nothing`, async () => {
        await refusedWhereUnserved(services.terraform);
      });

      it('11. removed from the ROS whitelist only, the consumer keeps the copies: the Terraform service still grants them (union of whitelists)', async () => {
        const changed = await cli(supplier.token, ['service', 'visibility', 'web_shop', '--set', 'whitelist', '--accounts', bystander.id, '--json']);
        expect(changed.code).toBe(0);
        // Once the bystander is in (the change was reconciled), the consumer is still there.
        const copies = await untilCopies((c) => c.sharedWith.includes(bystander.id), 'a share with the bystander');
        for (const c of copies) expect(c.sharedWith).toEqual([bystander.id, consumer.id, supplier.id].sort());
        expect(errorOf(await cli(consumer.token, ['instance', 'create', '--service', services.ros, '--region', SOURCE, '--json']))).toEqual([1, 'NOT_FOUND']);
      });

      it('12. removed from the Terraform whitelist too, the consumer loses every copy in every region, and its next deployment is refused', async () => {
        const changed = await cli(supplier.token, ['service', 'visibility', 'tf_shop', '--set', 'whitelist', '--accounts', bystander.id, '--json']);
        expect(changed.code).toBe(0);
        const copies = await untilCopies((c) => !c.sharedWith.includes(consumer.id), 'the revocation of the consumer');
        expect(copies.map((c) => c.region).sort()).toEqual([...SERVED, ...SERVED].sort());
        for (const c of copies) expect([c.sharedWith, c.isPublic]).toEqual([[bystander.id, supplier.id].sort(), false]);
        const runningBefore = await running(consumer.id);
        for (const service of [services.ros, services.terraform]) {
          for (const region of [SOURCE, 'eu-central-1']) {
            expect(errorOf(await cli(consumer.token, ['instance', 'create', '--service', service, '--region', region, '--json']))).toEqual([1, 'NOT_FOUND']);
          }
        }
        expect(await running(consumer.id)).toEqual(runningBefore);
      });
    });
  });
}

walkThrough(simulatorCloud());
walkThrough(alibabaEmulatorCloud());
