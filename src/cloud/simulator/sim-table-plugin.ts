/**
 * Puts the simulator's schema on the table a query names. Kysely's WithSchemaPlugin does this by
 * rebuilding the whole query tree, which cost the simulator about a quarter of its time per call;
 * the simulator's queries name one table each (no joins, no subqueries), so qualifying that one
 * table is enough. Anything else is refused rather than left to resolve in the product's schema.
 */
import {
  DeleteQueryNode,
  FromNode,
  InsertQueryNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

export class SimTablePlugin implements KyselyPlugin {
  constructor(private readonly schema: string) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (SelectQueryNode.is(node) && !node.joins) return { ...node, from: node.from && this.from(node.from) };
    if (DeleteQueryNode.is(node) && !node.using && !node.joins) return { ...node, from: this.from(node.from) };
    if (InsertQueryNode.is(node)) return { ...node, into: node.into && this.table(node.into) };
    if (UpdateQueryNode.is(node) && !node.from && !node.joins) return { ...node, table: node.table && this.table(node.table) };
    if (node.kind === 'RawNode') return node;
    throw new Error(`the simulator's tables are qualified only in single-table queries, not in a ${node.kind}`);
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  private from(node: FromNode): FromNode {
    return FromNode.create(node.froms.map((f) => this.table(f)));
  }

  private table<T extends OperationNode>(node: T): T {
    if (!TableNode.is(node)) throw new Error(`the simulator's queries name a table, not a ${node.kind}`);
    return (node.table.schema ? node : TableNode.createWithSchema(this.schema, node.table.identifier.name)) as unknown as T;
  }
}
