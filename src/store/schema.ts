/** Table types for Kysely: the database as the code sees it. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DeliveryErrorCode } from '../domain/delivery/delivery-error.ts';
import type { DeliveryKind, DeliveryState } from '../domain/delivery/delivery-state.ts';
import type { VersionState } from '../domain/version-state.ts';
import type { ServicesDatabase } from './services-schema.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A JSON column with a default: optional on insert. */
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

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
  /** Set when deletion was asked while a version's copies existed; the package goes with its last version. */
  delete_requested_at: Timestamp | null;
}

export interface VersionsTable {
  id: string;
  package_id: string;
  number: number | null;
  name: string;
  description: string | null;
  content: Json<Record<string, unknown>>;
  state: VersionState;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Timestamp | null;
  /** Set when deletion was asked while regional copies existed; the row goes once they are removed. */
  delete_requested_at: Timestamp | null;
}

export interface DeliveriesTable {
  id: string;
  version_id: string;
  kind: Generated<DeliveryKind>;
  region: string;
  state: DeliveryState;
  source_region: string | null;
  source_image_id: string | null;
  size_gib: number | null;
  image_id: string | null;
  cloud_status: string | null;
  progress: Generated<number>;
  error_code: DeliveryErrorCode | null;
  /** The cloud's own code behind error_code, when the cloud gave one. */
  error_cloud_code: string | null;
  error_message: string | null;
  attempts: Generated<number>;
  generation: Generated<number>;
  next_attempt_at_ms: number | null;
  requested_at_ms: number | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  obs_first_ms: number | null;
  obs_first_pct: number | null;
  obs_last_ms: number | null;
  obs_last_pct: number | null;
  next_poll_at_ms: number | null;
  detected_at_ms: number | null;
  cancel_requested: Generated<boolean>;
  image_released: Generated<boolean>;
  worker: string | null;
  /** The image this delivery copies (or copied) from, recorded before its CopyImage call. */
  copy_source_region: string | null;
  copy_source_image_id: string | null;
  /** The region the relay plan means it to copy from: null until planned; the ingest's region for direct. */
  relay_from: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RegionScheduleTable {
  region: string;
  wake_at_ms: number | null;
  lease_holder: string | null;
  lease_until: Timestamp | null;
}

export interface DeliveryEventsTable {
  id: Generated<string>;
  version_id: string;
  region: string | null;
  at: Timestamp;
  type: string;
  message: string;
  data: Json<unknown> | null;
}

/** Learned copy throughput of a route class or region pair (store/speeds-repo.ts). */
export interface CopySpeedsTable {
  route: string;
  weight: number;
  weighted_log: number;
  samples: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  operation: string;
  fingerprint: string;
  response: Json<unknown> | null;
  created_at: Generated<Timestamp>;
}

export interface Database extends ServicesDatabase {
  accounts: AccountsTable;
  api_tokens: ApiTokensTable;
  packages: PackagesTable;
  versions: VersionsTable;
  deliveries: DeliveriesTable;
  region_schedule: RegionScheduleTable;
  delivery_events: DeliveryEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  copy_speeds: CopySpeedsTable;
}

export type PackageRow = Selectable<PackagesTable>;
export type VersionRow = Selectable<VersionsTable>;
export type NewVersionRow = Insertable<VersionsTable>;

export type DeliveryRow = Selectable<DeliveriesTable>;
