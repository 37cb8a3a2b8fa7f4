/** `imagenest package publish|status|retry|cancel|image-id`: a published version's distribution. */
import { Option, type Command } from 'commander';
import type { VersionStatus } from '../../contract/schemas.ts';
import type { ImagenestClient } from '../client.ts';
import type { CommandContext, GlobalOptions } from '../context.ts';
import { DistributionFailed } from '../errors.ts';
import { statusTable } from '../format.ts';
import { table } from '../output.ts';
import { parsePositiveInt } from '../parse.ts';
import { waitForDistribution } from '../wait.ts';
import { resolveVersion, versionRefParser } from './package-refs.ts';

const versionOption = () =>
  new Option('--version <version>', "version number, 'latest' (the latest published) or 'draft'").argParser(versionRefParser('--version', true)).default('latest');
const timeoutOption = () => new Option('--timeout <seconds>', 'stop following after this long (the distribution goes on)').argParser(parsePositiveInt('--timeout')).default(3600);

/** Follows the distribution, prints its end like `status`, and fails (exit 1) if a region Failed. */
async function follow(ctx: CommandContext, g: GlobalOptions, c: ImagenestClient, pkg: string, version: string, timeoutSeconds: number, done: (s: VersionStatus) => unknown): Promise<void> {
  const s = await waitForDistribution(c, pkg, version, {
    timeoutMs: timeoutSeconds * 1000,
    terminal: process.stderr.isTTY ? process.stderr : null,
    io: ctx.io,
    quiet: Boolean(g.json),
    followCommand: `imagenest package status ${pkg} --version ${version} --watch`,
  });
  ctx.emit(g, done(s), () => `${s.package} version ${s.version}: ${s.state}\n\n${statusTable(s)}`);
  const failed = s.regions.filter((x) => x.state === 'Failed').map((x) => x.region);
  if (failed.length > 0) throw new DistributionFailed(failed);
}

export function registerPackageDistributionCommands(pkg: Command, ctx: CommandContext): void {
  pkg
    .command('publish')
    .description('publish the draft as the next numbered version and start distribution')
    .argument('<package>', 'package name or ID')
    .option('--idempotency-key <key>', 'a repeat with the same key returns the first result')
    .option('--wait', 'follow distribution until every region is final; exit 1 if any region Failed')
    .addOption(timeoutOption())
    .action(async (ref: string, o: { idempotencyKey?: string; wait?: boolean; timeout: number }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const c = ctx.client(g);
      const r = await c.publish(ref, o.idempotencyKey);
      if (!o.wait) {
        ctx.emit(g, r, () => `Published ${r.package} version ${r.version}: ${r.state}. Follow it with: imagenest package status ${r.package} --watch`);
        return;
      }
      if (!g.json) ctx.io.err(`Published ${r.package} version ${r.version}; distributing (Ctrl-C stops following, not the distribution)…`);
      await follow(ctx, g, c, r.package, String(r.version), o.timeout, (s) => ({ ...r, state: s.state, regions: s.regions }));
    });

  pkg
    .command('status')
    .description('the ingest and one row per region: state, progress, elapsed, ETA, image ID, error')
    .argument('<package>', 'package name or ID')
    .addOption(versionOption())
    .option('--events', 'also print the event timeline')
    .option('--watch', 'follow the distribution until every region is final (re-attaches to a running one)')
    .addOption(timeoutOption())
    .action(async (ref: string, o: { version: string; events?: boolean; watch?: boolean; timeout: number }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const c = ctx.client(g);
      const version = await resolveVersion(c, ref, o.version);
      if (o.watch) return follow(ctx, g, c, ref, version, o.timeout, (s) => s);
      const s = await c.status(ref, version);
      ctx.emit(g, s, () => {
        const head = `${s.package} version ${s.version}: ${s.state}\n\n${statusTable(s)}`;
        if (!o.events) return head;
        return `${head}\n\n${table(['AT', 'REGION', 'EVENT', 'MESSAGE'], s.events.map((e) => [e.at, e.region, e.type, e.message]))}`;
      });
    });

  pkg
    .command('retry')
    .description("retry a version's failed or cancelled regions in place")
    .argument('<package>', 'package name or ID')
    .requiredOption('--version <version>', 'version number')
    .option('--region <region>', 'only this region')
    .action(async (ref: string, o: { version: string; region?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const s = await ctx.client(g).retry(ref, o.version, o.region);
      ctx.emit(g, s, () => `Retrying ${s.package} version ${s.version}: ${s.state}\n\n${statusTable(s)}`);
    });

  pkg
    .command('cancel')
    .description('cancel a distribution: running copies are cancelled, finished ones deleted')
    .argument('<package>', 'package name or ID')
    .requiredOption('--version <version>', 'version number')
    .action(async (ref: string, o: { version: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const s = await ctx.client(g).cancel(ref, o.version);
      ctx.emit(g, s, () => `Cancelling ${s.package} version ${s.version}.\n\n${statusTable(s)}`);
    });

  pkg
    .command('image-id')
    .description('the image ID of a version in a region (only once that region is Available)')
    .argument('<package>', 'package name or ID')
    .addOption(versionOption())
    .requiredOption('--region <region>', 'region')
    .action(async (ref: string, o: { version: string; region: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const c = ctx.client(g);
      const r = await c.imageId(ref, await resolveVersion(c, ref, o.version), o.region);
      ctx.emit(g, r, () => r.imageId);
    });
}
