/** `imagenest regions`: the region catalogue, so that IDs can be looked up rather than guessed. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { table } from '../output.ts';

export function registerRegionCommands(program: Command, ctx: CommandContext): void {
  program
    .command('regions')
    .description('list the region IDs and names packages can be distributed to')
    .action(async (_o: unknown, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { items } = await ctx.client(g).regions();
      ctx.emit(g, { items }, () => table(['ID', 'NAME', 'AREA'], items.map((r) => [r.id, r.name, r.area])));
    });
}
