/** The composition root and program entry: reads the environment, builds adapters, runs the CLI. */
import { runCli } from './cli/program.ts';
import { DEFAULT_SIM_SPEED } from './cli/program.ts';
import { parseFailpoints } from './control-plane.ts';
import { startServer, startWorkerProcess } from './server.ts';

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    async startServer(options) {
      const running = await startServer({ ...options, simSpeed: options.simSpeed, defaultSimSpeed: DEFAULT_SIM_SPEED });
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
      // Resolve only when the process is told to stop: the server runs until then.
      await new Promise<never>(() => {});
    },
    async startWorker(options) {
      // Test knobs for the crash and multi-worker tests; production leaves them unset.
      const env = process.env;
      const running = await startWorkerProcess({
        ...options,
        failpoints: parseFailpoints(env.IMAGENEST_FAILPOINTS),
        sweepEveryMs: env.IMAGENEST_SWEEP_MS ? Number(env.IMAGENEST_SWEEP_MS) : undefined,
        leaseSeconds: env.IMAGENEST_LEASE_SECONDS ? Number(env.IMAGENEST_LEASE_SECONDS) : undefined,
      });
      process.stdout.write(`Imagenest worker ${running.workerId} started\n`);
      const stop = () => running.close().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<never>(() => {});
    },
  });
  process.exitCode = code;
}

await main();
