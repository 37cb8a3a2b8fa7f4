/**
 * ROS templates (YAML and JSON, which the YAML parser reads too): every image property of a
 * supported resource, with positions, and diagnostics for whatever is not a string literal.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Alias, type Node, type Scalar } from 'yaml';
import { throughAliases, type AliasUse, type Diagnostic, type ImageSite, type Quote, type TemplateFormat } from './model.ts';
import type { LineIndex } from './positions.ts';
import { keyText, RosGraph, type Use } from './ros-graph.ts';

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

/** A site before positions are computed; `node` tells sites sharing one anchored value. */
type Site = Omit<ImageSite, 'line' | 'column'> & { offset: number; node: Node };

/** Nodes visited, aliases expanded, before shared values are given up on (billion laughs). */
const ALIAS_WALK_BUDGET = 20_000;

type Conflict = Pick<Diagnostic, 'code' | 'message' | 'resource'> & { offset: number };

const isImageUse = (u: Use, resources: ReadonlySet<string>) =>
  u.path.length === 4 && u.path[0] === 'Resources' && u.path[2] === 'Properties' && u.path[3] === 'ImageId' && resources.has(u.path[1]!);

/**
 * An anchored ImageId is one range of text however many resources reach it, and resolve splices
 * it once. That is right only if every use of it is an image site: a use anywhere else (another
 * property, an unsupported resource, Outputs) would silently receive the image ID too.
 */
function sharedConflicts(graph: RosGraph, sites: Site[], through: (via: readonly Alias[]) => string): Map<Node, Conflict> {
  const byNode = new Map<Node, Site[]>();
  for (const s of sites) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s]);
  const conflicts = new Map<Node, Conflict>();
  const uses = graph.usesOf(new Set(byNode.keys()), ALIAS_WALK_BUDGET);
  for (const [node, group] of byNode) {
    const first = group[0]!;
    const resources = new Set(group.map((s) => s.resource));
    const stray = uses ? (uses.get(node) ?? []).find((u) => !isImageUse(u, resources)) : undefined;
    if (uses && !stray) continue;
    const message = stray
      ? `the image placeholder '${first.value}' is written once and also used at ${stray.path.join('.') || 'the root'}${through(stray.via)}, which is not the ImageId of a supported resource: resolving would change it too. Write the placeholder in each resource instead of sharing it through an anchor`
      : `the template's aliases expand to more than ${ALIAS_WALK_BUDGET} nodes: the uses of the image placeholder '${first.value}' cannot be checked`;
    conflicts.set(node, { code: uses ? 'ALIASED_IMAGE_CONFLICT' : 'TOO_LARGE', message, offset: first.offset, resource: first.resource });
  }
  return conflicts;
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
export function analyzeRos(src: string, base: number, lines: LineIndex, format: TemplateFormat): { sites: ImageSite[]; diagnostics: Diagnostic[]; parameters?: string[] | undefined } {
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

  let hasAliases = false;
  visit(doc, {
    Alias() {
      hasAliases = true;
    },
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

  const graph = new RosGraph(doc);
  const via = (aliases: readonly Alias[]): AliasUse[] => aliases.map((a) => ({ alias: a.source, ...at(a.range?.[0] ?? 0) }));
  const through = (aliases: readonly Alias[]) => throughAliases(via(aliases));
  let sites: Site[] = [];
  const root = graph.deref(doc.contents as Node | null);
  // A template with a Transform (ROS-managed Terraform) takes the variables of its Workspace,
  // which this engine does not read: its parameters are unknown, not none.
  const transformed = isMap(root.node) && graph.get(root.node, 'Transform', root.via) !== undefined;
  const declared = isMap(root.node) ? graph.get(root.node, 'Parameters', root.via) : undefined;
  const parameters = transformed ? undefined : declared && isMap(declared.node) ? [...new Set(graph.entries(declared.node, declared.via).map((e) => e.key))] : [];
  const resources = isMap(root.node) ? graph.get(root.node, 'Resources', root.via) : undefined;
  if (!resources || !isMap(resources.node)) return { sites: [], diagnostics, ...(parameters ? { parameters } : {}) };
  for (const entry of graph.entries(resources.node, resources.via)) {
    const id = entry.key;
    const res = graph.deref(entry.node, entry.via);
    if (!isMap(res.node)) continue;
    const typeNode = graph.get(res.node, 'Type', res.via)?.node;
    const type = isScalar(typeNode) ? String(typeNode.value) : '';
    if (!ROS_IMAGE_RESOURCES.has(type)) continue;
    const props = graph.get(res.node, 'Properties', res.via);
    if (!props || !isMap(props.node)) continue;
    const image = graph.get(props.node, 'ImageId', props.via);
    if (!image) continue;
    const node = image.node;
    const offset = node?.range?.[0] ?? (image.pair.key as Node).range?.[0] ?? 0;
    const of = `ImageId of ${id}${through(image.via)}`;
    const d = describe(node);
    if (d.kind === 'literal' && isScalar(node) && quoteOf(node)) {
      const value = String(node.value);
      if (value.trim() === '') {
        diag('error', 'IMAGE_ID_INVALID', offset, `${of} is an empty string; give the image placeholder or an image ID`, id);
        continue;
      }
      const site: Site = { resource: id, resourceType: type, property: 'ImageId', value, start: base + node.range![0], end: base + node.range![1], offset, quote: quoteOf(node)!, node };
      sites.push(image.via.length > 0 ? { ...site, via: via(image.via) } : site);
    } else if (d.kind === 'literal') {
      diag('error', 'IMAGE_ID_INVALID', offset, `${of} is a block scalar; write it as a plain or quoted string literal`, id);
    } else if (d.kind === 'expression') {
      diag(
        'error',
        'IMAGE_ID_NOT_LITERAL',
        offset,
        `${of} is ${d.what}; it must be a string literal to be associated with a deployment package. Write the placeholder itself (e.g. ImageId: app_image) and associate it with a package version`,
        id,
      );
    } else {
      diag('error', 'IMAGE_ID_INVALID', offset, `${of} is ${d.what}; it must be a string literal (the image placeholder)`, id);
    }
  }
  if (hasAliases && sites.length > 0) {
    const conflicts = sharedConflicts(graph, sites, through);
    for (const c of conflicts.values()) diag('error', c.code, c.offset, c.message, c.resource);
    sites = sites.filter((s) => !conflicts.has(s.node));
  }
  return {
    sites: sites.sort((a, b) => a.start - b.start).map(({ offset, node: _, ...s }) => ({ ...s, ...lines.at(base + offset) })),
    diagnostics,
    ...(parameters ? { parameters } : {}),
  };
}

