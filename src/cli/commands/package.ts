/** `imagenest package …`: packages, their versions, and following their distribution. */
import { Option, type Command } from 'commander';
import type { PackageSummary } from '../../contract/schemas.ts';
import { ApiError, type ImagenestClient } from '../client.ts';
import type { CommandContext } from '../context.ts';
import { DistributionFailed } from '../errors.ts';
import { describePackage, statusTable } from '../format.ts';
import { table } from '../output.ts';
import { collect, list, parsePositiveInt, parseTags } from '../parse.ts';
import { waitForDistribution } from '../wait.ts';

async function latestVersion(c: ImagenestClient, ref: string): Promise<string> {
  const p = await c.getPackage(ref);
  if (p.latestVersion === null) throw new ApiError('NO_PUBLISHED_VERSION', `package ${p.name} has no published version yet; use --version draft or publish first`);
  return String(p.latestVersion);
}

type Flags = Record<string, string & string[]>;

/** A version's content from the flags `package create` and `package save` share. */
function versionContent(o: Flags) {
  return {
    imageType: o.imageType,
    sourceRegion: o.sourceRegion,
    imageId: o.imageId,
    productCode: o.productCode,
    productVersion: o.productVersion,
    regions: o.regions,
  };
}

export function registerPackageCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
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
    .action(async (o: Flags, cmd: Command) => {
      const g = ctx.globals(cmd);
      const body = {
        name: o.name,
        description: o.description,
        resourceGroup: o.resourceGroup,
        tags: parseTags(o.tag),
        version: {
          name: o.versionName,
          description: o.versionDescription,
          content: versionContent(o),
        },
      };
      const p = await ctx.client(g).createPackage(body);
      ctx.emit(g, p, () => `Created package ${p.name} (${p.id}) with a draft version.\n\n${describePackage(p)}`);
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
    .action(async (ref: string, o: Flags, cmd: Command) => {
      const g = ctx.globals(cmd);
      const content = versionContent(o);
      const hasContent = Object.values(content).some((v) => v !== undefined);
      const v = await ctx.client(g).saveDraft(ref, {
        name: o.versionName,
        description: o.description,
        content: hasContent ? content : undefined,
      });
      ctx.emit(g, v, () => `Saved draft ${v.name} of ${ref}: ${v.content.regions.length} region(s).`);
    });

  pkg
    .command('publish')
    .description('publish the draft as the next numbered version and start distribution')
    .argument('<package>', 'package name or ID')
    .option('--idempotency-key <key>', 'a repeat with the same key returns the first result')
    .option('--wait', 'follow distribution until every region is final; exit 1 if any region Failed')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', parsePositiveInt('--timeout'), 3600)
    .action(async (ref: string, o: { idempotencyKey?: string; wait?: boolean; timeout: number }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const c = ctx.client(g);
      const r = await c.publish(ref, o.idempotencyKey);
      if (!o.wait) {
        ctx.emit(g, r, () => `Published ${r.package} version ${r.version}: ${r.state}. Follow it with: imagenest package status ${r.package}`);
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
      ctx.emit(g, result, () => `${r.package} version ${r.version}: ${s.state}\n\n${statusTable(s)}`);
      if (s.regions.some((x) => x.state === 'Failed')) throw new DistributionFailed(s.regions.filter((x) => x.state === 'Failed').map((x) => x.region));
    });

  pkg
    .command('status')
    .description('one row per region: state, progress, image ID, error')
    .argument('<package>', 'package name or ID')
    .option('--version <version>', "version number (default: the latest published), or 'draft'")
    .option('--events', 'also print the event timeline')
    .action(async (ref: string, o: { version?: string; events?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const c = ctx.client(g);
      const version = o.version ?? (await latestVersion(c, ref));
      const s = await c.status(ref, version);
      ctx.emit(g, s, () => {
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
    .requiredOption('--version <version>', "version number, or 'draft'")
    .requiredOption('--region <region>', 'region')
    .action(async (ref: string, o: { version: string; region: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.client(g).imageId(ref, o.version, o.region);
      ctx.emit(g, r, () => r.imageId);
    });

  pkg
    .command('list')
    .description("list the caller's packages")
    .option('--name-contains <text>', 'only names containing this (case-insensitive)')
    .option('--resource-group <group>', 'only this resource group')
    .option('--tag <key=value>', 'only packages with this tag (repeatable)', collect)
    .action(async (o: { nameContains?: string; resourceGroup?: string; tag?: string[] }, cmd: Command) => {
      const g = ctx.globals(cmd);
      parseTags(o.tag);
      const items: PackageSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ctx.client(g).listPackages({
          limit: 100,
          nextToken,
          nameContains: o.nameContains,
          resourceGroup: o.resourceGroup,
          tag: o.tag,
        });
        items.push(...page.items);
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      ctx.emit(g, { items }, () =>
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
      const g = ctx.globals(cmd);
      const p = await ctx.client(g).getPackage(ref);
      ctx.emit(g, p, () => describePackage(p));
    });

  pkg
    .command('delete')
    .description('delete a version (with --version) or the whole package')
    .argument('<package>', 'package name or ID')
    .option('--version <version>', "'draft', a version number or a version ID")
    .action(async (ref: string, o: { version?: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const what = o.version ? `version ${o.version} of ${ref}` : `package ${ref}`;
      const removing = o.version ? await ctx.client(g).deleteVersion(ref, o.version) : await ctx.client(g).deletePackage(ref);
      const data = { deleted: o.version ? 'version' : 'package', package: ref, ...(o.version ? { version: o.version } : {}), state: removing ? 'Deleting' : 'Deleted', regions: removing?.regions ?? [] };
      ctx.emit(g, data, () =>
        removing
          ? `Deleting ${what}: removing its copies in ${removing.regions.join(', ')}; it is gone once they are ('imagenest package status' shows the progress).`
          : `Deleted ${what}.`,
      );
    });
}
