/**
 * `imagenest emulator` as a process (issue 11 finding 3): access keys from a 0600 file and the
 * environment instead of argv, and a 300 MiB unsigned body refused without the process's peak
 * resident memory (VmHWM, read from /proc) growing anywhere near the body's size.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $Ecs, $OpenApiUtil } from '../src/cloud/alibaba/sdk.ts';
import { floodChunked } from './support/flood.ts';
import { runCli, startEmulatorProcess, type EmulatorProcess } from './support/server-process.ts';

const MiB = 1024 * 1024;
let work: string;
let emulator: EmulatorProcess;

function peakRssKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]);
}

const ecs = (endpoint: string, id: string, secret: string) =>
  new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId: id, accessKeySecret: secret, endpoint: endpoint.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' }));

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'imagenest-emu-keys-'));
  const file = path.join(work, 'keys.json');
  await writeFile(file, JSON.stringify({ dist: { accessKeyId: 'dist', accessKeySecret: 'from-file' } }));
  await chmod(file, 0o600);
  emulator = await startEmulatorProcess(['--port', '0', '--credentials-file', file], { IMAGENEST_EMULATOR_ACCESS_KEYS: 'envkey:from-env' });
});
afterAll(async () => {
  await emulator?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('imagenest emulator, the process', () => {
  it('signs with keys from the credentials file and from the environment, none on its command line', async () => {
    const fromFile = await ecs(emulator.url, 'dist', 'from-file').describeRegions(new $Ecs.DescribeRegionsRequest({}));
    expect(fromFile.body?.regions?.region?.length).toBeGreaterThan(0);
    const fromEnv = await ecs(emulator.url, 'envkey', 'from-env').describeRegions(new $Ecs.DescribeRegionsRequest({}));
    expect(fromEnv.body?.regions?.region?.length).toBeGreaterThan(0);
  });

  it('refuses to start on a credentials file others may read', async () => {
    const open = path.join(work, 'open.json');
    await writeFile(open, JSON.stringify({ dist: { accessKeyId: 'dist', accessKeySecret: 'x' } }));
    await chmod(open, 0o644);
    const r = await runCli(['emulator', '--port', '0', '--data-dir', path.join(work, 'never'), '--credentials-file', open]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('listening');
  });

  it('refuses a 300 MiB unsigned body with 413 while its peak memory grows by less than 100 MB', async () => {
    const pid = emulator.child.pid!;
    const before = peakRssKiB(pid);
    const { status } = await floodChunked(`${emulator.url}/?RegionId=cn-hangzhou`, { 'x-acs-action': 'DescribeRegions' }, 300 * MiB);
    const grownKiB = peakRssKiB(pid) - before;
    expect(grownKiB).toBeLessThan(100 * 1024);
    expect(status).toBe(413);
  });
});
