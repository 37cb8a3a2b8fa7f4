/** `imagenest instance create|list|show|delete`: a consumer's service instances. */
import type { Command } from 'commander';
import type { Instance } from '../../contract/instances.ts';
import type { ImagenestClient } from '../client.ts';
import type { CommandContext, GlobalOptions } from '../context.ts';
import { DeploymentFailed, UsageError } from '../errors.ts';
import { table } from '../output.ts';
import { collect } from '../parse.ts';

/** `--param K=V`, repeated, as the request's parameters. */
export function parseParams(params: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param takes KEY=VALUE; got '${p}'`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function describeInstance(i: Instance): string {
  const lines = [`Instance ${i.id} is ${i.state} in ${i.region}${i.test ? ' (test deployment)' : ''}.`];
  for (const m of i.images) lines.push(`  ${m.placeholder} → ${m.imageId} (${m.package} ${m.version === 'draft' ? 'draft' : `v${m.version}`})`);
  if (i.error) lines.push(`  error: ${i.error.code}: ${i.error.message}`);
  return lines.join('\n');
}

/** Prints the instance; a Failed deployment exits 1 (the instance is still printed first). */
export function emitInstance(ctx: CommandContext, g: GlobalOptions, i: Instance): void {
  ctx.emit(g, i, () => describeInstance(i));
  // Thrown, not process.exitCode: the process exits with what runCli returns.
  if (i.state === 'Failed' && i.error) throw new DeploymentFailed(i.id, i.error);
}

/** Follows a deployment the cloud runs asynchronously until it settles; a line on stderr while it deploys on a TTY. */
async function waitDeployed(client: ImagenestClient, ctx: CommandContext, first: Instance, tty: boolean): Promise<Instance> {
  let i = first;
  let dots = 0;
  while (i.state === 'Deploying') {
    if (tty) ctx.io.err(`\r deploying ${i.id} in ${i.region}${'.'.repeat((dots++ % 3) + 1)}   `);
    await new Promise((r) => setTimeout(r, 1000));
    i = await client.request<Instance>('GET', `/v1/instances/${encodeURIComponent(i.id)}`);
  }
  return i;
}

export function registerInstanceCommands(program: Command, ctx: CommandContext): void {
  const instance = program.command('instance').description('deploy services and manage your instances');
  instance
    .command('create')
    .description("deploy a service in a region with each placeholder's image there")
    .requiredOption('--service <service>', "service ID (or your own service's name)")
    .requiredOption('--region <region>', 'region to deploy in')
    .option('--param <K=V>', 'a template parameter (repeatable)', collect)
    .option('--wait', 'wait until the deployment settles')
    .action(async (opts: { service: string; region: string; param?: string[]; wait?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const client = ctx.client(g);
      let i = await client.request<Instance>('POST', '/v1/instances', { body: { service: opts.service, region: opts.region, parameters: parseParams(opts.param) } });
      if (opts.wait) i = await waitDeployed(client, ctx, i, Boolean(process.stderr.isTTY) && !g.json);
      emitInstance(ctx, g, i);
    });
  instance
    .command('list')
    .description('your instances')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.client(g).request<{ items: Instance[] }>('GET', '/v1/instances');
      ctx.emit(g, r, () => table(['ID', 'SERVICE', 'REGION', 'STATE', 'CREATED'], r.items.map((i) => [i.id, i.service, i.region, i.state, i.createdAt])));
    });
  instance
    .command('show <id>')
    .description('one instance with the image IDs it used')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const g = ctx.globals(cmd);
      emitInstance(ctx, g, await ctx.client(g).request<Instance>('GET', `/v1/instances/${encodeURIComponent(id)}`));
    });
  instance
    .command('delete <id>')
    .description("release an instance's resources")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const g = ctx.globals(cmd);
      emitInstance(ctx, g, await ctx.client(g).request<Instance>('DELETE', `/v1/instances/${encodeURIComponent(id)}`));
    });
}
