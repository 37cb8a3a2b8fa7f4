/**
 * ROS templates (YAML and JSON, which the YAML parser reads too): every image property of a
 * supported resource, with positions, and diagnostics for whatever is not a string literal.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic, ImageSite, Quote, TemplateFormat } from './model.ts';
import type { LineIndex } from './positions.ts';

/** SPEC §5: the ROS resource types whose `ImageId` carries a placeholder. */
export const ROS_IMAGE_RESOURCES: ReadonlySet<string> = new Set([
  'ALIYUN::ECS::Instance',
  'ALIYUN::ECS::InstanceGroup',
  'ALIYUN::ESS::ScalingConfiguration',
  'ALIYUN::ESS::ScalingGroup',
  'ALIYUN::EHPC::Cluster',
  'ALIYUN::ECS::LaunchTemplate',
]);

/** The short forms ROS understands; any other `!Tag` is reported as unknown. */
const ROS_TAGS = new Set([
  '!Ref', '!Sub', '!GetAtt', '!FindInMap', '!Join', '!If', '!Select', '!Base64', '!Base64Encode', '!Base64Decode',
  '!GetAZs', '!Split', '!Replace', '!Equals', '!And', '!Or', '!Not', '!Length', '!Str', '!Index', '!Jq', '!Calculate',
  '!Min', '!Max', '!Add', '!Avg', '!SelectMapList', '!MergeMapToList', '!GetJsonValue', '!MarketplaceImage', '!Contains',
  '!Any', '!EachMemberIn', '!MatchPattern', '!GetStackOutput', '!ListMerge', '!Condition',
]);

type Site = Omit<ImageSite, 'line' | 'column'> & { offset: number };

function keyText(pair: Pair): string | null {
  return isScalar(pair.key) ? String((pair.key as Scalar).value ?? '') : null;
}

/** The last pair with this key (ROS, like most YAML loaders, keeps the last of duplicates). */
function lastPair(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of map.items) if (keyText(p) === key) found = p;
  return found;
}

function describe(node: Node | null | undefined): { kind: 'literal' | 'expression' | 'invalid'; what: string } {
  if (!node) return { kind: 'invalid', what: 'empty' };
  if (isAlias(node)) return { kind: 'expression', what: `an alias *${node.source}` };
  const tag = (node as { tag?: string }).tag;
  if (tag && tag.startsWith('!')) {
    const fn = tag === '!Ref' ? 'parameter reference' : `function Fn::${tag.slice(1)}`;
    const arg = isScalar(node) ? ` ${String(node.value)}` : ' […]';
    return { kind: 'expression', what: `\`${tag}${arg}\` (${fn}, short form)` };
  }
  if (isScalar(node)) {
    if (typeof node.value === 'string') return { kind: 'literal', what: 'a string' };
    return { kind: 'invalid', what: node.value === null ? 'null' : `${JSON.stringify(node.value)} (${typeof node.value})` };
  }
  if (isMap(node)) {
    const keys = node.items.map(keyText);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const target = isScalar(node.items[0]!.value) ? String((node.items[0]!.value as Scalar).value) : '…';
      return { kind: 'expression', what: `\`Ref: ${target}\` (${target.startsWith('ALIYUN::') ? 'pseudo parameter' : 'parameter'} reference)` };
    }
    if (keys.length === 1 && keys[0]?.startsWith('Fn::')) return { kind: 'expression', what: `function ${keys[0]}` };
    return { kind: 'invalid', what: 'a mapping' };
  }
  if (isSeq(node)) return { kind: 'invalid', what: 'a list' };
  return { kind: 'invalid', what: 'not a string' };
}

function quoteOf(s: Scalar): Quote | null {
  switch (s.type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'PLAIN':
      return 'plain';
    default:
      return null;
  }
}

/** Analyses ROS source (`base` is where `src` starts in the full text, after a BOM). */
export function analyzeRos(src: string, base: number, lines: LineIndex, format: TemplateFormat): { sites: ImageSite[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => lines.at(base + offset);
  const diag = (severity: Diagnostic['severity'], code: Diagnostic['code'], offset: number, message: string, resource?: string) =>
    diagnostics.push({ severity, code, message, ...at(offset), ...(resource === undefined ? {} : { resource }) });

  const doc = parseDocument(src, { uniqueKeys: false, prettyErrors: false, strict: false });
  for (const e of doc.errors) diag('error', 'SYNTAX_ERROR', e.pos[0], `${format === 'ros-json' ? 'JSON' : 'YAML'} syntax: ${e.message.split('\n')[0]}`);
  for (const w of doc.warnings) {
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
    if (tag && ROS_TAGS.has(tag)) continue;
    diag('warning', tag ? 'UNKNOWN_TAG' : 'SYNTAX_ERROR', w.pos[0], tag ? `unknown tag ${tag}: ROS may not understand it` : w.message.split('\n')[0]!);
  }
  if (doc.errors.length > 0) return { sites: [], diagnostics };

  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const k = keyText(pair);
        const offset = (pair.key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0;
        if (k === null) continue;
        if (k === '') diag('warning', 'EMPTY_KEY', offset, 'an empty key; ROS ignores or rejects it');
        if (seen.has(k)) diag('warning', 'DUPLICATE_KEY', offset, `duplicate key '${k}': ROS uses the last one`);
        seen.set(k, offset);
      }
    },
  });

  const sites: Site[] = [];
  const root = doc.contents;
  const resources = isMap(root) ? lastPair(root, 'Resources')?.value : undefined;
  if (!isMap(resources)) return { sites: [], diagnostics };
  for (const res of resources.items) {
    const id = keyText(res);
    if (id === null || !isMap(res.value)) continue;
    const typeNode = lastPair(res.value, 'Type')?.value;
    const type = isScalar(typeNode) ? String(typeNode.value) : '';
    if (!ROS_IMAGE_RESOURCES.has(type)) continue;
    const props = lastPair(res.value, 'Properties')?.value;
    if (!isMap(props)) continue;
    const pair = lastPair(props, 'ImageId');
    if (!pair) continue;
    const node = pair.value as Node | null;
    const offset = node?.range?.[0] ?? (pair.key as Node).range?.[0] ?? 0;
    const d = describe(node);
    if (d.kind === 'literal' && isScalar(node) && quoteOf(node)) {
      const value = String(node.value);
      if (value.trim() === '') {
        diag('error', 'IMAGE_ID_INVALID', offset, `ImageId of ${id} is an empty string; give the image placeholder or an image ID`, id);
        continue;
      }
      sites.push({ resource: id, resourceType: type, property: 'ImageId', value, start: base + node.range![0], end: base + node.range![1], offset, quote: quoteOf(node)! });
    } else if (d.kind === 'literal') {
      diag('error', 'IMAGE_ID_INVALID', offset, `ImageId of ${id} is a block scalar; write it as a plain or quoted string literal`, id);
    } else if (d.kind === 'expression') {
      diag(
        'error',
        'IMAGE_ID_NOT_LITERAL',
        offset,
        `ImageId of ${id} is ${d.what}; it must be a string literal to be associated with a deployment package. Write the placeholder itself (e.g. ImageId: app_image) and associate it with a package version`,
        id,
      );
    } else {
      diag('error', 'IMAGE_ID_INVALID', offset, `ImageId of ${id} is ${d.what}; it must be a string literal (the image placeholder)`, id);
    }
  }
  return {
    sites: sites.sort((a, b) => a.start - b.start).map(({ offset, ...s }) => ({ ...s, ...lines.at(base + offset) })),
    diagnostics,
  };
}

