/** The `imagenest` command line (shared/CLI.md): parsing, dispatch, output and exit codes. */
import { Command, CommanderError, Option } from 'commander';
import { ApiError, ImagenestClient } from './client.ts';
import { processIo, table, type Io } from './output.ts';
import { waitForDistribution, WaitTimeout } from './wait.ts';
import { anyErrors, checkHuman, checkJson, formatDiagnostic, loadAnalyses, resolveFile } from './template-commands.ts';
import type { Package, PackageSummary, VersionStatus } from '../contract/schemas.ts';
import { registerServiceCommands } from './commands/service.ts';

/** Wrong usage detected after parsing (exit 2). */
export class UsageError extends Error {}

export interface ServerOptions extends CloudCliOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  logLevel: string;
  simSpeed?: number | undefined;
  worker: boolean;
}

/** Which cloud a server or worker distributes on (the same options on both). */
export interface CloudCliOptions {
  cloud: 'simulator' | 'alibaba';
  alibabaEndpoint?: string | undefined;
  alibabaCredentials?: string | undefined;
  distributionAccount?: string | undefined;
}

export interface WorkerCliOptions extends CloudCliOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  logLevel: string;
  simSpeed?: number | undefined;
}

export interface EmulatorCliOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  accessKey?: string[] | undefined;
  simSpeed?: number | undefined;
  logLevel: string;
}

export interface ProgramHooks {
  /** Runs the server until it is stopped. */
  startServer(options: ServerOptions): Promise<unknown>;
  /** Runs a distribution worker until it is stopped. */
  startWorker(options: WorkerCliOptions): Promise<unknown>;
  /** Runs the ECS API emulator until it is stopped. */
  startEmulator(options: EmulatorCliOptions): Promise<unknown>;
}

/** Default simulated speed of `npm start`: a 20 GiB copy inside China takes seconds, a 500 GiB one across continents a few minutes. */
export const DEFAULT_SIM_SPEED = 120;

interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

function parseTags(tags: string[] | undefined): { key: string; value: string }[] | undefined {
  if (!tags) return undefined;
  return tags.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag takes KEY=VALUE; got '${t}'`);
    return { key: t.slice(0, eq), value: t.slice(eq + 1) };
  });
}

function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000) throw new UsageError(`--sim-speed must be a number in (0, 100000]; got '${value}'`);
  return n;
}

function parsePositiveInt(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer; got '${value}'`);
    return n;
  };
}

function parseAccessKey(value: string): string {
  const i = value.indexOf(':');
  if (i <= 0 || i === value.length - 1) throw new UsageError(`--access-key takes ID:SECRET (e.g. imagenest-distribution:s3cret); got '${value}'`);
  return value;
}

function addCloudOptions(cmd: Command): void {
  cmd
    .addOption(new Option('--cloud <cloud>', 'cloud to distribute on').env('IMAGENEST_CLOUD').choices(['simulator', 'alibaba']).default('simulator'))
    .addOption(new Option('--alibaba-endpoint <url>', 'ECS API endpoint for every region, e.g. an `imagenest emulator` (default: the regional Alibaba Cloud endpoints)').env('IMAGENEST_ALIBABA_ENDPOINT'))
    .addOption(
      new Option('--alibaba-credentials <file>', 'JSON file of access keys by account: {"<account>": {"accessKeyId": "…", "accessKeySecret": "…"}}').env('IMAGENEST_ALIBABA_CREDENTIALS'),
    )
    .addOption(new Option('--distribution-account <id>', 'the account that holds every distributed copy (on Alibaba Cloud: its account ID)').env('IMAGENEST_DISTRIBUTION_ACCOUNT'));
}

function checkCloudOptions(opts: CloudCliOptions & { simSpeed?: number | undefined }): void {
  if (opts.cloud !== 'alibaba') {
    if (opts.alibabaEndpoint || opts.alibabaCredentials) throw new UsageError('--alibaba-endpoint and --alibaba-credentials apply with --cloud alibaba only');
    return;
  }
  if (opts.simSpeed !== undefined && !opts.alibabaEndpoint) {
    throw new UsageError('--sim-speed applies to the simulator, or with --alibaba-endpoint to keep pace with an emulator running at that speed; real Alibaba Cloud runs in real time');
  }
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be 0–65535; got '${value}'`);
  return n;
}

function describePackage(p: Package): string {
  const head = [
    `Package   ${p.name} (${p.id})`,
    `Status    ${p.status}`,
    `Type      ${p.type}`,
    `About     ${p.description}`,
    ...(p.resourceGroup ? [`Group     ${p.resourceGroup}`] : []),
    ...(p.tags.length ? [`Tags      ${p.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`] : []),
  ];
  const rows = p.versions.map((v) => [
    v.version,
    v.name,
    v.state,
    v.content.imageType === 'custom' ? `${v.content.sourceRegion}/${v.content.imageId}` : `${v.content.productCode}@${v.content.productVersion}`,
    v.content.regions.join(','),
    v.publishedAt ?? '-',
  ]);
  return `${head.join('\n')}\n\n${table(['VERSION', 'NAME', 'STATE', 'SOURCE', 'REGIONS', 'PUBLISHED'], rows)}`;
}

/** Some regions ended Failed (exit 1). */
export class DistributionFailed extends Error {
  constructor(readonly regions: string[]) {
    super(`distribution failed in ${regions.join(', ')}; see 'imagenest package status', then 'imagenest package retry'`);
  }
}

function statusTable(s: VersionStatus): string {
  return table(
    ['REGION', 'STATE', 'PROGRESS', 'IMAGE ID', 'ERROR'],
    s.regions.map((r) => [r.region, r.state, `${r.progress}%`, r.imageId, r.error ? `${r.error.code}: ${r.error.message}` : null]),
  );
}

async function latestVersion(c: ImagenestClient, ref: string): Promise<string> {
  const p = await c.getPackage(ref);
  if (p.latestVersion === null) throw new ApiError('NO_PUBLISHED_VERSION', `package ${p.name} has no published version yet; use --version draft or publish first`);
  return String(p.latestVersion);
}

/** Builds the program; `io` and `hooks` make it testable in-process. */
export function buildProgram(hooks: ProgramHooks, io: Io = processIo): Command {
  const program = new Command('imagenest')
    .description('Ship one VM image to every cloud region and deploy it there.')
    .addOption(new Option('--url <url>', 'Imagenest API URL').env('IMAGENEST_URL').default('http://127.0.0.1:8080'))
    .addOption(new Option('--token <token>', 'API token').env('IMAGENEST_TOKEN'))
    .option('--json', 'print exactly one JSON document on stdout')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const client = (g: GlobalOptions) => new ImagenestClient({ url: g.url, token: g.token });
  const emit = (g: GlobalOptions, data: unknown, human: () => string) => io.out(g.json ? JSON.stringify(data, null, 2) : human());

  const server = program
    .command('server')
    .description('run the API and the control plane')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').env('IMAGENEST_PORT').default(8080).argParser(parsePort))
    .addOption(new Option('--host <host>', 'address to listen on').env('IMAGENEST_HOST').default('127.0.0.1'))
    .addOption(new Option('--data-dir <dir>', 'embedded database and admin token').env('IMAGENEST_DATA_DIR').default('.imagenest'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL connection string (instead of the embedded database)').env('DATABASE_URL'))
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .addOption(new Option('--sim-speed <x>', `simulated seconds per real second (default ${DEFAULT_SIM_SPEED} for a new database)`).env('IMAGENEST_SIM_SPEED').argParser(parseSpeed))
    .option('--no-worker', 'serve the API only; run `imagenest worker` processes to distribute');
  addCloudOptions(server);
  server.action(async (opts: ServerOptions) => {
    checkCloudOptions(opts);
    await hooks.startServer(opts);
  });

  const worker = program
    .command('worker')
    .description('run a distribution worker alone (several may share one PostgreSQL)')
    .addOption(new Option('--data-dir <dir>', 'embedded database directory').env('IMAGENEST_DATA_DIR').default('.imagenest'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL connection string').env('DATABASE_URL'))
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .addOption(new Option('--sim-speed <x>', 'simulated seconds per real second (default: what the server set)').env('IMAGENEST_SIM_SPEED').argParser(parseSpeed));
  addCloudOptions(worker);
  worker.action(async (opts: WorkerCliOptions) => {
    checkCloudOptions(opts);
    await hooks.startWorker(opts);
  });

  program
    .command('emulator')
    .description('serve the ECS HTTP API over the cloud simulator, for the Alibaba adapter (imagenest server --cloud alibaba --alibaba-endpoint URL)')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').default(9090).argParser(parsePort))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--data-dir <dir>', "the emulated cloud's embedded database").default('.imagenest-emulator'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL connection string (instead of the embedded database)'))
    .addOption(
      new Option('--access-key <id:secret>', 'an access key requests may be signed with; its ID names the account it acts as (repeatable)')
        .argParser((v: string, prev: string[] = []) => [...prev, parseAccessKey(v)]),
    )
    .addOption(new Option('--sim-speed <x>', 'simulated seconds per real second (default 1 for a new database)').argParser(parseSpeed))
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .action(async (opts: EmulatorCliOptions) => {
      if (!opts.accessKey?.length) throw new UsageError('give at least one --access-key ID:SECRET: every request to the emulator must be signed');
      await hooks.startEmulator(opts);
    });

  const sim = program.command('sim').description('the embedded cloud simulator');
  const simImage = sim.command('image').description('simulated images');
  simImage
    .command('create')
    .description("make a custom image owned by the caller's account, to publish from")
    .requiredOption('--region <region>', 'region of the image')
    .requiredOption('--size-gib <n>', 'size in GiB', parsePositiveInt('--size-gib'))
    .option('--name <name>', 'image name')
    .action(async (o: { region: string; sizeGib: number; name?: string }, cmd: Command) => {
      const g = globals(cmd);
      const img = await client(g).createSimImage({ region: o.region, sizeGiB: o.sizeGib, name: o.name });
      emit(g, img, () => `Created image ${img.imageId} (${img.sizeGiB} GiB) in ${img.region}.`);
    });

  const account = program.command('account').description('manage accounts (admin)');
  account
    .command('create')
    .description("create an account and print its token (shown once)")
    .requiredOption('--name <name>', 'account name')
    .addOption(new Option('--role <role>', 'account role').choices(['supplier', 'consumer', 'admin']).makeOptionMandatory())
    .action(async (opts: { name: string; role: string }, cmd: Command) => {
      const g = globals(cmd);
      const a = await client(g).createAccount({ name: opts.name, role: opts.role });
      emit(g, a, () =>
        [
          `Created ${a.role} account ${a.name} (${a.id}).`,
          `Token (shown once; store it now): ${a.token}`,
          `Use it with: export IMAGENEST_TOKEN=${a.token}`,
        ].join('\n'),
      );
    });

  const pkg = program.command('package').description('deployment packages and their versions');

  pkg
    .command('create')
    .description('create a package and its draft version')
    .requiredOption('--name <name>', 'package name: 3–128 letters, digits, _')
    .requiredOption('--version-name <name>', 'draft version name: 3–50 letters, digits, _')
    .requiredOption('--description <text>', 'package description, 10–500 characters')
    .option('--version-description <text>', 'version description, 10–500 characters')
    .requiredOption('--source-region <region>', 'region of the source image')
    .option('--image-id <id>', 'custom image ID (m-…)')
    .requiredOption('--regions <r1,r2>', 'distribution regions, comma-separated', list)
    .addOption(new Option('--image-type <type>', 'source image type').choices(['custom', 'marketplace']).default('custom'))
    .option('--product-code <code>', 'marketplace image product code')
    .option('--product-version <version>', 'marketplace image product version')
    .option('--resource-group <group>', 'resource group')
    .option('--tag <key=value>', 'tag (repeatable)', collect)
    .action(async (o: Record<string, string & string[]>, cmd: Command) => {
      const g = globals(cmd);
      const body = {
        name: o.name,
        description: o.description,
        resourceGroup: o.resourceGroup,
        tags: parseTags(o.tag),
        version: {
          name: o.versionName,
          description: o.versionDescription,
          content: {
            imageType: o.imageType,
            sourceRegion: o.sourceRegion,
            imageId: o.imageId,
            productCode: o.productCode,
            productVersion: o.productVersion,
            regions: o.regions,
          },
        },
      };
      const p = await client(g).createPackage(body);
      emit(g, p, () => `Created package ${p.name} (${p.id}) with a draft version.\n\n${describePackage(p)}`);
    });

  pkg
    .command('save')
    .description('update the draft version (creates one if the package has none)')
    .argument('<package>', 'package name or ID')
    .option('--version-name <name>', 'version name')
    .option('--description <text>', 'version description')
    .option('--source-region <region>', 'region of the source image')
    .option('--image-id <id>', 'custom image ID')
    .addOption(new Option('--image-type <type>', 'source image type').choices(['custom', 'marketplace']))
    .option('--product-code <code>', 'marketplace product code')
    .option('--product-version <version>', 'marketplace product version')
    .option('--regions <r1,r2>', 'distribution regions, comma-separated', list)
    .action(async (ref: string, o: Record<string, string & string[]>, cmd: Command) => {
      const g = globals(cmd);
      const content = {
        imageType: o.imageType,
        sourceRegion: o.sourceRegion,
        imageId: o.imageId,
        productCode: o.productCode,
        productVersion: o.productVersion,
        regions: o.regions,
      };
      const hasContent = Object.values(content).some((v) => v !== undefined);
      const v = await client(g).saveDraft(ref, {
        name: o.versionName,
        description: o.description,
        content: hasContent ? content : undefined,
      });
      emit(g, v, () => `Saved draft ${v.name} of ${ref}: ${v.content.regions.length} region(s).`);
    });

  pkg
    .command('publish')
    .description('publish the draft as the next numbered version and start distribution')
    .argument('<package>', 'package name or ID')
    .option('--idempotency-key <key>', 'a repeat with the same key returns the first result')
    .option('--wait', 'follow distribution until every region is final; exit 1 if any region Failed')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', parsePositiveInt('--timeout'), 3600)
    .action(async (ref: string, o: { idempotencyKey?: string; wait?: boolean; timeout: number }, cmd: Command) => {
      const g = globals(cmd);
      const c = client(g);
      const r = await c.publish(ref, o.idempotencyKey);
      if (!o.wait) {
        emit(g, r, () => `Published ${r.package} version ${r.version}: ${r.state}. Follow it with: imagenest package status ${r.package}`);
        return;
      }
      if (!g.json) io.err(`Published ${r.package} version ${r.version}; distributing…`);
      const s = await waitForDistribution(c, r.packageId, String(r.version), {
        timeoutMs: o.timeout * 1000,
        tty: Boolean(process.stderr.isTTY),
        io,
        quiet: Boolean(g.json),
      });
      const result = { ...r, state: s.state, regions: s.regions };
      emit(g, result, () => `${r.package} version ${r.version}: ${s.state}\n\n${statusTable(s)}`);
      if (s.regions.some((x) => x.state === 'Failed')) throw new DistributionFailed(s.regions.filter((x) => x.state === 'Failed').map((x) => x.region));
    });

  pkg
    .command('status')
    .description('one row per region: state, progress, image ID, error')
    .argument('<package>', 'package name or ID')
    .option('--version <version>', "version number (default: the latest published), or 'draft'")
    .option('--events', 'also print the event timeline')
    .action(async (ref: string, o: { version?: string; events?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const c = client(g);
      const version = o.version ?? (await latestVersion(c, ref));
      const s = await c.status(ref, version);
      emit(g, s, () => {
        const head = `${s.package} version ${s.version}: ${s.state}\n\n${statusTable(s)}`;
        if (!o.events) return head;
        return `${head}\n\n${table(['AT', 'REGION', 'EVENT', 'MESSAGE'], s.events.map((e) => [e.at, e.region, e.type, e.message]))}`;
      });
    });

  pkg
    .command('retry')
    .description("retry a version's failed regions in place")
    .argument('<package>', 'package name or ID')
    .requiredOption('--version <version>', 'version number')
    .option('--region <region>', 'only this region')
    .action(async (ref: string, o: { version: string; region?: string }, cmd: Command) => {
      const g = globals(cmd);
      const s = await client(g).retry(ref, o.version, o.region);
      emit(g, s, () => `Retrying ${s.package} version ${s.version}: ${s.state}\n\n${statusTable(s)}`);
    });

  pkg
    .command('cancel')
    .description('cancel a distribution: running copies are cancelled, finished ones deleted')
    .argument('<package>', 'package name or ID')
    .requiredOption('--version <version>', 'version number')
    .action(async (ref: string, o: { version: string }, cmd: Command) => {
      const g = globals(cmd);
      const s = await client(g).cancel(ref, o.version);
      emit(g, s, () => `Cancelling ${s.package} version ${s.version}.\n\n${statusTable(s)}`);
    });

  pkg
    .command('image-id')
    .description('the image ID of a version in a region (only once that region is Available)')
    .argument('<package>', 'package name or ID')
    .requiredOption('--version <version>', "version number, or 'draft'")
    .requiredOption('--region <region>', 'region')
    .action(async (ref: string, o: { version: string; region: string }, cmd: Command) => {
      const g = globals(cmd);
      const r = await client(g).imageId(ref, o.version, o.region);
      emit(g, r, () => r.imageId);
    });

  pkg
    .command('list')
    .description("list the caller's packages")
    .option('--name-contains <text>', 'only names containing this (case-insensitive)')
    .option('--resource-group <group>', 'only this resource group')
    .option('--tag <key=value>', 'only packages with this tag (repeatable)', collect)
    .action(async (o: { nameContains?: string; resourceGroup?: string; tag?: string[] }, cmd: Command) => {
      const g = globals(cmd);
      parseTags(o.tag);
      const items: PackageSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client(g).listPackages({
          limit: 100,
          nextToken,
          nameContains: o.nameContains,
          resourceGroup: o.resourceGroup,
          tag: o.tag,
        });
        items.push(...page.items);
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      emit(g, { items }, () =>
        items.length === 0
          ? 'No packages.'
          : table(
              ['NAME', 'ID', 'STATUS', 'LATEST', 'DRAFT', 'GROUP', 'CREATED'],
              items.map((p) => [p.name, p.id, p.status, p.latestVersion, p.hasDraft ? 'yes' : 'no', p.resourceGroup, p.createdAt]),
            ),
      );
    });

  pkg
    .command('show')
    .description('show a package with its versions and their states')
    .argument('<package>', 'package name or ID')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const p = await client(g).getPackage(ref);
      emit(g, p, () => describePackage(p));
    });

  pkg
    .command('delete')
    .description('delete a version (with --version) or the whole package')
    .argument('<package>', 'package name or ID')
    .option('--version <version>', "'draft', a version number or a version ID")
    .action(async (ref: string, o: { version?: string }, cmd: Command) => {
      const g = globals(cmd);
      const what = o.version ? `version ${o.version} of ${ref}` : `package ${ref}`;
      const removing = o.version ? await client(g).deleteVersion(ref, o.version) : await client(g).deletePackage(ref);
      const data = { deleted: o.version ? 'version' : 'package', package: ref, ...(o.version ? { version: o.version } : {}), state: removing ? 'Deleting' : 'Deleted', regions: removing?.regions ?? [] };
      emit(g, data, () =>
        removing
          ? `Deleting ${what}: removing its copies in ${removing.regions.join(', ')}; it is gone once they are ('imagenest package status' shows the progress).`
          : `Deleted ${what}.`,
      );
    });

  registerServiceCommands(program, io);

  const template = program.command('template').description('check and resolve ROS and Terraform templates (offline)');
  template
    .command('check')
    .description('find image placeholders and report diagnostics; exit 1 on any error')
    .argument('<files...>', 'template files, or directories of Terraform files')
    .action(async (files: string[], _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const analyses = await loadAnalyses(files);
      emit(g, checkJson(analyses), () => checkHuman(analyses));
      if (anyErrors(analyses)) throw new TemplateErrors();
    });
  template
    .command('resolve')
    .description('print the template with placeholders replaced by image IDs; every other byte unchanged')
    .argument('<file>', 'template file')
    .option('--set <placeholder=imageId>', 'a replacement (repeatable)', collect)
    .option('-o, --output <file>', 'write the result here instead of stdout')
    .action(async (file: string, o: { set?: string[]; output?: string }, cmd: Command) => {
      const g = globals(cmd);
      const mapping: Record<string, string> = {};
      for (const kv of o.set ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0 || eq === kv.length - 1) throw new UsageError(`--set takes PLACEHOLDER=IMAGE_ID; got '${kv}'`);
        mapping[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const { analysis, result } = await resolveFile(file, mapping, o.output);
      if (!result.ok) {
        for (const d of result.diagnostics) if (!g.json) io.err(formatDiagnostic(analysis, d));
        throw new ApiError('TEMPLATE_NOT_RESOLVED', `${file} cannot be resolved`, { diagnostics: result.diagnostics });
      }
      if (g.json) io.out(JSON.stringify({ file, format: analysis.format, replaced: result.replaced, ...(o.output ? { output: o.output } : { text: result.text }) }, null, 2));
      else if (o.output) io.err(`Wrote ${o.output} (${result.replaced} value(s) replaced).`);
      else process.stdout.write(result.text);
    });

  return program;
}

/** `template check` found errors (exit 1; the report itself is the output). */
export class TemplateErrors extends Error {}

/** Parses and runs `argv`; resolves to the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], hooks: ProgramHooks, io: Io = processIo): Promise<number> {
  const program = buildProgram(hooks, io);
  const wantsJson = argv.includes('--json');
  const fail = (code: string, message: string, details: unknown, exit: number) => {
    if (wantsJson) io.out(JSON.stringify({ error: { code, message, details } }, null, 2));
    else {
      const violations = (details as { violations?: { field: string; message: string }[] } | null)?.violations;
      if (violations?.length) {
        io.err(`error: the request was rejected (${code}):`);
        for (const v of violations) io.err(`  - ${v.field}: ${v.message}`);
      } else {
        io.err(`error: ${message}${code ? ` (${code})` : ''}`);
      }
    }
    return exit;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      // commander already printed the usage error and help to stderr.
      if (wantsJson) io.out(JSON.stringify({ error: { code: 'USAGE', message: err.message, details: null } }, null, 2));
      return 2;
    }
    if (err instanceof UsageError) return fail('USAGE', err.message, null, 2);
    if (err instanceof ApiError) return fail(err.code, err.message, err.details, 1);
    if (err instanceof DistributionFailed) return wantsJson ? 1 : fail('DISTRIBUTION_FAILED', err.message, { regions: err.regions }, 1);
    if (err instanceof WaitTimeout) return fail('TIMEOUT', err.message, null, 1);
    if (err instanceof TemplateErrors) return 1;
    return fail('INTERNAL', (err as Error).message ?? String(err), null, 1);
  }
}
