/**
 * The clouds the SPEC §7 walk-through runs on, and how it reads each one's truth: the embedded
 * simulator (admin /v1/sim routes of the server), or `imagenest emulator` in its own process,
 * reached by `imagenest server --cloud alibaba` through the official SDKs (ECS for distribution and
 * shares, ROS for deployments) and read by the test through the ECS API and the emulator's own
 * read route — never through the product's tables.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImagenestClient } from '../../src/cli/client.ts';
import { instanceIdOfStack } from '../../src/cloud/alibaba/ros-stack.ts';
import { $Ecs, $OpenApiUtil } from '../../src/cloud/alibaba/sdk.ts';
import type { SimInstanceRecord } from '../../src/cloud/simulator-port.ts';
import { DIST, distributionImages, type SimImage } from './distribution-procs.ts';
import { freePort, runCli, startEmulatorProcess, startServerProcess, type EmulatorProcess, type ServerProcess } from './server-process.ts';

export interface WalkCloud {
  name: string;
  /** Starts the server on this cloud. */
  startServer(dir: string, extraArgs: string[]): Promise<ServerProcess>;
  /** The accounts exist: give them keys in the cloud. */
  accountsReady(accounts: string[]): Promise<void>;
  /** A source image of the supplier's own, in `region`. */
  sourceImage(supplier: { id: string; token: string }, region: string): Promise<string>;
  /** The distribution account's live copies in `regions`, with their share permissions. */
  copies(regions: readonly string[]): Promise<SimImage[]>;
  /** What runs in an account, each resource with the instance it was deployed for. */
  running(account: string): Promise<SimInstanceRecord[]>;
  close(): Promise<void>;
}

export function simulatorCloud(): WalkCloud {
  let server: ServerProcess;
  return {
    name: 'the embedded simulator',
    async startServer(_dir, extraArgs) {
      server = await startServerProcess(['--sim-speed', '1000', ...extraArgs]);
      return server;
    },
    async accountsReady() {},
    async sourceImage(supplier, region) {
      const image = await runCli(['--url', server.url, '--token', supplier.token, 'sim', 'image', 'create', '--region', region, '--size-gib', '20', '--json']);
      return image.json.imageId as string;
    },
    async copies() {
      return (await distributionImages(server)).filter((i) => !i.deleted);
    },
    async running(account) {
      const admin = new ImagenestClient({ url: server.url, token: server.adminToken });
      return (await admin.request<{ items: SimInstanceRecord[] }>('GET', '/v1/sim/instances', { query: { account } })).items;
    },
    async close() {
      await server?.stop();
    },
  };
}

const ALL_STATUSES = 'Waiting,Creating,Available,UnAvailable,CreateFailed';
const secretOf = (account: string) => `secret-of-${account}`;

/** `imagenest emulator` in its own process; the server reaches it with the keys of a credentials file. */
export function alibabaEmulatorCloud(): WalkCloud {
  let port: number;
  let endpoint: string;
  let credentials: string;
  let emulator: EmulatorProcess | undefined;
  let server: ServerProcess | undefined;
  const ecs = (account: string) =>
    new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId: account, accessKeySecret: secretOf(account), endpoint: endpoint.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' }));
  return {
    name: 'Alibaba Cloud (imagenest emulator, official SDKs)',
    async startServer(dir, extraArgs) {
      port = await freePort();
      endpoint = `http://127.0.0.1:${port}`;
      credentials = path.join(dir, 'credentials.json');
      await writeFile(credentials, JSON.stringify({ [DIST]: { accessKeyId: DIST, accessKeySecret: secretOf(DIST) } }), { mode: 0o600 });
      server = await startServerProcess(['--cloud', 'alibaba', '--alibaba-endpoint', endpoint, '--alibaba-credentials', credentials, '--sim-speed', '1000', ...extraArgs]);
      return server;
    },
    async accountsReady(accounts) {
      const all = [DIST, ...accounts];
      // The server rereads the file for an account it does not know yet.
      await writeFile(credentials, JSON.stringify(Object.fromEntries(all.map((a) => [a, { accessKeyId: a, accessKeySecret: secretOf(a) }]))), { mode: 0o600 });
      emulator = await startEmulatorProcess(['--port', String(port), '--sim-speed', '1000', '--credentials-file', credentials]);
    },
    async sourceImage(supplier, region) {
      const made = await ecs(supplier.id).createImage(
        new $Ecs.CreateImageRequest({ regionId: region, imageName: 'walk-source', diskDeviceMapping: [new $Ecs.CreateImageRequestDiskDeviceMapping({ size: 20 })] }),
      );
      return made.body!.imageId!;
    },
    async copies(regions) {
      const out: SimImage[] = [];
      for (const region of regions) {
        const res = await ecs(DIST).describeImages(new $Ecs.DescribeImagesRequest({ regionId: region, status: ALL_STATUSES, pageSize: 100 }));
        // The emulator lists the images shared with the account too: keep the account's own.
        for (const img of (res.body?.images?.image ?? []).filter((i) => i.imageOwnerAlias === 'self')) {
          const share = await ecs(DIST).describeImageSharePermission(new $Ecs.DescribeImageSharePermissionRequest({ regionId: region, imageId: img.imageId!, pageSize: 100 }));
          out.push({
            imageId: img.imageId!,
            region,
            status: img.status ?? '',
            deleted: false,
            copiedFrom: null,
            tags: (img.tags?.tag ?? []).map((t) => ({ key: t.tagKey ?? '', value: t.tagValue ?? '' })),
            sharedWith: (share.body?.accounts?.account ?? []).map((a) => a.aliyunId ?? '').sort(),
            isPublic: (share.body?.shareGroups?.shareGroup ?? []).some((g) => g.group === 'all'),
          });
        }
      }
      return out;
    },
    async running(account) {
      const res = await fetch(`${endpoint}/emulator/instances`, { headers: { authorization: `Basic ${Buffer.from(`${account}:${secretOf(account)}`).toString('base64')}` } });
      if (!res.ok) throw new Error(`the emulator's instance list answered ${res.status}: ${await res.text()}`);
      const items = ((await res.json()) as { items: (SimInstanceRecord & { stackName: string | null })[] }).items;
      // A resource belongs to a stack; the stack is named after the instance it deploys.
      return items.map(({ stackName, ...r }) => ({ ...r, deploymentId: (stackName && instanceIdOfStack(stackName)) ?? r.deploymentId }));
    },
    async close() {
      await server?.stop();
      await emulator?.stop();
    },
  };
}
