/** `imagenest account create` (admin). */
import { Option, type Command } from 'commander';
import type { CommandContext } from '../context.ts';

export function registerAccountCommands(program: Command, ctx: CommandContext): void {
  const account = program.command('account').description('manage accounts (admin)');
  account
    .command('create')
    .description("create an account and print its token (shown once)")
    .requiredOption('--name <name>', 'account name')
    .addOption(new Option('--role <role>', 'account role').choices(['supplier', 'consumer', 'admin']).makeOptionMandatory())
    .action(async (opts: { name: string; role: 'supplier' | 'consumer' | 'admin' }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const a = await ctx.client(g).createAccount({ name: opts.name, role: opts.role });
      ctx.emit(g, a, () =>
        [
          `Created ${a.role} account ${a.name} (${a.id}).`,
          `Token (shown once; store it now): ${a.token}`,
          `Use it with: export IMAGENEST_TOKEN=${a.token}`,
        ].join('\n'),
      );
    });
}
