/** The composition root and program entry: reads the environment, builds adapters, runs the CLI. */
import { runCli, DEFAULT_SIM_SPEED, type CloudCliOptions } from './cli/program.ts';
import { AlibabaEcsProvider } from './cloud/alibaba/ecs-provider.ts';
import { loadCredentials } from './cloud/alibaba/credentials-file.ts';
import { DEFAULT_DISTRIBUTION_ACCOUNT, parseFailpoints, type ExternalCloud } from './control-plane.ts';
import { startEmulator } from './emulator-server.ts';
import { startServer, startWorkerProcess } from './server.ts';

/** The cloud the options name: undefined for the embedded simulator, else the Alibaba adapter. */
function externalCloud(o: CloudCliOptions & { simSpeed?: number | undefined }): ExternalCloud | undefined {
  if (o.cloud !== 'alibaba') return undefined;
  const credentialsFor = loadCredentials(o.alibabaCredentials, o.distributionAccount ?? DEFAULT_DISTRIBUTION_ACCOUNT);
  const provider = new AlibabaEcsProvider({ endpoint: o.alibabaEndpoint, credentialsFor });
  return {
    provider,
    label: o.alibabaEndpoint ? `Alibaba Cloud ECS API at ${o.alibabaEndpoint}${o.simSpeed !== undefined ? `, emulated time at ${o.simSpeed}x` : ''}` : 'Alibaba Cloud',
    emulatedSpeed: o.alibabaEndpoint ? o.simSpeed : undefined,
  };
}

function stopOnSignals(close: () => Promise<void>): void {
  const stop = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    async startServer(options) {
      const cloud = externalCloud(options);
      const running = await startServer({ ...options, cloud, simSpeed: cloud ? undefined : options.simSpeed, defaultSimSpeed: DEFAULT_SIM_SPEED });
      stopOnSignals(() => running.close());
      // Resolve only when the process is told to stop: the server runs until then.
      await new Promise<never>(() => {});
    },
    async startWorker(options) {
      // Test knobs for the crash and multi-worker tests; production leaves them unset.
      const env = process.env;
      const cloud = externalCloud(options);
      const running = await startWorkerProcess({
        ...options,
        cloud,
        simSpeed: cloud ? undefined : options.simSpeed,
        failpoints: parseFailpoints(env.IMAGENEST_FAILPOINTS),
        sweepEveryMs: env.IMAGENEST_SWEEP_MS ? Number(env.IMAGENEST_SWEEP_MS) : undefined,
        leaseSeconds: env.IMAGENEST_LEASE_SECONDS ? Number(env.IMAGENEST_LEASE_SECONDS) : undefined,
      });
      process.stdout.write(`Imagenest worker ${running.workerId} started\n`);
      stopOnSignals(() => running.close());
      await new Promise<never>(() => {});
    },
    async startEmulator(options) {
      const running = await startEmulator({ ...options, accessKeys: options.accessKey ?? [] });
      stopOnSignals(() => running.close());
      await new Promise<never>(() => {});
    },
  });
  process.exitCode = code;
}

await main();
