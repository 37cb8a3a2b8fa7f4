/** The composition root and program entry: reads the environment, builds adapters, runs the CLI. */
import { runCli } from './cli/program.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    async startServer(options) {
      const running = await startServer(options);
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
  });
  process.exitCode = code;
}

await main();
