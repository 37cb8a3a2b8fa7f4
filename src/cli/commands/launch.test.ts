/** The simulator tuning flags of `imagenest server|worker|emulator`: parsed into the typed config, from flags or the environment. */
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchHandlers } from '../../runtime/config.ts';
import type { Io } from '../output.ts';
import { runCli } from '../program.ts';

function capture() {
  const seen: Record<string, unknown>[] = [];
  const err: string[] = [];
  const handlers: LaunchHandlers = {
    startServer: async (c) => seen.push({ command: 'server', ...c }),
    startWorker: async (c) => seen.push({ command: 'worker', ...c }),
    startEmulator: async (c) => seen.push({ command: 'emulator', ...c }),
    resetAdminToken: async () => ({ accountId: 'a', tokenFile: 'f' }),
  };
  const io: Io = { out: () => {}, err: (s) => void err.push(s) };
  return { seen, err, run: (argv: string[]) => runCli(argv, handlers, io) };
}

describe('--speed-skew and --source-cap', () => {
  afterEach(() => {
    delete process.env.IMAGENEST_SIM_SPEED_SKEW;
    delete process.env.IMAGENEST_SIM_SOURCE_CAP;
  });

  it('reach the server, the worker and the emulator', async () => {
    const c = capture();
    expect(await c.run(['server', '--speed-skew', '7', '--source-cap', '5'])).toBe(0);
    expect(await c.run(['worker', '--speed-skew', '0'])).toBe(0);
    expect(await c.run(['emulator', '--access-key', 'a:b', '--source-cap', '3'])).toBe(0);
    expect(c.seen.map((s) => [s.command, s.speedSkew, s.sourceCap])).toEqual([
      ['server', 7, 5],
      ['worker', 0, undefined],
      ['emulator', undefined, 3],
    ]);
  });

  it('come from the environment too', async () => {
    process.env.IMAGENEST_SIM_SPEED_SKEW = '42';
    process.env.IMAGENEST_SIM_SOURCE_CAP = '5';
    const c = capture();
    expect(await c.run(['worker'])).toBe(0);
    expect(c.seen[0]).toMatchObject({ speedSkew: 42, sourceCap: 5 });
  });

  it('refuse values that are no seed or no count, and the real cloud', async () => {
    const c = capture();
    expect(await c.run(['server', '--speed-skew', 'abc'])).toBe(2);
    expect(await c.run(['server', '--speed-skew', '-1'])).toBe(2);
    expect(await c.run(['server', '--source-cap', '0'])).toBe(2);
    expect(await c.run(['server', '--cloud', 'alibaba', '--speed-skew', '1'])).toBe(2);
    expect(c.seen).toHaveLength(0);
  });
});
