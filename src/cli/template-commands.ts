/** `imagenest template check|resolve`: the template engine offline, without a server. */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { analyze, resolve, unmappedPlaceholders, type ResolveResult } from '../templates/engine.ts';
import { readTemplateFile } from '../templates/io/read-file.ts';
import { hasErrors, throughAliases, type Analysis, type Diagnostic, type DiagnosticCode } from '../templates/model.ts';
import { UsageError } from './errors.ts';

/** The documented `template check --json` shape, and nothing more. */
export function checkJson(analyses: Analysis[]) {
  return {
    files: analyses.map((a) => ({
      file: a.file,
      format: a.format,
      placeholders: a.sites.map((s) => ({
        resource: s.resource,
        resourceType: s.resourceType,
        property: s.property,
        value: s.value,
        line: s.line,
        column: s.column,
      })),
      diagnostics: a.diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        resource: d.resource ?? null,
        line: d.line,
        column: d.column,
        message: d.message,
      })),
    })),
  };
}

/** Codes about the file as a whole (it cannot be read, a `--set` it lacks): their 1:1 is no place to point at. */
const WHOLE_FILE: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['FILE_NOT_FOUND', 'NOT_A_REGULAR_FILE', 'SYMLINK_LOOP', 'PERMISSION_DENIED', 'READ_FAILED', 'TOO_LARGE', 'PLACEHOLDER_MISSING']);

/** A diagnostic as a compiler prints it: position, message, the source line and a caret. */
export function formatDiagnostic(a: Analysis, d: Diagnostic): string {
  if (WHOLE_FILE.has(d.code)) return `${a.file}: ${d.severity} ${d.code}: ${d.message}`;
  const lineText = a.text.split('\n')[d.line - 1]?.replace(/\r$/, '').replace(/^\uFEFF/, '') ?? '';
  const gutter = String(d.line).length;
  const caretPad = [...lineText].slice(0, d.column - 1).map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  return [
    `${a.file}:${d.line}:${d.column}: ${d.severity} ${d.code}${d.resource ? ` [${d.resource}]` : ''}: ${d.message}`,
    `${' '.repeat(gutter)} |`,
    `${d.line} | ${lineText}`,
    `${' '.repeat(gutter)} | ${caretPad}^`,
  ].join('\n');
}

/**
 * A directory is a Terraform bundle: every `.tf` and `.tf.json` file in it. A path that cannot be
 * stat'ed or listed is passed on as is: reading it reports why, for that path alone.
 */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const names = await stat(p).then(
      async (s) => (s.isDirectory() ? (await readdir(p)).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).sort() : undefined),
      () => undefined,
    ).catch(() => undefined);
    if (names) out.push(...names.map((n) => path.join(p, n)));
    else out.push(p);
  }
  return out;
}

/** Reads (bounded, see read-file.ts) and analyses one file; a file that cannot be read is one error diagnostic. */
function loadAnalysis(file: string): { analysis: Analysis; readable: boolean } {
  const r = readTemplateFile(file);
  if (r.ok) return { analysis: analyze(file, r.bytes), readable: true };
  const d: Diagnostic = { severity: 'error', code: r.code, message: r.message, line: 1, column: 1 };
  return { analysis: { file, format: null, text: '', sites: [], diagnostics: [d] }, readable: false };
}

export async function loadAnalyses(paths: string[]): Promise<Analysis[]> {
  return (await expandPaths(paths)).map((f) => loadAnalysis(f).analysis);
}

export function checkHuman(analyses: Analysis[]): string {
  const blocks: string[] = [];
  for (const a of analyses) {
    blocks.push(`${a.file} (${a.format ?? 'unknown format'}): ${a.sites.length} image placeholder(s)`);
    for (const s of a.sites) blocks.push(`  ${s.line}:${s.column}  ${s.resource} (${s.resourceType}) ${s.property} = ${s.value}${throughAliases(s.via)}`);
    for (const d of a.diagnostics) blocks.push(formatDiagnostic(a, d));
  }
  const errors = analyses.reduce((n, a) => n + a.diagnostics.filter((d) => d.severity === 'error').length, 0);
  const warnings = analyses.reduce((n, a) => n + a.diagnostics.filter((d) => d.severity === 'warning').length, 0);
  blocks.push(`${errors} error(s), ${warnings} warning(s)`);
  return blocks.join('\n');
}

export function anyErrors(analyses: Analysis[]): boolean {
  return analyses.some(hasErrors);
}

/**
 * Resolves one file. Placeholders left unmapped come back as warnings, or, with `strict`, as the
 * errors that refuse it; nothing is written unless it resolved.
 */
export async function resolveFile(file: string, mapping: Record<string, string>, options: { outFile?: string | undefined; strict?: boolean | undefined } = {}) {
  const { analysis: a, readable } = loadAnalysis(file);
  // Even an empty mapping must not turn a file that could not be read into empty output.
  let r: ResolveResult = readable ? resolve(a, mapping) : { ok: false, diagnostics: a.diagnostics };
  const unmapped = r.ok ? unmappedPlaceholders(a, mapping) : [];
  if (r.ok && options.strict && unmapped.length > 0) r = { ok: false, diagnostics: unmapped.map((u) => ({ ...u.diagnostic, severity: 'error' as const })) };
  if (r.ok && options.outFile) await writeOutput(options.outFile, r.text);
  return { analysis: a, result: r, unmapped: r.ok ? unmapped : [], placeholders: [...new Set(a.sites.map((s) => s.value))] };
}

async function writeOutput(outFile: string, text: string): Promise<void> {
  try {
    await writeFile(outFile, text);
  } catch (err) {
    throw new UsageError(`-o ${outFile} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
