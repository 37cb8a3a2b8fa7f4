/**
 * Terraform templates: HCL through tree-sitter's Terraform grammar, and the JSON syntax
 * (`.tf.json`) through the YAML parser, which reads JSON with positions. Image sites are
 * `image_id` arguments of the resource types of SPEC §5; `image_id` given to a module is a
 * warning, since Imagenest cannot see inside modules.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic, ImageSite } from './model.ts';
import type { LineIndex } from './positions.ts';
import { terraformParser } from './terraform-parser.ts';

/** SPEC §5: the Terraform resource types whose `image_id` carries a placeholder. */
export const TF_IMAGE_RESOURCES: ReadonlySet<string> = new Set([
  'alicloud_instance',
  'alicloud_ecs_instance_set',
  'alicloud_ess_scaling_configuration',
  'alicloud_ehpc_cluster',
  'alicloud_ecs_launch_template',
]);

type Result = { sites: ImageSite[]; diagnostics: Diagnostic[]; parameters?: string[] };

const LITERAL_FIX = 'it must be a string literal to be associated with a deployment package: write the placeholder itself (e.g. image_id = "app_image") and associate it with a package version';

function describeExpression(expr: TsNode): { kind: 'literal' | 'expression' | 'invalid'; what: string } {
  const first = expr.namedChildren[0];
  if (!first) return { kind: 'invalid', what: 'empty' };
  const text = expr.text.length > 60 ? `${expr.text.slice(0, 57)}...` : expr.text;
  switch (first.type) {
    case 'literal_value': {
      const lit = first.namedChildren[0];
      if (lit?.type === 'string_lit') return { kind: 'literal', what: 'a string' };
      return { kind: 'invalid', what: `\`${text}\` (${lit?.type === 'numeric_lit' ? 'a number' : lit?.type === 'bool_lit' ? 'a boolean' : 'null'})` };
    }
    case 'variable_expr': {
      const root = first.text;
      const what =
        root === 'var' ? 'variable' : root === 'local' ? 'local value' : root === 'data' ? 'data source' : root === 'module' ? 'module output' : root === 'each' || root === 'count' ? 'iteration value' : 'reference to another resource';
      return { kind: 'expression', what: `\`${text}\` (${what})` };
    }
    case 'template_expr':
      return { kind: 'expression', what: `\`${text}\` (${first.namedChildren[0]?.type === 'heredoc_template' ? 'heredoc template' : 'interpolation'})` };
    case 'conditional':
      return { kind: 'expression', what: `\`${text}\` (conditional)` };
    case 'function_call':
      return { kind: 'expression', what: `\`${text}\` (function call ${first.namedChildren[0]?.text ?? ''}())` };
    case 'for_expr':
      return { kind: 'expression', what: `\`${text}\` (for expression)` };
    case 'operation':
      return { kind: 'expression', what: `\`${text}\` (operation)` };
    case 'collection_value':
      return { kind: 'invalid', what: `\`${text}\` (a list or object)` };
    default:
      return { kind: 'expression', what: `\`${text}\` (${first.type.replace(/_/g, ' ')})` };
  }
}

function labelText(n: TsNode | undefined): string | null {
  if (!n) return null;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'string_lit') return n.namedChildren.find((c) => c?.type === 'template_literal')?.text ?? '';
  return null;
}

function firstError(node: TsNode): TsNode | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const c of node.children) {
    if (c && c.hasError) {
      const e = firstError(c);
      if (e) return e;
    }
  }
  return node.hasError ? node : null;
}

/** Terraform HCL. tree-sitter indexes of a JS string are UTF-16 offsets, like the rest of the engine. */
export function analyzeHcl(text: string, lines: LineIndex): Result {
  const diagnostics: Diagnostic[] = [];
  const sites: ImageSite[] = [];
  const parser = terraformParser();
  const tree = parser.parse(text);
  try {
    if (!tree) return { sites, diagnostics: [{ severity: 'error', code: 'SYNTAX_ERROR', message: 'cannot parse the Terraform file', line: 1, column: 1 }] };
    const root = tree.rootNode;
    if (root.hasError) {
      const e = firstError(root) ?? root;
      diagnostics.push({
        severity: 'error',
        code: 'SYNTAX_ERROR',
        message: e.isMissing ? `HCL syntax: missing ${e.type}` : `HCL syntax: unexpected ${JSON.stringify(e.text.slice(0, 30))}`,
        ...lines.at(e.startIndex),
      });
      return { sites, diagnostics };
    }
    const body = root.namedChildren.find((c) => c?.type === 'body');
    const parameters = new Set<string>();
    for (const block of body?.namedChildren ?? []) {
      if (!block || block.type !== 'block') continue;
      const kind = block.namedChildren[0]?.text;
      const labels = block.namedChildren.filter((c) => c?.type === 'string_lit' || (c?.type === 'identifier' && c !== block.namedChildren[0])).map((c) => labelText(c!));
      if (kind === 'variable' && labels[0]) parameters.add(labels[0]);
      const inner = block.namedChildren.find((c) => c?.type === 'body');
      const attrs = (inner?.namedChildren ?? []).filter((c) => c?.type === 'attribute' && c.namedChildren[0]?.text === 'image_id') as TsNode[];
      if (attrs.length === 0) continue;
      if (kind === 'module') {
        for (const a of attrs) {
          const expr = a.namedChildren.find((c) => c?.type === 'expression')!;
          diagnostics.push({
            severity: 'warning',
            code: 'MODULE_IMAGE_ID',
            message: `image_id is passed to module "${labels[0]}"; Imagenest cannot see inside modules, so it is not checked or resolved here. To use a deployment package, give the module's resource a string-literal placeholder`,
            resource: labels[0] ?? '',
            ...lines.at(expr.startIndex),
          });
        }
        continue;
      }
      if (kind !== 'resource' || labels.length < 2 || !TF_IMAGE_RESOURCES.has(labels[0]!)) continue;
      const [type, name] = labels as [string, string];
      if (attrs.length > 1) {
        diagnostics.push({ severity: 'error', code: 'DUPLICATE_KEY', message: `image_id is set more than once in ${type}.${name}; Terraform rejects a redefined argument`, resource: name, ...lines.at(attrs[1]!.startIndex) });
        continue;
      }
      const expr = attrs[0]!.namedChildren.find((c) => c?.type === 'expression')!;
      const d = describeExpression(expr);
      const pos = lines.at(expr.startIndex);
      if (d.kind === 'literal') {
        const str = expr.namedChildren[0]!.namedChildren[0]!;
        const value = str.namedChildren.find((c) => c?.type === 'template_literal')?.text ?? '';
        if (value.trim() === '' || value.includes('\\')) {
          diagnostics.push({ severity: 'error', code: 'IMAGE_ID_INVALID', message: `image_id of ${type}.${name} is ${value.trim() === '' ? 'an empty string' : 'a string with escapes'}; give the image placeholder or an image ID`, resource: name, ...pos });
          continue;
        }
        sites.push({ resource: name, resourceType: type, property: 'image_id', value, ...pos, start: str.startIndex, end: str.endIndex, quote: 'double' });
      } else {
        diagnostics.push({
          severity: 'error',
          code: d.kind === 'expression' ? 'IMAGE_ID_NOT_LITERAL' : 'IMAGE_ID_INVALID',
          message: `image_id of ${type}.${name} is ${d.what}; ${LITERAL_FIX}`,
          resource: name,
          ...pos,
        });
      }
    }
    return { sites, diagnostics, parameters: [...parameters] };
  } finally {
    tree?.delete();
    parser.delete();
  }
}

function pairsOf(node: unknown): Pair[] {
  if (isMap(node)) return (node as YAMLMap).items;
  // Terraform JSON allows a list of objects wherever an object of blocks is expected.
  if (isSeq(node)) return node.items.flatMap((i) => pairsOf(i));
  return [];
}

function key(p: Pair): string {
  return isScalar(p.key) ? String((p.key as Scalar).value) : '';
}

/** Terraform JSON syntax (`.tf.json`): strings may hold `${…}` interpolation. */
export function analyzeTfJson(src: string, base: number, lines: LineIndex): Result {
  const diagnostics: Diagnostic[] = [];
  const sites: ImageSite[] = [];
  const at = (o: number) => lines.at(base + o);
  const doc = parseDocument(src, { uniqueKeys: false, prettyErrors: false, strict: false });
  for (const e of doc.errors) diagnostics.push({ severity: 'error', code: 'SYNTAX_ERROR', message: `JSON syntax: ${e.message.split('\n')[0]}`, ...at(e.pos[0]) });
  if (doc.errors.length > 0) return { sites, diagnostics };
  const top = pairsOf(doc.contents);
  const parameters = new Set<string>();
  for (const section of top) {
    const kind = key(section);
    if (kind === 'variable') for (const v of pairsOf(section.value)) parameters.add(key(v));
    if (kind === 'module') {
      for (const mod of pairsOf(section.value)) {
        for (const p of pairsOf(mod.value).filter((x) => key(x) === 'image_id')) {
          diagnostics.push({
            severity: 'warning',
            code: 'MODULE_IMAGE_ID',
            message: `image_id is passed to module "${key(mod)}"; Imagenest cannot see inside modules, so it is not checked or resolved here`,
            resource: key(mod),
            ...at((p.value as Node | null)?.range?.[0] ?? 0),
          });
        }
      }
    }
    if (kind !== 'resource') continue;
    for (const typePair of pairsOf(section.value)) {
      const type = key(typePair);
      if (!TF_IMAGE_RESOURCES.has(type)) continue;
      for (const res of pairsOf(typePair.value)) {
        const name = key(res);
        for (const p of pairsOf(res.value).filter((x) => key(x) === 'image_id')) {
          const node = p.value as Node | null;
          const offset = node?.range?.[0] ?? 0;
          if (isScalar(node) && typeof node.value === 'string') {
            const value = node.value;
            if (/\$\{|%\{/.test(value)) {
              const what = /^\$\{[^}]*\}$/.test(value) ? 'interpolation' : 'string template with interpolation';
              diagnostics.push({ severity: 'error', code: 'IMAGE_ID_NOT_LITERAL', message: `image_id of ${type}.${name} is ${JSON.stringify(value)} (${what}); ${LITERAL_FIX}`, resource: name, ...at(offset) });
            } else if (value.trim() === '') {
              diagnostics.push({ severity: 'error', code: 'IMAGE_ID_INVALID', message: `image_id of ${type}.${name} is an empty string`, resource: name, ...at(offset) });
            } else {
              sites.push({ resource: name, resourceType: type, property: 'image_id', value, ...at(offset), start: base + node.range![0], end: base + node.range![1], quote: 'double' });
            }
          } else {
            diagnostics.push({ severity: 'error', code: 'IMAGE_ID_INVALID', message: `image_id of ${type}.${name} is not a string; ${LITERAL_FIX}`, resource: name, ...at(offset) });
          }
        }
      }
    }
  }
  return { sites: sites.sort((a, b) => a.start - b.start), diagnostics, parameters: [...parameters] };
}
