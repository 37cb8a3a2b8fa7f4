/**
 * The Alibaba Cloud path end to end, on real processes: `imagenest emulator` serves the ECS API
 * over its own simulator; `imagenest server --cloud alibaba --alibaba-endpoint` distributes
 * through the official SDK, signing as the supplier (its source image) and as the distribution
 * account (every copy), with the keys of a credentials file that gains the supplier while the
 * server runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { $Ecs, $OpenApiUtil } from '../src/cloud/alibaba/sdk.ts';
import { freePort, runCli, startEmulatorProcess, startServerProcess, type ServerProcess } from './support/server-process.ts';


const DIST = 'imagenest-distribution';
const SPEED = '600';


function ecs(endpoint: string, accessKeyId: string, accessKeySecret: string) {
  return new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint: endpoint.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' }));
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('distribution on Alibaba Cloud through the official SDK (against imagenest emulator)', () => {
  it('publishes to five regions: all Available, one image each in the distribution account, made with the supplier’s and the platform’s keys', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const work = await mkdtemp(path.join(tmpdir(), 'imagenest-alibaba-'));
    cleanup.push(() => rm(work, { recursive: true, force: true }));
    const credentials = path.join(work, 'credentials.json');
    const keys: Record<string, { accessKeyId: string; accessKeySecret: string }> = { [DIST]: { accessKeyId: DIST, accessKeySecret: 'dist-secret' } };
    await writeFile(credentials, JSON.stringify(keys));

    const server: ServerProcess = await startServerProcess(['--cloud', 'alibaba', '--alibaba-endpoint', endpoint, '--alibaba-credentials', credentials, '--sim-speed', SPEED]);
    cleanup.push(() => server.stop());
    const acct = await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'acme', '--role', 'supplier', '--json']);
    expect(acct.code).toBe(0);
    const supplierId = acct.json.id as string;
    const cli = (args: string[]) => runCli(['--url', server.url, '--token', acct.json.token as string, ...args]);
    const simOnly = await cli(['sim', 'image', 'create', '--region', 'cn-hangzhou', '--size-gib', '10', '--json']);
    expect(simOnly.code).toBe(1);
    expect(simOnly.json.error.code).toBe('SIMULATOR_ONLY');
    // The supplier's keys arrive while the server runs.
    keys[supplierId] = { accessKeyId: supplierId, accessKeySecret: 'supplier-secret' };
    await writeFile(credentials, JSON.stringify(keys));

    const emulator = await startEmulatorProcess(['--port', String(port), '--sim-speed', SPEED, '--access-key', `${DIST}:dist-secret`, '--access-key', `${supplierId}:supplier-secret`]);
    cleanup.push(() => emulator.stop());
    expect(emulator.url).toBe(endpoint);

    // The supplier's source image, made in its own account through the ECS API.
    const asSupplier = ecs(endpoint, supplierId, 'supplier-secret');
    const made = await asSupplier.createImage(
      new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', imageName: 'acme-app', diskDeviceMapping: [new $Ecs.CreateImageRequestDiskDeviceMapping({ size: 40 })] }),
    );
    const sourceImageId = made.body!.imageId!;

    const regions = ['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'us-east-1', 'eu-central-1'];
    const created = await cli([
      'package', 'create', '--name', 'acme_app', '--version-name', 'v1_0', '--description', 'published through the ECS API',
      '--source-region', 'cn-hangzhou', '--image-id', sourceImageId, '--regions', regions.join(','), '--json',
    ]);
    expect(created.code).toBe(0);
    const published = await cli(['package', 'publish', 'acme_app', '--wait', '--timeout', '180', '--json']);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.json).toMatchObject({ package: 'acme_app', version: 1, state: 'Available' });
    const byRegion = new Map<string, string>(published.json.regions.map((r: { region: string; imageId: string }) => [r.region, r.imageId]));
    expect([...byRegion.keys()].sort()).toEqual([...regions].sort());

    // What the cloud holds, asked through the ECS API as the distribution account.
    const asPlatform = ecs(endpoint, DIST, 'dist-secret');
    for (const region of regions) {
      const res = await asPlatform.describeImages(new $Ecs.DescribeImagesRequest({ regionId: region, status: 'Waiting,Creating,Available,UnAvailable,CreateFailed', pageSize: 100 }));
      const own = (res.body?.images?.image ?? []).filter((i) => i.imageOwnerAlias === 'self');
      expect(own.map((i) => [i.imageId, i.status])).toEqual([[byRegion.get(region), 'Available']]);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/imagenest_cloud_api_calls_total\{action="CopyImage",outcome="ok"\} 5/);
  }, 240_000);

  it('refuses --sim-speed against real Alibaba Cloud, and a credentials file that is not what it should be', async () => {
    const speed = await runCli(['server', '--cloud', 'alibaba', '--sim-speed', '10', '--port', '0']);
    expect(speed.code).toBe(2);
    expect(speed.stderr).toContain('--sim-speed');
    const work = await mkdtemp(path.join(tmpdir(), 'imagenest-alibaba-'));
    cleanup.push(() => rm(work, { recursive: true, force: true }));
    const bad = path.join(work, 'credentials.json');
    await writeFile(bad, JSON.stringify({ [DIST]: { accessKeyId: DIST } }));
    const res = await runCli(['server', '--cloud', 'alibaba', '--alibaba-credentials', bad, '--port', '0', '--data-dir', path.join(work, 'data')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${DIST}.accessKeySecret`);
  });
});
