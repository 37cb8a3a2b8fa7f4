/** What the multi-process distribution tests share: a supplier, packages to publish, worker processes, and waiting for the end. */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { ImagenestClient } from '../../src/cli/client.ts';
import { BIN, runCli, type ServerProcess } from './server-process.ts';

export const DIST = 'imagenest-distribution';

export type Cli = (args: string[]) => ReturnType<typeof runCli>;

export interface SimImage {
  imageId: string;
  region: string;
  status: string;
  deleted: boolean;
  copiedFrom: string | null;
  tags: { key: string; value: string }[];
  /** Its share permission in the cloud: accounts besides the owner, and whether it is public. */
  sharedWith: string[];
  isPublic: boolean;
}

export async function supplier(server: ServerProcess): Promise<{ token: string; cli: Cli }> {
  const r = await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'acme', '--role', 'supplier', '--json']);
  const token = r.json.token as string;
  return { token, cli: (args) => runCli(['--url', server.url, '--token', token, ...args]) };
}

export async function distributionImages(server: ServerProcess): Promise<SimImage[]> {
  const admin = new ImagenestClient({ url: server.url, token: server.adminToken });
  return (await admin.request<{ items: SimImage[] }>('GET', '/v1/sim/images', { query: { account: DIST } })).items;
}

/**
 * Polls the simulated cloud (or what `from` reads of another cloud) until every live image of the distribution account satisfies `ok`
 * (share reconciliation is a job a worker runs on its own time), and returns them. The bound
 * only keeps a broken build from hanging the suite.
 */
export async function untilCopies(from: ServerProcess | (() => Promise<SimImage[]>), ok: (c: SimImage) => boolean, what: string): Promise<SimImage[]> {
  const read = typeof from === 'function' ? from : () => distributionImages(from);
  for (let i = 0; ; i++) {
    const live = (await read()).filter((c) => !c.deleted);
    if (live.length > 0 && live.every(ok)) return live;
    if (i >= 600) throw new Error(`${what} never held: ${JSON.stringify(live.map((c) => [c.region, c.sharedWith, c.isPublic]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every copy the cloud ever made, grouped by the delivery it was made for. */
export function copiesByDelivery(images: SimImage[]): Map<string, SimImage[]> {
  const out = new Map<string, SimImage[]>();
  for (const img of images.filter((i) => i.copiedFrom)) {
    const tag = img.tags.find((t) => t.key === 'imagenest:delivery')?.value ?? '(untagged)';
    out.set(tag, [...(out.get(tag) ?? []), img]);
  }
  return out;
}

export async function createPackages(cli: Cli, count: number, regions: string[], sizes: number[], source = 'cn-hangzhou') {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const img = await cli(['sim', 'image', 'create', '--region', source, '--size-gib', String(sizes[i % sizes.length]), '--json']);
    expect(img.code).toBe(0);
    const name = `pkg_${i}`;
    const created = await cli([
      'package', 'create', '--name', name, '--version-name', 'v1_0', '--description', 'distribution under test',
      '--source-region', source, '--image-id', img.json.imageId, '--regions', regions.join(','), '--json',
    ]);
    expect(created.code).toBe(0);
    names.push(name);
  }
  return names;
}

export async function waitAllFinal(server: ServerProcess, token: string, names: string[], timeoutMs: number) {
  const client = new ImagenestClient({ url: server.url, token });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(names.map((n) => client.status(n, '1')));
    if (statuses.every((s) => s.state !== 'Delivering')) return statuses;
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(statuses.map((s) => [s.package, s.state, s.regions.map((r) => r.state)]))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `imagenest worker` on a database; its log goes to this process's stderr. */
export function spawnWorker(databaseUrl: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--database-url', databaseUrl, '--log-level', 'warn'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return child;
}

/** Resolves once the worker says it started (it has connected and joined the queue). */
export function workerStarted(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (/worker \S+ started/.test(out)) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it started`)));
  });
}
