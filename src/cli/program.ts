/** The `imagenest` command line (docs/cli.md): assembles the command groups and runs one. */
import { Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { LaunchHandlers } from '../runtime/config.ts';
import { registerAccountCommands } from './commands/account.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerLaunchCommands } from './commands/launch.ts';
import { registerInstanceCommands } from './commands/instance.ts';
import { registerServiceDeployCommands } from './commands/service-deploy.ts';
import { registerPackageCommands } from './commands/package.ts';
import { registerRegionCommands } from './commands/regions.ts';
import { registerServiceCommands } from './commands/service.ts';
import { registerSimCommands } from './commands/sim.ts';
import { registerTemplateCommands } from './commands/template.ts';
import { commandContext } from './context.ts';
import { exitCodeFor } from './exit-codes.ts';
import { processIo, type Io } from './output.ts';

/** Builds the program; `io` and `handlers` make it testable in-process. */
export function buildProgram(handlers: LaunchHandlers, io: Io = processIo): Command {
  const program = new Command('imagenest')
    .description('Ship one VM image to every cloud region and deploy it there.')
    .addHelpText('after', '\nimagenest --version (or -V) prints the version.')
    .addOption(new Option('--url <url>', 'Imagenest API URL').env('IMAGENEST_URL').default('http://127.0.0.1:8080'))
    .addOption(new Option('--token <token>', 'API token').env('IMAGENEST_TOKEN'))
    .option('--json', 'print exactly one JSON document on stdout')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const ctx = commandContext(io);
  // Registration order is the order `--help` lists the commands in.
  registerLaunchCommands(program, handlers, ctx);
  registerSimCommands(program, ctx);
  registerAccountCommands(program, ctx);
  registerPackageCommands(program, ctx);
  registerRegionCommands(program, ctx);
  registerTemplateCommands(program, ctx);
  registerServiceCommands(program, io);
  // After `service`: adds `service test` and `service resolve` to it.
  registerServiceDeployCommands(program, ctx);
  registerInstanceCommands(program, ctx);
  registerImportCommands(program, ctx);
  return program;
}

/** Parses and runs `argv`; resolves to the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], handlers: LaunchHandlers, io: Io = processIo): Promise<number> {
  // Only as the first argument: after a command, `--version` is that command's (package image-id --version 2).
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.out(`${packageJson.version}\n`);
    return 0;
  }
  const program = buildProgram(handlers, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return exitCodeFor(err, io, argv.includes('--json'));
  }
}
