/**
 * `imagenest server|worker|emulator` and `imagenest admin`: the commands that run on the
 * database itself rather than through the API. Each shared option is declared
 * once here; the parsed options are the typed config of `runtime/config.ts`.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_SIM_SPEED, LOG_LEVELS, type AdminConfig, type CloudConfig, type EmulatorConfig, type LaunchHandlers, type ServerConfig, type WorkerConfig } from '../../runtime/config.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseAccessKey, parsePort, parsePositiveInt, parseSeed, parseSpeed } from '../parse.ts';

/** The emulator reads no environment for these: it must not open the server's database or port. */
type FromEnv = { env: boolean };

const withEnv = (option: Option, name: string, { env }: FromEnv) => (env ? option.env(name) : option);

const portOption = (port: number, from: FromEnv) => withEnv(new Option('--port <port>', 'port to listen on (0: any free port)'), 'IMAGENEST_PORT', from).default(port).argParser(parsePort);
const hostOption = (from: FromEnv) => withEnv(new Option('--host <host>', 'address to listen on'), 'IMAGENEST_HOST', from).default('127.0.0.1');
const dataDirOption = (about: string, dir: string, from: FromEnv) => withEnv(new Option('--data-dir <dir>', about), 'IMAGENEST_DATA_DIR', from).default(dir);
const databaseUrlOption = (about: string, from: FromEnv) => withEnv(new Option('--database-url <url>', about), 'DATABASE_URL', from);
const logLevelOption = () => new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info').choices(LOG_LEVELS);
const simSpeedOption = (about: string, from: FromEnv) => withEnv(new Option('--sim-speed <x>', about), 'IMAGENEST_SIM_SPEED', from).argParser(parseSpeed);

/** The simulator's departures from its nominal cloud (runtime/config.ts SimulatorTuning). */
function addSimulatorTuning(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--speed-skew <seed>', "scale the simulator's copy speeds by hidden factors in 0.5x-2x per route class and region pair, fixed by SEED")
        .env('IMAGENEST_SIM_SPEED_SKEW')
        .argParser(parseSeed('--speed-skew')),
    )
    .addOption(
      new Option('--source-cap <n>', 'let the simulator run at most N copies out of one source region at a time (more wait, like the five into a region)')
        .env('IMAGENEST_SIM_SOURCE_CAP')
        .argParser(parsePositiveInt('--source-cap')),
    );
}

const ENV = { env: true };
const NO_ENV = { env: false };

function addCloudOptions(cmd: Command): void {
  cmd
    .addOption(new Option('--cloud <cloud>', 'cloud to distribute on').env('IMAGENEST_CLOUD').choices(['simulator', 'alibaba']).default('simulator'))
    .addOption(new Option('--alibaba-endpoint <url>', 'ECS and ROS API endpoint for every region, e.g. an `imagenest emulator` (default: the regional Alibaba Cloud endpoints)').env('IMAGENEST_ALIBABA_ENDPOINT'))
    .addOption(
      new Option('--alibaba-credentials <file>', 'JSON file of access keys by account: {"<account>": {"accessKeyId": "…", "accessKeySecret": "…"}}').env('IMAGENEST_ALIBABA_CREDENTIALS'),
    )
    .addOption(new Option('--distribution-account <id>', 'the account that holds every distributed copy (on Alibaba Cloud: its account ID)').env('IMAGENEST_DISTRIBUTION_ACCOUNT'))
    .addOption(
      new Option('--copies-out-per-region <n>', 'start at most N copies out of one source region at a time, for a cloud that caps that side (default: no cap)')
        .env('IMAGENEST_COPIES_OUT_PER_REGION')
        .argParser(parsePositiveInt('--copies-out-per-region')),
    );
}

/** Adds the cloud options to a command that distributes, and checks them before it starts. */
function withCloud<C extends CloudConfig>(cmd: Command, start: (config: C) => Promise<unknown>): void {
  addCloudOptions(cmd);
  cmd.action(async (config: C) => {
    checkCloudOptions(config);
    await start(config);
  });
}

function checkCloudOptions(opts: CloudConfig): void {
  if (opts.cloud === 'alibaba' && (opts.speedSkew !== undefined || opts.sourceCap !== undefined)) {
    throw new UsageError('--speed-skew and --source-cap tune the embedded simulator; give them to `imagenest emulator` behind --alibaba-endpoint instead');
  }
  if (opts.cloud !== 'alibaba') {
    if (opts.alibabaEndpoint || opts.alibabaCredentials) throw new UsageError('--alibaba-endpoint and --alibaba-credentials apply with --cloud alibaba only');
    return;
  }
  if (opts.simSpeed !== undefined && !opts.alibabaEndpoint) {
    throw new UsageError('--sim-speed applies to the simulator, or with --alibaba-endpoint to keep pace with an emulator running at that speed; real Alibaba Cloud runs in real time');
  }
}

/** Keys from a file or the environment, which `ps` does not show as it shows --access-key. */
async function emulatorKeysBesidesArgv(credentialsFile: string | undefined): Promise<string[]> {
  const { AccessKeyFileError, accessKeysFromEnv, readAccessKeysFile } = await import('../../cloud/emulator/access-keys.ts');
  try {
    return [...accessKeysFromEnv(process.env), ...(credentialsFile ? readAccessKeysFile(credentialsFile) : [])];
  } catch (err) {
    if (err instanceof AccessKeyFileError) throw new UsageError(err.message);
    throw err;
  }
}

export function registerLaunchCommands(program: Command, handlers: LaunchHandlers, ctx: CommandContext): void {
  const server = program
    .command('server')
    .description('run the API and the control plane')
    .addOption(portOption(8080, ENV))
    .addOption(hostOption(ENV))
    .addOption(dataDirOption('embedded database and admin token', '.imagenest', ENV))
    .addOption(databaseUrlOption('PostgreSQL connection string (instead of the embedded database)', ENV))
    .addOption(logLevelOption())
    .addOption(simSpeedOption(`simulated seconds per real second (default ${DEFAULT_SIM_SPEED} for a new database)`, ENV));
  addSimulatorTuning(server)
    .option('--no-worker', 'serve the API only; run `imagenest worker` processes to distribute')
    .addOption(new Option('--metrics-token <token>', 'bearer token /metrics scrapes must send (prefer the environment variable: flags show in ps)').env('IMAGENEST_METRICS_TOKEN'));
  withCloud(server, (config: ServerConfig) => handlers.startServer(config));

  const worker = program
    .command('worker')
    .description('run a distribution worker alone (several may share one PostgreSQL)')
    .addOption(dataDirOption('embedded database directory', '.imagenest', ENV))
    .addOption(databaseUrlOption('PostgreSQL connection string', ENV))
    .addOption(logLevelOption())
    .addOption(simSpeedOption('simulated seconds per real second (default: what the server set)', ENV));
  addSimulatorTuning(worker);
  withCloud(worker, (config: WorkerConfig) => handlers.startWorker(config));

  const emulator = program
    .command('emulator')
    .description('serve the ECS and ROS HTTP APIs over the cloud simulator, for the Alibaba adapter and ROS deployer (imagenest server --cloud alibaba --alibaba-endpoint URL)')
    .addOption(portOption(9090, NO_ENV))
    .addOption(hostOption(NO_ENV))
    .addOption(dataDirOption("the emulated cloud's embedded database", '.imagenest-emulator', NO_ENV))
    .addOption(databaseUrlOption('PostgreSQL connection string (instead of the embedded database)', NO_ENV))
    .addOption(
      new Option('--access-key <id:secret>', 'an access key requests may be signed with; its ID names the account it acts as (repeatable)')
        .argParser((v: string, prev: string[] = []) => [...prev, parseAccessKey(v)]),
    )
    .option('--credentials-file <file>', 'access keys, mode 0600, as the server\'s --alibaba-credentials file: {"<account>": {"accessKeyId": "…", "accessKeySecret": "…"}} (also: IMAGENEST_EMULATOR_ACCESS_KEYS=ID:SECRET,…)')
    .addOption(simSpeedOption('simulated seconds per real second (default 1 for a new database)', NO_ENV))
    .addOption(logLevelOption());
  addSimulatorTuning(emulator).action(async (opts: EmulatorConfig & { credentialsFile?: string }) => {
    const { credentialsFile, ...config } = opts;
    const accessKey = [...(config.accessKey ?? []), ...(await emulatorKeysBesidesArgv(credentialsFile))];
    if (accessKey.length === 0) {
      throw new UsageError('give the access keys requests are signed with: --credentials-file FILE, IMAGENEST_EMULATOR_ACCESS_KEYS=ID:SECRET,… or --access-key ID:SECRET');
    }
    await handlers.startEmulator({ ...config, accessKey });
  });

  program
    .command('admin')
    .description('offline administration of a data directory or database')
    .command('reset-token')
    .description("give the admin account a new token, written to <data-dir>/admin-token (mode 0600); its old token stops working. Stop the server first (embedded database)")
    .addOption(dataDirOption('data directory whose admin-token file receives the token (and which holds the embedded database)', '.imagenest', ENV))
    .addOption(databaseUrlOption('PostgreSQL connection string (instead of the embedded database)', ENV))
    .action(async (opts: AdminConfig, cmd: Command) => {
      const g = ctx.globals(cmd);
      const reset = await handlers.resetAdminToken(opts);
      ctx.emit(g, reset, () => `The admin account ${reset.accountId} has a new token, in ${reset.tokenFile} (mode 0600); its previous token no longer works.`);
    });
}
