/**
 * Starting the real `imagenest server` process: a private data directory whatever the umask,
 * refusals before any state is created (data directory others can write, unusable, port taken),
 * an atomic first start, and `imagenest admin reset-token` (issue 11 findings 2 and 6, issue 12
 * scope 10). Every refusal is checked by exit code and error code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, authenticate } from '../src/app/accounts.ts';
import { BIN } from './support/server-process.ts';
import { depsFor } from './support/fixtures.ts';
import { postgresBackend } from './support/stores.ts';

interface Exit {
  /** null when the process was killed by a signal (a hang ended by the test, never a clean exit). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `imagenest <args>` to its end; `umask` wraps it in `sh -c 'umask …; exec …'`. */
function run(args: string[], opts: LaunchOptions = {}): Promise<Exit> {
  return new Promise((resolve) => {
    const child = launch(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every process started here, so that none outlives the file when a test fails (a server that should have refused runs on). */
const children = new Set<ChildProcess>();

interface LaunchOptions {
  umask?: string;
  uid?: number;
  env?: NodeJS.ProcessEnv;
}

function launch(args: string[], { umask, uid, env }: LaunchOptions = {}): ChildProcess {
  const [cmd, argv] = umask ? ['sh', ['-c', `umask ${umask}; exec "$0" "$@"`, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const child = spawn(cmd as string, argv as string[], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A server process, resolved once it says where it listens. */
async function startServer(dataDir: string, opts: LaunchOptions = {}): Promise<{ child: ChildProcess; url: string; stdout: () => string; stop(): Promise<void> }> {
  const child = launch(['server', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], opts);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}\n${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every path under `dir`, `dir` included, whose mode lets group or others read, write or enter it. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string) => {
    const st = await lstat(p);
    if (!st.isSymbolicLink() && st.mode & 0o077) found.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(dir);
  return found;
}

const exists = (p: string) => stat(p).then(() => true, () => false);
const whoami = async (url: string, token: string) => (await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${token}` } })).status;
/** The error code the CLI printed: `error: … (CODE)`. */
const errorCode = (e: Exit) => /\(([A-Z_]+)\)\s*$/.exec(e.stderr)?.[1];

/** Room for tests that create an embedded database (≈5 s idle, a minute on a loaded 2-core machine): not a limit under test. */
const FRESH_DATABASE_MS = 300_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'imagenest-start-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

describe('a data directory the server creates with umask 000', () => {
  let dataDir: string;
  let first: Awaited<ReturnType<typeof startServer>> | undefined;
  let oldToken: string;
  afterAll(async () => {
    await first?.stop();
  });

  it('is private: no file or directory under it is open to group or others', async () => {
    dataDir = path.join(root, 'fresh', 'data');
    first = await startServer(dataDir, { umask: '000' });
    oldToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(await whoami(first.url, oldToken)).toBe(200);
    expect(await openToOthers(dataDir)).toEqual([]);
  }, FRESH_DATABASE_MS);

  it('admin reset-token refuses while the server holds the data directory (exit 1, DATA_DIR_IN_USE)', async () => {
    const r = await run(['admin', 'reset-token', '--data-dir', dataDir]);
    expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_IN_USE']);
    expect((await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim()).toBe(oldToken);
  });

  it('admin reset-token, the server stopped, writes a new token (0600) that works where the old one no longer does; IMAGENEST_METRICS_TOKEN guards /metrics', async () => {
    await first!.stop();
    const r = await run(['admin', 'reset-token', '--data-dir', dataDir, '--json'], { umask: '000' });
    expect(r.code).toBe(0);
    const tokenFile = path.join(dataDir, 'admin-token');
    expect(JSON.parse(r.stdout)).toEqual({ accountId: expect.stringMatching(/^acc-/), tokenFile });
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const newToken = (await readFile(tokenFile, 'utf8')).trim();
    expect(newToken).not.toBe(oldToken);

    const again = await startServer(dataDir, { env: { IMAGENEST_METRICS_TOKEN: 'scrape-secret' } });
    try {
      expect(await whoami(again.url, newToken)).toBe(200);
      expect(await whoami(again.url, oldToken)).toBe(401);
      // The metrics token reaches /metrics from the environment; an API token does not open it.
      const scrape = async (token: string) => (await fetch(`${again.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status;
      expect([await scrape(newToken), await scrape('scrape-secret')]).toEqual([401, 200]);
    } finally {
      await again.stop();
    }
  }, FRESH_DATABASE_MS);
});

describe('refused before anything is created', () => {
  it('a data directory others can write: exit 1, DATA_DIR_UNSAFE, nothing written in it', async () => {
    for (const mode of [0o777, 0o770]) {
      const dir = path.join(root, `open-${mode.toString(8)}`);
      await mkdir(dir);
      await chmod(dir, mode);
      const r = await run(['server', '--port', '0', '--data-dir', dir]);
      expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_UNSAFE']);
      expect(r.stderr).toContain(`chmod -R go-rwx ${dir}`);
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it("a data directory of another user: exit 1, DATA_DIR_UNSAFE", async ({ skip }) => {
    if (process.getuid!() !== 0) skip('only root can give a directory to another user here');
    const dir = path.join(root, 'nobodys');
    await mkdir(dir, { mode: 0o700 });
    await chown(dir, 65534, 65534);
    const r = await run(['server', '--port', '0', '--data-dir', dir]);
    expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_UNSAFE']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a data directory that is a file, or under one: exit 1, DATA_DIR_UNUSABLE', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a directory');
    for (const dir of [file, path.join(file, 'data')]) {
      const r = await run(['server', '--port', '0', '--data-dir', dir]);
      expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_UNUSABLE']);
    }
    expect(await readFile(file, 'utf8')).toBe('not a directory');
  });

  it('a data directory this user cannot write: exit 1, DATA_DIR_UNUSABLE', async () => {
    // Root writes anywhere: the server then runs as `nobody`, who owns the directory read-only.
    const asRoot = process.getuid!() === 0;
    const dir = path.join(root, 'read-only');
    await mkdir(dir, { mode: 0o500 });
    if (asRoot) {
      await chmod(root, 0o755);
      await chown(dir, 65534, 65534);
    }
    const r = await run(['server', '--port', '0', '--data-dir', dir], asRoot ? { uid: 65534 } : {});
    expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_UNUSABLE']);
    expect(await readdir(dir)).toEqual([]);
  });

  describe('a port in use', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => taken.close(() => r())));

    it('exit 1, PORT_IN_USE naming the port, and no data directory created', async () => {
      const dir = path.join(root, 'port-taken');
      const r = await run(['server', '--port', String(port), '--data-dir', dir]);
      expect([r.code, errorCode(r)]).toEqual([1, 'PORT_IN_USE']);
      expect(r.stderr).toContain(String(port));
      expect(await exists(dir)).toBe(false);
    });
  });
});

describe('a first start whose admin token cannot be written', () => {
  it('exits 1 with DATA_DIR_UNUSABLE (no hang) and leaves no admin: the next start creates it', async () => {
    const dir = path.join(root, 'token-blocked');
    await mkdir(path.join(dir, 'admin-token'), { recursive: true, mode: 0o700 });
    const r = await run(['server', '--port', '0', '--data-dir', dir, '--log-level', 'warn']);
    expect([r.code, errorCode(r)]).toEqual([1, 'DATA_DIR_UNUSABLE']);
    expect(r.stdout).not.toMatch(/listening on/);

    await rmdir(path.join(dir, 'admin-token'));
    const next = await startServer(dir);
    try {
      expect(next.stdout()).toMatch(/Created the admin account acc-/);
      const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
      expect(await whoami(next.url, token)).toBe(200);
    } finally {
      await next.stop();
    }
  }, FRESH_DATABASE_MS);
});

describe('admin reset-token on PostgreSQL', () => {
  it.skipIf(postgresBackend.skipReason !== null)('rotates the admin token in the database --database-url names, stores only its hash, writes it to --data-dir', async () => {
    const store = await postgresBackend.open();
    try {
      const deps = depsFor(store);
      const admin = (await bootstrapAdmin(deps))!;
      const target = store.target as { url: string; schema: string };
      const url = `${target.url}${target.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${target.schema}`)}`;
      const dir = path.join(root, 'pg-token');
      const r = await run(['admin', 'reset-token', '--database-url', url, '--data-dir', dir, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ accountId: admin.id, tokenFile: path.join(dir, 'admin-token') });
      const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
      expect((await authenticate(deps, token))?.id).toBe(admin.id);
      expect(await authenticate(deps, admin.token)).toBeUndefined();
      const stored = await store.db.selectFrom('api_tokens').select('token_hash').where('account_id', '=', admin.id).execute();
      expect(stored.map((t) => t.token_hash)).not.toContain(token);
    } finally {
      await store.close();
    }
  });
});
