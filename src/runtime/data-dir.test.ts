/** The data directory's rules on real files: an earlier version's layout made private, the one-process lock. */
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDataDir, holdDataDir, makePrivate } from './data-dir.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'imagenest-datadir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (p: string) => (await stat(p)).mode & 0o777;
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (err: { code?: string }) => err.code);

describe('makePrivate', () => {
  it("narrows an earlier version's 0755 directories and 0666 files to 0700 and 0600, after checkDataDir accepts it", async () => {
    const pgdata = path.join(dir, 'pgdata');
    await mkdir(path.join(pgdata, 'base'), { recursive: true });
    await writeFile(path.join(pgdata, 'base', '1247'), '');
    await writeFile(path.join(dir, 'admin-token'), 'x\n');
    for (const d of [dir, pgdata, path.join(pgdata, 'base')]) await chmod(d, 0o755);
    await chmod(path.join(pgdata, 'base', '1247'), 0o666);
    await chmod(path.join(dir, 'admin-token'), 0o644);

    await checkDataDir(dir);
    await makePrivate(dir);
    expect(await Promise.all([dir, pgdata, path.join(pgdata, 'base')].map(mode))).toEqual([0o700, 0o700, 0o700]);
    expect(await Promise.all([path.join(pgdata, 'base', '1247'), path.join(dir, 'admin-token')].map(mode))).toEqual([0o600, 0o600]);
  });
});

describe('checkDataDir', () => {
  it('refuses group or other write permission with DATA_DIR_UNSAFE, and a missing directory under a writable one is fine', async () => {
    await chmod(dir, 0o720);
    expect(await codeOf(checkDataDir(dir))).toBe('DATA_DIR_UNSAFE');
    await chmod(dir, 0o702);
    expect(await codeOf(checkDataDir(dir))).toBe('DATA_DIR_UNSAFE');
    await chmod(dir, 0o700);
    expect(await codeOf(checkDataDir(path.join(dir, 'not', 'yet')))).toBe('resolved');
  });
});

describe('holdDataDir', () => {
  it('refuses DATA_DIR_IN_USE while a live process holds the directory, and again in the same process', async () => {
    // The test runner's parent is alive for as long as this test runs.
    await writeFile(path.join(dir, 'imagenest.pid'), `${process.ppid}\n`);
    expect(await codeOf(holdDataDir(dir))).toBe('DATA_DIR_IN_USE');
    await rm(path.join(dir, 'imagenest.pid'));

    const lock = await holdDataDir(dir);
    expect(await codeOf(holdDataDir(dir))).toBe('DATA_DIR_IN_USE');
    await lock.release();
    await (await holdDataDir(dir)).release();
  });

  it('takes over a lock left by a process that is gone, and removes it on release', async () => {
    const file = path.join(dir, 'imagenest.pid');
    // Above the largest PID Linux hands out (pid_max ≤ 2^22).
    await writeFile(file, '4194305\n');
    const lock = await holdDataDir(dir);
    expect((await readFile(file, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
    expect(await codeOf(stat(file))).toBe('ENOENT');
  });
});
