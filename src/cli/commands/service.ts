/** `imagenest service …` (docs/cli.md): services, their template, associations, visibility and review. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { RevisionView, Service, ServiceSummary } from '../../contract/services.ts';
import { ApiError, ImagenestClient } from '../client.ts';
import { readTemplateFile } from '../../templates/io/read-file.ts';
import { table, type Io } from '../output.ts';
import { UsageError } from '../errors.ts';
import { servicesClient, type TemplateBody } from '../services-client.ts';

interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

const accountList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const isTerraformFile = (name: string) => name.endsWith('.tf') || name.endsWith('.tf.json');

/** One template file's text, read bounded (read-file.ts); a file that cannot be read is TEMPLATE_INVALID naming its read code. */
function templateText(file: string): string {
  const r = readTemplateFile(file);
  if (!r.ok) throw new ApiError('TEMPLATE_INVALID', `${file} cannot be read: ${r.code}: ${r.message}`, { diagnostics: [{ file, code: r.code, message: r.message }] });
  return Buffer.from(r.bytes).toString('utf8');
}

/** A template file, or a directory of Terraform files (a bundle), and the deploy type it implies. */
export async function readTemplate(file: string): Promise<{ template: TemplateBody; deployType: 'ros' | 'terraform' }> {
  if (await stat(file).then((s) => s.isDirectory(), () => false)) {
    // Loaded here: template-commands.ts brings the template engine, which no other command needs.
    const { expandPaths } = await import('../template-commands.ts');
    const files: Record<string, string> = {};
    for (const f of await expandPaths([file])) files[path.basename(f)] = templateText(f);
    if (Object.keys(files).length === 0) throw new UsageError(`${file} holds no .tf or .tf.json file`);
    return { template: { files }, deployType: 'terraform' };
  }
  const text = templateText(file);
  if (isTerraformFile(file)) return { template: { files: { [path.basename(file)]: text } }, deployType: 'terraform' };
  return { template: text, deployType: 'ros' };
}

function parseVersion(value: string): number | 'draft' {
  if (value === 'draft') return 'draft';
  if (/^[1-9][0-9]{0,8}$/.test(value)) return Number(value);
  throw new UsageError(`--version takes a published version number or 'draft'; got '${value}'`);
}

function describeRevision(label: string, r: RevisionView | null): string[] {
  if (!r) return [`${label.padEnd(9)} -`];
  const lines = [`${label.padEnd(9)} revision ${r.number}: ${r.state}${r.rejectReason ? ` (rejected: ${r.rejectReason})` : ''}`];
  if (r.placeholders?.length) {
    const rows = r.placeholders.map((p) => [
      p.value,
      p.sites.map((s) => `${s.file}:${s.line}:${s.column} ${s.resource}`).join(', '),
      p.association?.packageName ?? p.association?.packageId,
      p.association?.version,
      p.association ? p.association.availableRegions.join(',') || 'none yet' : null,
    ]);
    lines.push(table(['PLACEHOLDER', 'SITES', 'PACKAGE', 'VERSION', 'AVAILABLE IN'], rows).replace(/^/gm, '  '));
  }
  for (const d of r.diagnostics ?? []) lines.push(`  ${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  for (const a of r.staleAssociations ?? []) lines.push(`  stale: ${a.placeholder} is no longer in the template (was ${a.packageId} ${a.version})`);
  return lines;
}

export function describeService(s: Service): string {
  return [
    `Service   ${s.name} (${s.id})`,
    `State     ${s.state}`,
    // serviceType is Compute Nest's word: 'private' deploys into the consumer's own account (it is not the visibility).
    `Deploy    ${s.deployType}, ${s.serviceType === 'private' ? "into the consumer's account (service type private)" : `service type ${s.serviceType}`}`,
    `Visible   ${s.visibility}${s.accounts?.length ? `: ${s.accounts.join(', ')}` : ''}`,
    `About     ${s.description}`,
    ...describeRevision('Online', s.revisions.online),
    ...describeRevision('Draft', s.revisions.draft),
  ].join('\n');
}

/** Adds `service` and its subcommands to the program. */
export function registerServiceCommands(program: Command, io: Io): void {
  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const api = (cmd: Command) => {
    const g = globals(cmd);
    return servicesClient(new ImagenestClient({ url: g.url, token: g.token }));
  };
  const emit = (cmd: Command, data: unknown, human: () => string) => io.out(globals(cmd).json ? JSON.stringify(data, null, 2) : human());
  const show = (cmd: Command, s: Service, head: string) => emit(cmd, s, () => `${head}\n\n${describeService(s)}`);

  const service = program.command('service').description('services: a template whose image placeholders are bound to package versions');

  service
    .command('create')
    .description('create a service with a draft revision holding the template')
    .requiredOption('--name <name>', 'service name: 3–128 letters, digits, _')
    .requiredOption('--template <file|dir>', 'a ROS or Terraform template, or a directory of Terraform files')
    .option('--description <text>', 'description, 10–500 characters')
    .addOption(new Option('--deploy-type <type>', 'default: terraform for .tf files and directories, else ros').choices(['ros', 'terraform']))
    .addOption(new Option('--visibility <visibility>', 'who may see and deploy it once Online').choices(['private', 'public', 'whitelist']))
    .option('--accounts <id,id>', 'the whitelist: account IDs', accountList)
    .action(async (o: { name: string; template: string; description?: string; deployType?: string; visibility?: string; accounts?: string[] }, cmd: Command) => {
      const t = await readTemplate(o.template);
      const s = await api(cmd).create({
        name: o.name,
        description: o.description ?? `The ${o.name} service`,
        deployType: o.deployType ?? t.deployType,
        visibility: o.visibility,
        accounts: o.accounts,
        template: t.template,
      });
      show(cmd, s, `Created service ${s.name} (${s.id}). Associate its placeholders with 'imagenest service associate', then submit it.`);
    });

  service
    .command('list')
    .description("your services (a consumer: the Online services visible to it; admin: all)")
    .option('--state <state>', 'only services in this state, e.g. Submitted')
    .action(async (o: { state?: string }, cmd: Command) => {
      const items: ServiceSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await api(cmd).list({ limit: 100, nextToken, state: o.state });
        items.push(...page.items);
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      emit(cmd, { items }, () =>
        items.length === 0
          ? 'No services.'
          : table(
              ['NAME', 'ID', 'STATE', 'VISIBILITY', 'DEPLOY', 'ONLINE', 'DRAFT'],
              items.map((s) => [s.name, s.id, s.state, s.visibility, s.deployType, s.onlineRevision, s.draftRevision]),
            ),
      );
    });

  service
    .command('show')
    .description('a service with its Online and draft revisions, placeholders and associations')
    .argument('<service>', 'service ID or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const s = await api(cmd).get(ref);
      emit(cmd, s, () => describeService(s));
    });

  service
    .command('update')
    .description('replace the template of the draft revision (which then goes through review)')
    .argument('<service>', 'service ID or name')
    .requiredOption('--template <file|dir>', 'the new template')
    .action(async (ref: string, o: { template: string }, cmd: Command) => {
      const r = await api(cmd).updateTemplate(ref, (await readTemplate(o.template)).template);
      const dropped = r.droppedAssociations.map((a) => `${a.placeholder} (${a.packageId} ${a.version})`);
      show(cmd, r, `Updated the template of ${r.name}.${dropped.length ? ` Dropped associations whose placeholder is gone: ${dropped.join(', ')}.` : ''}`);
    });

  service
    .command('visibility')
    .description('change who may see and deploy the service, at once, without review')
    .argument('<service>', 'service ID or name')
    .addOption(new Option('--set <visibility>', 'the new visibility').choices(['private', 'public', 'whitelist']).makeOptionMandatory())
    .option('--accounts <id,id>', 'the whitelist: account IDs', accountList)
    .action(async (ref: string, o: { set: string; accounts?: string[] }, cmd: Command) => {
      const s = await api(cmd).setVisibility(ref, { visibility: o.set, accounts: o.accounts });
      show(cmd, s, `${s.name} is now ${s.visibility}; share permissions follow.`);
    });

  service
    .command('associate')
    .description('bind a template placeholder to a version of one of your packages')
    .argument('<service>', 'service ID or name')
    .requiredOption('--placeholder <value>', "the template's literal image value")
    .requiredOption('--package <package>', 'package name or ID')
    .requiredOption('--version <version>', "a published version number, or 'draft'", parseVersion)
    .action(async (ref: string, o: { placeholder: string; package: string; version: number | 'draft' }, cmd: Command) => {
      const s = await api(cmd).associate(ref, o);
      show(cmd, s, `Associated ${o.placeholder} with ${o.package} ${o.version}.`);
    });

  const steps = {
    submit: 'submit the draft revision for review',
    approve: 'approve the submitted revision (admin)',
    publish: 'publish the approved revision: consumers deploy it from now on',
    offline: 'take the Online revision offline',
  } as const;
  for (const [action, description] of Object.entries(steps) as [keyof typeof steps, string][]) {
    service
      .command(action)
      .description(description)
      .argument('<service>', 'service ID or name')
      .action(async (ref: string, _o: unknown, cmd: Command) => {
        const s = await api(cmd).review(ref, action);
        show(cmd, s, `${s.name}: ${action} done; the service is ${s.state}.`);
      });
  }

  service
    .command('reject')
    .description('reject the submitted revision (admin)')
    .argument('<service>', 'service ID or name')
    .requiredOption('--reason <text>', 'why, for the vendor: 1–500 characters')
    .action(async (ref: string, o: { reason: string }, cmd: Command) => {
      const s = await api(cmd).reject(ref, o.reason);
      show(cmd, s, `${s.name}: rejected.`);
    });

  service
    .command('events')
    .description("the service's timeline: who did what, when, each review step from → to")
    .argument('<service>', 'service ID or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const r = await api(cmd).events(ref);
      emit(cmd, r, () => table(['AT', 'ACTOR', 'EVENT', 'REVISION', 'FROM', 'TO', 'MESSAGE'], r.items.map((e) => [e.at, e.actor, e.type, e.revision, e.from, e.to, e.message])));
    });
}
