/**
 * `imagenest package …`: packages and their versions' content. Flags without a prefix are the
 * package's, `--version-…` flags the version's. Distribution commands: package-distribution.ts.
 */
import { Option, type Command } from 'commander';
import type { PackageSummary, Warning } from '../../contract/schemas.ts';
import { mergeContent, type ContentInput } from '../../domain/package.ts';
import type { CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { describePackage } from '../format.ts';
import { table } from '../output.ts';
import { collect, list, parseTags } from '../parse.ts';
import { registerPackageDistributionCommands } from './package-distribution.ts';
import { resolveVersion, versionRefParser } from './package-refs.ts';

type Flags = Record<string, string & string[]>;

/** A version's content from the flags `package create` and `package save` share. */
function versionContent(o: Flags): ContentInput {
  return {
    imageType: o.imageType as ContentInput['imageType'],
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
      printWarnings(ctx, p.versions[0]?.warnings);
      ctx.emit(g, p, () => `Created package ${p.name} (${p.id}) with a draft version.\n\n${describePackage(p)}`);
    });

  pkg
    .command('save')
    .description("update the draft version (creates one if the package has none); only the flags given change it")
    .argument('<package>', 'package name or ID')
    .addOption(new Option('--from <version>', "start from this published version's content and description: a number or 'latest'").argParser(versionRefParser('--from', false)))
    .option('--version-name <name>', 'version name')
    .option('--version-description <text>', 'version description, 10–500 characters')
    .addOption(new Option('--description <text>', 'deprecated: the version description; use --version-description').hideHelp())
    .option('--source-region <region>', 'region of the source image')
    .option('--image-id <id>', 'custom image ID')
    .addOption(new Option('--image-type <type>', 'source image type').choices(['custom', 'marketplace']))
    .option('--product-code <code>', 'marketplace product code')
    .option('--product-version <version>', 'marketplace product version')
    .option('--regions <r1,r2>', 'distribution regions, comma-separated', list)
    .action(async (ref: string, o: Flags, cmd: Command) => {
      const g = ctx.globals(cmd);
      if (o.description !== undefined) {
        if (o.versionDescription !== undefined) throw new UsageError("give the version's description once: --version-description (--description is its deprecated name)");
        // Scripts written before the rename keep working; `create --description` is the package's.
        io.err("warning: 'package save --description' is deprecated; use --version-description (the version's description)");
      }
      const c = ctx.client(g);
      const from = o.from ? await c.getVersion(ref, await resolveVersion(c, ref, o.from)) : undefined;
      const flags = versionContent(o);
      const content = from ? mergeContent({ ...from.content }, flags) : flags;
      const hasContent = Object.values(content).some((v) => v !== undefined);
      const v = await c.saveDraft(ref, {
        name: o.versionName,
        description: o.versionDescription ?? o.description ?? from?.description ?? undefined,
        content: hasContent ? content : undefined,
      });
      printWarnings(ctx, v.warnings);
      ctx.emit(g, v, () => `Saved draft ${v.name} of ${ref}${from ? ` from version ${from.version}` : ''}: ${v.content.regions.length} region(s).`);
    });

  registerPackageDistributionCommands(pkg, ctx);

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

/** What the cloud said of a saved draft's source image: on stderr, so `--json` output stays one document. */
function printWarnings(ctx: CommandContext, warnings: readonly Warning[] | undefined): void {
  for (const w of warnings ?? []) ctx.io.err(`warning ${w.code} (${w.field}): ${w.message}`);
}
