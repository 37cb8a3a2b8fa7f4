/** `imagenest sim image create`: a source image in the embedded simulator, to publish from. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { parsePositiveInt } from '../parse.ts';

export function registerSimCommands(program: Command, ctx: CommandContext): void {
  const sim = program.command('sim').description('the embedded cloud simulator');
  const simImage = sim.command('image').description('simulated images');
  simImage
    .command('create')
    .description("make a custom image owned by the caller's account, to publish from")
    .requiredOption('--region <region>', 'region of the image')
    .requiredOption('--size-gib <n>', 'size in GiB', parsePositiveInt('--size-gib'))
    .option('--name <name>', 'image name')
    .action(async (o: { region: string; sizeGib: number; name?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const img = await ctx.client(g).createSimImage({ region: o.region, sizeGiB: o.sizeGib, name: o.name });
      ctx.emit(g, img, () => `Created image ${img.imageId} (${img.sizeGiB} GiB) in ${img.region}.`);
    });
}
