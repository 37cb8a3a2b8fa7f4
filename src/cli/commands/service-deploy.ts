/**
 * `imagenest service test|resolve|regions`: the owner's test deployment, the template resolved for
 * a region (pipelines), and where the service can be deployed now and why not elsewhere.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Instance, RegionDeployability, ResolvedTemplate } from '../../contract/instances.ts';
import { refusalPhrase } from '../../domain/deployment/image-resolution.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { table } from '../output.ts';
import { collect } from '../parse.ts';
import { emitInstance, parseParams } from './instance.ts';

/** A region's refusals in a line: `app_image: web_app v1 is still being copied here` for each placeholder without an image there. */
function whyNot(r: RegionDeployability['items'][number]): string {
  return r.refusals.map((f) => `${f.placeholder ? `${f.placeholder}: ` : ''}${refusalPhrase(f)}`).join('; ');
}

/** `imagenest service test|resolve|regions`, added to the `service` group (made here when no other file made it yet). */
export function registerServiceDeployCommands(program: Command, ctx: CommandContext): void {
  const service = program.commands.find((c) => c.name() === 'service') ?? program.command('service').description('services');
  service
    .command('test <service>')
    .description("deploy your service's open revision to test it (a draft package version only in its source region)")
    .requiredOption('--region <region>', 'region to deploy in')
    .option('--param <K=V>', 'a template parameter (repeatable)', collect)
    .action(async (ref: string, opts: { region: string; param?: string[] }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const i = await ctx.client(g).request<Instance>('POST', `/v1/services/${encodeURIComponent(ref)}/test`, { body: { region: opts.region, parameters: parseParams(opts.param) } });
      emitInstance(ctx, g, i);
    });
  service
    .command('resolve <service>')
    .description("the service's template resolved for a region, byte for byte")
    .requiredOption('--region <region>', 'region to resolve for')
    .option('-o, --output <file>', 'write the resolved file here (a single-file template)')
    .action(async (ref: string, opts: { region: string; output?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.client(g).request<ResolvedTemplate>('GET', `/v1/services/${encodeURIComponent(ref)}/template`, { query: { region: opts.region } });
      if (opts.output) {
        if (r.files.length !== 1) throw new UsageError(`-o writes one file; this template has ${r.files.length}: use --json`);
        await writeFile(opts.output, r.files[0]!.text);
      }
      ctx.emit(g, r, () => (opts.output ? `Wrote ${opts.output} for ${r.region}.` : r.files.map((f) => (r.files.length > 1 ? `# ${f.name}\n${f.text}` : f.text)).join('\n')));
    });
  service
    .command('regions <service>')
    .description('where the service can be deployed now, region by region, and why not elsewhere')
    .option('--draft', "the owner's open revision instead of the Online one")
    .option('--deployable', 'only the regions where it can be deployed now')
    .action(async (ref: string, opts: { draft?: boolean; deployable?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.client(g).request<RegionDeployability>('GET', `/v1/services/${encodeURIComponent(ref)}/regions`, { query: opts.draft ? { revision: 'draft' } : {} });
      const items = opts.deployable ? r.items.filter((i) => i.deployable) : r.items;
      const body = { ...r, items };
      ctx.emit(g, body, () => {
        const can = r.items.filter((i) => i.deployable).length;
        const head = `${r.service} revision ${r.revision}: deployable now in ${can} of ${r.items.length} regions`;
        return `${head}\n\n${table(['REGION', 'DEPLOYABLE', 'WHY NOT'], items.map((i) => [i.region, i.deployable ? 'yes' : 'no', i.deployable ? '' : whyNot(i)]))}`;
      });
    });
}
