/**
 * A parsed ROS YAML document read the way ROS's loader reads it: aliases (`*x`) stand for their
 * anchored node and merge keys (`<<: *base`, `<<: [*a, *b]`) add the keys a mapping does not set
 * itself. Every node is returned with the aliases passed through to reach it, so a finding can
 * name both where the value is written and where it is used.
 */
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';

/** A node as reached from the root, with the aliases passed through, outermost first. */
export interface Reached {
  node: Node | null;
  via: readonly Alias[];
}

export interface Entry extends Reached {
  key: string;
  pair: Pair;
}

/** The logical path of one use of a node (keys and list indexes from the root). */
export interface Use {
  path: readonly string[];
  via: readonly Alias[];
}

export function keyText(pair: Pair): string | null {
  return isScalar(pair.key) ? String((pair.key as Scalar).value ?? '') : null;
}

/** YAML 1.1 merge key: a plain `<<` (a quoted '<<' is an ordinary key). */
function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.value === '<<' && pair.key.type === 'PLAIN';
}

export class RosGraph {
  /** `Alias.resolve` searches the whole document each call: resolve each alias once. */
  readonly #targets = new Map<Alias, Node | undefined>();

  constructor(private readonly doc: Document) {}

  #target(alias: Alias): Node | undefined {
    if (!this.#targets.has(alias)) this.#targets.set(alias, alias.resolve(this.doc) as Node | undefined);
    return this.#targets.get(alias);
  }

  /** The anchored node behind an alias; an alias whose anchor is gone is returned as is. */
  deref(node: Node | null | undefined, via: readonly Alias[] = []): Reached {
    if (!node) return { node: null, via };
    if (!isAlias(node)) return { node, via };
    const target = this.#target(node);
    return target ? { node: target, via: [...via, node] } : { node, via };
  }

  /**
   * The mapping's entries as loaded: its own pairs (duplicates included, in order), then each key
   * it lacks from its merge sources, the first source that has it winning (YAML merge-key rules).
   */
  entries(map: YAMLMap, via: readonly Alias[] = [], seen: Set<YAMLMap> = new Set()): Entry[] {
    seen.add(map);
    const own: Entry[] = [];
    let merge: Pair | undefined;
    for (const pair of map.items) {
      if (isMergeKey(pair)) merge = pair;
      else {
        const key = keyText(pair);
        if (key !== null) own.push({ key, pair, node: (pair.value as Node | null) ?? null, via });
      }
    }
    if (!merge) return own;
    const have = new Set(own.map((e) => e.key));
    const value = this.deref(merge.value as Node | null, via);
    const sources = isSeq(value.node) ? value.node.items.map((n) => this.deref(n as Node, value.via)) : [value];
    for (const src of sources) {
      if (!isMap(src.node) || seen.has(src.node)) continue;
      for (const e of this.entries(src.node, src.via, seen)) {
        if (have.has(e.key)) continue;
        have.add(e.key);
        own.push(e);
      }
    }
    return own;
  }

  /** The value ROS sees for `key` (the last own pair, else the first merged), dereferenced. */
  get(map: YAMLMap, key: string, via: readonly Alias[] = []): (Reached & { pair: Pair }) | undefined {
    const found = this.entries(map, via).filter((e) => e.key === key).pop();
    return found && { ...this.deref(found.node, found.via), pair: found.pair };
  }

  /**
   * Every logical use of each target node, walking the document with aliases and merges expanded.
   * Expansion can be exponential (nested aliases), so the walk stops after `budget` nodes and
   * returns undefined.
   */
  usesOf(targets: ReadonlySet<Node>, budget: number): Map<Node, Use[]> | undefined {
    const uses = new Map<Node, Use[]>();
    const onPath = new Set<Node>();
    const leads = this.#leadsTo(targets);
    let left = budget;
    const walk = (raw: Node | null, path: string[], via: readonly Alias[]): boolean => {
      // Only branches that can reach a target are walked: the rest of a large template costs nothing.
      if (!raw || !leads(raw)) return true;
      if (--left < 0) return false;
      const { node, via: v } = this.deref(raw, via);
      if (!node || onPath.has(node)) return true;
      if (targets.has(node)) {
        const list = uses.get(node) ?? [];
        list.push({ path, via: v });
        uses.set(node, list);
      }
      onPath.add(node);
      let ok = true;
      if (isMap(node)) for (const e of this.entries(node, v)) ok &&= walk(e.node, [...path, e.key], e.via);
      else if (isSeq(node)) node.items.forEach((n, i) => (ok &&= walk(n as Node, [...path, String(i)], v)));
      onPath.delete(node);
      return ok;
    };
    return walk(this.doc.contents as Node | null, [], []) ? uses : undefined;
  }

  /** Whether a node reaches a target through its children or aliases (memoised; cycles answer no). */
  #leadsTo(targets: ReadonlySet<Node>): (node: Node) => boolean {
    const memo = new Map<Node, boolean>();
    const leads = (node: Node): boolean => {
      const known = memo.get(node);
      if (known !== undefined) return known;
      memo.set(node, false);
      let found = targets.has(node);
      if (!found && isAlias(node)) {
        const target = this.#target(node);
        found = target !== undefined && leads(target);
      } else if (!found && isMap(node)) found = node.items.some((p) => p.value != null && leads(p.value as Node));
      else if (!found && isSeq(node)) found = node.items.some((n) => n != null && leads(n as Node));
      memo.set(node, found);
      return found;
    };
    return leads;
  }
}
