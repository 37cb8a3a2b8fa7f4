/**
 * Counts the SQL a Kysely handle runs while a window is open: statements, the rows they return,
 * and both per query shape (kind and tables), so a query whose cost grows with the backlog shows.
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

export interface ShapeCount {
  statements: number;
  rows: number;
}

function tablesIn(node: unknown, into: Set<string>, depth = 0): Set<string> {
  if (depth > 12 || node === null || typeof node !== 'object') return into;
  const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
  if (n.kind === 'TableNode' && n.table?.identifier?.name) into.add(n.table.identifier.name);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const v of value) tablesIn(v, into, depth + 1);
    else if (value && typeof value === 'object') tablesIn(value, into, depth + 1);
  }
  return into;
}

function shapeOf(node: RootOperationNode | OperationNode): string {
  const kind = node.kind.replace(/QueryNode$/, '').replace(/Node$/, '').toLowerCase();
  if (node.kind === 'RawNode') {
    const head = (node as { sqlFragments?: readonly string[] }).sqlFragments?.join('?').replace(/\s+/g, ' ').trim().slice(0, 60) ?? '';
    return `raw ${head}`;
  }
  return `${kind} ${[...tablesIn(node, new Set())].sort().join(',')}`;
}

/** A plugin counting what runs while `active` is true. */
export class SqlCounter implements KyselyPlugin {
  active = false;
  statements = 0;
  rows = 0;
  readonly byShape = new Map<string, ShapeCount>();
  readonly #shapes = new WeakMap<object, string>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.active) this.#shapes.set(args.queryId, shapeOf(args.node));
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.active) {
      const shape = this.#shapes.get(args.queryId) ?? 'unknown';
      const rows = args.result.rows.length;
      this.statements++;
      this.rows += rows;
      const c = this.byShape.get(shape) ?? { statements: 0, rows: 0 };
      c.statements++;
      c.rows += rows;
      this.byShape.set(shape, c);
    }
    return args.result;
  }
}
