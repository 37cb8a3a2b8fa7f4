/** Starts the real `imagenest server` as a child process on a free port, and runs the real CLI. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/imagenest.js');

export interface ServerProcess {
  url: string;
  dataDir: string;
  adminToken: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `imagenest <args>` and resolves once it prints "listening on URL". */
async function spawnListening(what: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 180 s:\n${out}\n${err}`)), 180_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}\n${err}`));
    });
  });
  return { child, url };
}

async function stopChild(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
}

export async function startServerProcess(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'imagenest-e2e-'));
  const { child, url } = await spawnListening('server', ['server', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...args], env);
  const adminToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
  return { url, dataDir, adminToken, child, stop: () => stopChild(child, dataDir) };
}

export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The real `imagenest emulator` (ECS API over its own simulator) in a fresh data directory. */
export async function startEmulatorProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EmulatorProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'imagenest-emu-'));
  const { child, url } = await spawnListening('emulator', ['emulator', '--data-dir', dataDir, '--log-level', 'warn', ...args], env);
  return { url, child, stop: () => stopChild(child, dataDir) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** A port nothing listens on now (for a process started later on it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
