/** Table types for Kysely: the database as the code sees it. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AccountsTable {
  id: string;
  name: string;
  role: 'supplier' | 'consumer' | 'admin';
  created_at: Timestamp;
}

export interface ApiTokensTable {
  token_hash: string;
  account_id: string;
  created_at: Timestamp;
}

export interface PackagesTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  resource_group: string | null;
  tags: Json<{ key: string; value: string }[]>;
  type: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VersionsTable {
  id: string;
  package_id: string;
  number: number | null;
  name: string;
  description: string | null;
  content: Json<Record<string, unknown>>;
  state: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Timestamp | null;
}

export interface DeliveriesTable {
  id: string;
  version_id: string;
  region: string;
  state: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  operation: string;
  fingerprint: string;
  response: Json<unknown> | null;
  created_at: Generated<Timestamp>;
}

export interface Database {
  accounts: AccountsTable;
  api_tokens: ApiTokensTable;
  packages: PackagesTable;
  versions: VersionsTable;
  deliveries: DeliveriesTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type PackageRow = Selectable<PackagesTable>;
export type VersionRow = Selectable<VersionsTable>;
export type NewVersionRow = Insertable<VersionsTable>;
