/**
 * `imagenest template check|resolve`, offline. The template engine (and its tree-sitter
 * wasm) is imported on first use, so no other command pays for loading it.
 */
import type { Command } from 'commander';
import { ApiError } from '../client.ts';
import type { CommandContext } from '../context.ts';
import { TemplateErrors } from '../errors.ts';
import { collect, parseMapping } from '../parse.ts';

const templateFiles = () => import('../template-commands.ts');

export function registerTemplateCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const template = program.command('template').description('check and resolve ROS and Terraform templates (offline)');
  template
    .command('check')
    .description('find image placeholders and report diagnostics; exit 1 on any error')
    .argument('<files...>', 'template files, or directories of Terraform files')
    .action(async (files: string[], _o: unknown, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { anyErrors, checkHuman, checkJson, loadAnalyses } = await templateFiles();
      const analyses = await loadAnalyses(files);
      ctx.emit(g, checkJson(analyses), () => checkHuman(analyses));
      if (anyErrors(analyses)) throw new TemplateErrors();
    });
  template
    .command('resolve')
    .description('print the template with placeholders replaced by image IDs; every other byte unchanged')
    .argument('<file>', 'template file')
    .option('--set <placeholder=imageId>', 'a replacement (repeatable)', collect)
    .option('--strict', 'refuse (exit 1) when a placeholder is left unmapped, instead of warning')
    .option('-o, --output <file>', 'write the result here instead of stdout')
    .action(async (file: string, o: { set?: string[]; output?: string; strict?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const mapping = parseMapping(o.set);
      const { formatDiagnostic, resolveFile } = await templateFiles();
      const { analysis, result, unmapped, placeholders } = await resolveFile(file, mapping, { outFile: o.output, strict: o.strict });
      if (!result.ok) {
        for (const d of result.diagnostics) if (!g.json) io.err(formatDiagnostic(analysis, d));
        const why = result.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ');
        throw new ApiError('TEMPLATE_NOT_RESOLVED', `${file} cannot be resolved: ${why}`, { diagnostics: result.diagnostics, placeholders });
      }
      if (!g.json) for (const u of unmapped) io.err(formatDiagnostic(analysis, u.diagnostic));
      if (g.json) io.out(JSON.stringify({ file, format: analysis.format, replaced: result.replaced, unmapped: unmapped.map((u) => u.placeholder), ...(o.output ? { output: o.output } : { text: result.text }) }, null, 2));
      else if (o.output) io.err(`Wrote ${o.output} (${result.replaced} value(s) replaced).`);
      else process.stdout.write(result.text);
    });
}
