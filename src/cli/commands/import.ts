/**
 * `imagenest import computenest DIR`: plans the import of a Compute Nest service directory
 * (src/app/import), then applies the plan through the API — the packages as drafts, the service
 * with its template, each placeholder associated with its package's draft — and says what it
 * could not map and why. `--dry-run` prints the plan only.
 */
import type { Command } from 'commander';
import type { ImportPlan } from '../../app/import/index.ts';
import { ErrorCode, ImagenestError } from '../../domain/errors.ts';
import type { CommandContext } from '../context.ts';
import { servicesClient, type TemplateBody } from '../services-client.ts';

interface Applied {
  packages: { key: string; id: string; name: string }[];
  service: { id: string; name: string; state: string } | null;
  associations: { placeholder: string; package: string; version: 'draft' }[];
}

/** The service's template as the API takes it: one file's text, or a bundle of files. */
function templateBody(plan: ImportPlan): TemplateBody {
  const files = plan.service!.template!.files;
  if (files.length === 1 && plan.service!.deployType === 'ros') return files[0]!.text;
  return { files: Object.fromEntries(files.map((f) => [f.file.split('/').pop()!, f.text])) };
}

export function registerImportCommands(program: Command, ctx: CommandContext): void {
  const imp = program.command('import').description('import services from other formats');
  imp
    .command('computenest <dir>')
    .description('import a service directory in the .computenest/config.yaml layout: packages (as drafts), the service and its associations')
    .option('--service-name <name>', 'name of the service to create (default: from ServiceInfo)')
    .option('--dry-run', 'print the plan; create nothing')
    .action(async (dir: string, o: { serviceName?: string; dryRun?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      // Loaded here: the planner brings the template engine, which other commands do not need.
      const { openServiceDir, planComputenestImport, planHasErrors, describeImportPlan } = await import('../../app/import/index.ts');
      const source = openServiceDir(dir);
      if (source.configText === undefined) {
        throw new ImagenestError(ErrorCode.NOT_FOUND, `${dir} has no config.yaml (looked in ${source.root})`);
      }
      const plan = planComputenestImport({ configText: source.configText, files: source.files, options: o.serviceName ? { serviceName: o.serviceName } : {} });
      const report = describeImportPlan(plan);
      if (planHasErrors(plan) || !plan.service?.template) {
        throw new ImagenestError(ErrorCode.VALIDATION_FAILED, `${dir} cannot be imported:\n${report.join('\n')}`, { details: { plan } });
      }
      const applied: Applied = { packages: [], service: null, associations: [] };
      if (!o.dryRun) {
        const client = ctx.client(g);
        for (const p of plan.packages) {
          const created = await client.createPackage({ name: p.name, description: p.description, version: { name: p.versionName, content: p.content } });
          applied.packages.push({ key: p.key, id: created.id, name: created.name });
        }
        const services = servicesClient(client);
        const s = plan.service;
        const service = await services.create({
          name: s.name,
          description: s.description,
          deployType: s.deployType,
          serviceType: s.serviceType,
          visibility: s.visibility,
          template: templateBody(plan),
        });
        applied.service = { id: service.id, name: service.name, state: service.state };
        for (const a of plan.associations) {
          const pkg = applied.packages.find((p) => p.key === a.packageKey)!;
          await services.associate(service.id, { placeholder: a.placeholder, package: pkg.id, version: a.version });
          applied.associations.push({ placeholder: a.placeholder, package: pkg.name, version: a.version });
        }
      }
      ctx.emit(g, { dryRun: Boolean(o.dryRun), plan, ...applied }, () =>
        [
          ...report,
          o.dryRun
            ? 'Dry run: nothing was created.'
            : `Created ${applied.packages.length} package(s) as drafts and service ${applied.service!.name} (${applied.service!.id}) with ${applied.associations.length} association(s). Publish the packages, then submit the service.`,
        ].join('\n'),
      );
    });
}
