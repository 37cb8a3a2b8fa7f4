/**
 * `package publish --wait` on a real terminal: the CLI runs in a pseudo-terminal (util-linux
 * `script`), draws its bars, and gets Ctrl-C. It must leave the terminal as it found it (cursor
 * shown, line wrap on), exit 130 with INTERRUPTED, and the distribution must go on in the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { skipReasonUnlessCi } from './support/outside-input.ts';

const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const WRAP_OFF = '\x1b[?7l';
const WRAP_ON = '\x1b[?7h';

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skipReason = skipReasonUnlessCi(hasScript(), 'pseudo-terminal CLI test', "util-linux 'script' is not installed");

/** Runs `imagenest ARGS` in a pseudo-terminal; `interruptWhen` decides, from the output so far, when to type Ctrl-C. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv, interruptWhen: (out: string) => boolean): Promise<{ code: number | null; out: string; interruptedAt: number }> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // -e: script exits with the command's status; -f: output flushed as it comes.
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], { env: { ...process.env, TERM: 'xterm', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let interruptedAt = -1;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (interruptedAt < 0 && interruptWhen(out)) {
      interruptedAt = out.length;
      // Ctrl-C typed at the terminal: its line discipline sends SIGINT to the CLI.
      child.stdin.write('\x03');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, interruptedAt })));
}

describe.skipIf(skipReason !== null)('publish --wait in a terminal, interrupted', () => {
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startServerProcess(['--sim-speed', '600']);
    const supplier = await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'acme', '--role', 'supplier', '--json']);
    env = { IMAGENEST_URL: server.url, IMAGENEST_TOKEN: supplier.json.token };
    // Big enough that its distribution is still under way when Ctrl-C comes (hours, simulated).
    const image = await runCli(['sim', 'image', 'create', '--region', 'cn-hangzhou', '--size-gib', '1000', '--json'], env);
    const created = await runCli(['package', 'create', '--name', 'big', '--version-name', 'v1_0', '--description', 'a large image to follow', '--source-region', 'cn-hangzhou', '--image-id', image.json.imageId, '--regions', 'cn-shanghai', '--json'], env);
    expect(created.code).toBe(0);
  });
  afterAll(async () => server?.stop());

  it('restores the cursor and line wrap, says the distribution goes on (exit 130), and the distribution does', { timeout: 300_000 }, async () => {
    // Interrupt once the bars are drawn: the cursor hidden and a bar on screen.
    const r = await inTerminal(['package', 'publish', 'big', '--wait'], env, (out) => out.includes(CURSOR_HIDE) && /ingest cn-hangzhou\s+\|/.test(out));
    expect(r.interruptedAt).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.out).toContain(WRAP_OFF);
    // After the Ctrl-C: cursor shown and line wrap on again, after the last time either was turned off.
    const after = r.out.slice(r.interruptedAt);
    expect(after).toContain(CURSOR_SHOW);
    expect(after).toContain(WRAP_ON);
    expect(r.out.lastIndexOf(CURSOR_SHOW)).toBeGreaterThan(r.out.lastIndexOf(CURSOR_HIDE));
    expect(r.out.lastIndexOf(WRAP_ON)).toBeGreaterThan(r.out.lastIndexOf(WRAP_OFF));
    expect(after).toContain('(INTERRUPTED)');
    expect(after).toContain('imagenest package status big --version 1 --watch');

    // The server carries on: the version was Delivering when we stopped following, and ends Available.
    const first = await runCli(['package', 'status', 'big', '--json'], env);
    expect([first.code, first.json.state]).toEqual([0, 'Delivering']);
    for (;;) {
      const s = await runCli(['package', 'status', 'big', '--json'], env);
      expect(s.code).toBe(0);
      expect(['Delivering', 'Available']).toContain(s.json.state);
      if (s.json.state === 'Available') break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
});
