/**
 * The template engine: detect the format, find image sites, diagnose, and resolve by splicing
 * new values into the original text. Pure: text in, text or diagnostics out; never throws.
 */
import { analyzeRos } from './ros.ts';
import { analyzeHcl, analyzeTfJson } from './terraform.ts';
import { DEFAULT_MAX_BYTES, hasErrors, type Analysis, type Diagnostic, type TemplateFormat } from './model.ts';
import { LineIndex } from './positions.ts';

export interface AnalyzeOptions {
  maxBytes?: number;
}

/** The format from the file name, then from the content. */
export function detectFormat(file: string, text: string): TemplateFormat | null {
  const name = file.toLowerCase();
  if (name.endsWith('.tf.json')) return 'terraform-json';
  if (name.endsWith('.tf')) return 'terraform-hcl';
  if (name.endsWith('.json')) return 'ros-json';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'ros-yaml';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return /"ROSTemplateFormatVersion"/.test(head) || !/"resource"\s*:/.test(head) ? 'ros-json' : 'terraform-json';
  if (/ROSTemplateFormatVersion\s*:/.test(head)) return 'ros-yaml';
  if (/^\s*(resource|variable|provider|module|terraform|locals|data|output)\s+["{a-z]/m.test(head)) return 'terraform-hcl';
  return null;
}

function fail(file: string, text: string, format: TemplateFormat | null, d: Diagnostic): Analysis {
  return { file, format, text, sites: [], diagnostics: [d] };
}

/** Decodes bytes strictly: invalid UTF-8 is a diagnostic, not replacement characters. */
function decode(file: string, input: string | Uint8Array): { text: string } | { error: Analysis } {
  if (typeof input === 'string') return { text: input };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input) };
  } catch {
    // Find the first bad byte for the position: the longest prefix that decodes, bisected from
    // the largest power of two within the input so that every prefix length can be reached.
    let good = 0;
    for (let n = 2 ** Math.floor(Math.log2(input.length)); n > 0; n >>= 1) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(input.subarray(0, good + n));
        good += n;
      } catch {
        // keep halving
      }
    }
    const prefix = new TextDecoder().decode(input.subarray(0, good));
    const pos = new LineIndex(prefix).at(prefix.length);
    return {
      error: fail(file, '', null, { severity: 'error', code: 'INVALID_ENCODING', message: `not valid UTF-8 at byte ${good}; save the template as UTF-8`, ...pos }),
    };
  }
}

/** Analyses one template; the result is reused for every resolve of the same text. */
export function analyze(file: string, input: string | Uint8Array, options: AnalyzeOptions = {}): Analysis {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) {
    return fail(file, '', null, { severity: 'error', code: 'TOO_LARGE', message: `the template is ${size} bytes; the limit is ${maxBytes}`, line: 1, column: 1 });
  }
  const decoded = decode(file, input);
  if ('error' in decoded) return decoded.error;
  const text = decoded.text;
  if (/\u0000/.test(text)) {
    const pos = new LineIndex(text).at(text.indexOf('\u0000'));
    return fail(file, text, null, { severity: 'error', code: 'INVALID_ENCODING', message: 'the file contains NUL bytes: it is binary, not a template', ...pos });
  }
  const format = detectFormat(file, text);
  const lines = new LineIndex(text);
  if (!format) {
    return fail(file, text, null, { severity: 'error', code: 'UNKNOWN_FORMAT', message: 'not a ROS (.yaml, .yml, .json) or Terraform (.tf, .tf.json) template', line: 1, column: 1 });
  }
  const base = text.startsWith('\uFEFF') ? 1 : 0;
  try {
    switch (format) {
      case 'ros-yaml':
      case 'ros-json': {
        const r = analyzeRos(text.slice(base), base, lines, format);
        return { file, format, text, ...r };
      }
      case 'terraform-hcl':
        return { file, format, text, ...analyzeHcl(text, lines) };
      case 'terraform-json':
        return { file, format, text, ...analyzeTfJson(text.slice(base), base, lines) };
    }
  } catch (err) {
    // A parser may still give up (e.g. the call stack on absurd nesting): report, never throw.
    return fail(file, text, format, { severity: 'error', code: 'SYNTAX_ERROR', message: `cannot parse the template: ${(err as Error).message}`, line: 1, column: 1 });
  }
}

/**
 * The parameters a template of several files declares: the union over its root module's files (a
 * file in a directory belongs to a module, whose variables a deployment cannot set); null when
 * one of those files could not be read that far, or holds something this engine does not read,
 * or there is no file at the root (then nothing is refused for its parameters).
 */
export function declaredParameters(files: readonly Pick<Analysis, 'file' | 'parameters'>[]): string[] | null {
  const out = new Set<string>();
  let root = 0;
  for (const f of files) {
    if (/[\\/]/.test(f.file)) continue;
    if (!f.parameters) return null;
    root++;
    for (const p of f.parameters) out.add(p);
  }
  // No file at the root: where the root module is cannot be told either.
  return root === 0 ? null : [...out];
}

export type ResolveResult = { ok: true; text: string; replaced: number } | { ok: false; diagnostics: Diagnostic[] };

function render(value: string, quote: 'plain' | 'single' | 'double'): string {
  if (quote === 'single') return `'${value.replace(/'/g, "''")}'`;
  if (quote === 'double' || !/^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(value)) return JSON.stringify(value);
  return value;
}

/**
 * Replaces every site of each mapped placeholder; every other character is left as it was.
 * An empty mapping asks for nothing and returns the text unchanged, whatever it contains.
 */
export function resolve(analysis: Analysis, mapping: Readonly<Record<string, string>>): ResolveResult {
  if (Object.keys(mapping).length === 0) return { ok: true, text: analysis.text, replaced: 0 };
  if (hasErrors(analysis)) return { ok: false, diagnostics: analysis.diagnostics.filter((d) => d.severity === 'error') };
  const present = new Set(analysis.sites.map((s) => s.value));
  const missing = Object.keys(mapping).filter((p) => !present.has(p));
  if (missing.length > 0) {
    const has = present.size > 0 ? `its placeholders are ${[...present].map((p) => `'${p}'`).join(', ')}` : 'it has no image placeholder at all';
    return {
      ok: false,
      diagnostics: missing.map((p) => ({ severity: 'error', code: 'PLACEHOLDER_MISSING', message: `the template has no image placeholder '${p}'; ${has}`, line: 1, column: 1 })),
    };
  }
  const parts: string[] = [];
  let at = 0;
  let replaced = 0;
  for (const s of analysis.sites) {
    const id = mapping[s.value];
    // Resources sharing one anchored value (YAML alias) share its range: splice it once.
    if (id === undefined || s.start < at) continue;
    parts.push(analysis.text.slice(at, s.start), render(id, s.quote));
    at = s.end;
    replaced++;
  }
  parts.push(analysis.text.slice(at));
  return { ok: true, text: parts.join(''), replaced };
}

/**
 * One warning per placeholder that `mapping` leaves as it is, at its first site: resolving with
 * a placeholder unmapped is allowed (exit 0), but never silently.
 */
export function unmappedPlaceholders(analysis: Analysis, mapping: Readonly<Record<string, string>>): { placeholder: string; diagnostic: Diagnostic }[] {
  const first = new Map<string, { site: Analysis['sites'][number]; count: number }>();
  for (const s of analysis.sites) {
    if (Object.hasOwn(mapping, s.value)) continue;
    const seen = first.get(s.value);
    if (seen) seen.count++;
    else first.set(s.value, { site: s, count: 1 });
  }
  return [...first.entries()].map(([value, { site, count }]) => ({
    placeholder: value,
    diagnostic: {
      severity: 'warning',
      code: 'PLACEHOLDER_UNMAPPED',
      message: `placeholder '${value}' is not mapped: ${count === 1 ? 'its site is left as it is' : `its ${count} sites are left as they are`} (--set ${value}=IMAGE_ID)`,
      line: site.line,
      column: site.column,
      resource: site.resource,
    },
  }));
}
