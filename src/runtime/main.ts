/**
 * The program entry: the CLI parses flags and environment into the typed config of
 * `config.ts` and calls back here to launch a process. The process wiring is imported
 * only when one is launched, so other commands (and `--help`) load none of it.
 */
import { runCli } from '../cli/program.ts';
import { crashTestKnobs, type LaunchHandlers } from './config.ts';

/** Closes the process on SIGINT/SIGTERM, then exits; until then it runs. */
function runUntilStopped(running: { close(): Promise<void> }): Promise<never> {
  const stop = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    running.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return new Promise<never>(() => {});
}

const handlers: LaunchHandlers = {
  async startServer(config) {
    const [{ startServer }, { externalCloud }] = await Promise.all([import('./server.ts'), import('./cloud.ts')]);
    await runUntilStopped(await startServer(config, { cloud: externalCloud(config) }));
  },
  async startWorker(config) {
    const [{ startWorkerProcess }, { externalCloud }] = await Promise.all([import('./worker.ts'), import('./cloud.ts')]);
    const running = await startWorkerProcess(config, {
      cloud: externalCloud(config),
      knobs: crashTestKnobs(process.env),
      failpointEffects: { chance: Math.random, kill: () => process.kill(process.pid, 'SIGKILL') },
    });
    process.stdout.write(`Imagenest worker ${running.workerId} started\n`);
    await runUntilStopped(running);
  },
  async startEmulator(config) {
    const { startEmulator } = await import('./emulator.ts');
    await runUntilStopped(await startEmulator(config));
  },
  async resetAdminToken(config) {
    const { resetAdminTokenOffline } = await import('./admin-reset.ts');
    return resetAdminTokenOffline(config);
  },
};

process.exitCode = await runCli(process.argv.slice(2), handlers);
