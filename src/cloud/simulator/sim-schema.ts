/**
 * The simulator's tables as Kysely sees them. They live in the simulator's own PostgreSQL schema
 * (see sim-migrations.ts), so the product's schema and migrations know nothing of them.
 */
import type { ColumnType, Generated, Kysely, Selectable, Transaction } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
/** A JSON column with a default: optional on insert. */
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

/** Shared state by key: faults, call counters, rate-limit buckets, clock anchors. */
export interface SimMetaTable {
  key: string;
  value: Json<unknown>;
}

/** Every image the simulated cloud ever held; times are the simulator's clock in epoch milliseconds. */
export interface SimImagesTable {
  image_id: string;
  account: string;
  region: string;
  name: string;
  size_gib: number;
  tags: JsonDefault<{ key: string; value: string }[]>;
  shared_with: JsonDefault<string[]>;
  is_public: Generated<boolean>;
  source_image_id: string | null;
  source_region: string | null;
  client_token: string | null;
  request_fingerprint: string | null;
  requested_at_ms: number;
  start_at_ms: number;
  finish_at_ms: number;
  fail_at_ms: number | null;
  end_at_ms: number;
  cancelled: Generated<boolean>;
  deleted: Generated<boolean>;
}

/** The ECS resources deployments and RunInstances made (sim-instances-migration.ts); times on the simulator's clock. */
export interface SimInstancesTable {
  resource_id: string;
  /** The deployment (instance ID) that made it, or the RunInstances request (`run:N`, `run-token:…`). */
  deployment_id: string;
  account: string;
  region: string;
  image_id: string;
  resource_type: string;
  logical_id: string;
  /** RunInstances' InstanceType; null for a deployment's resources. */
  instance_type: ColumnType<string | null, string | null | undefined, string | null>;
  created_at_ms: number;
  deleted_at_ms: number | null;
}

export interface SimDatabase {
  meta: SimMetaTable;
  images: SimImagesTable;
  instances: SimInstancesTable;
}

export type SimImageRow = Selectable<SimImagesTable>;

/** A handle scoped to the simulator's schema (made by openSimDatabase). */
export type SimDb = Kysely<SimDatabase>;
export type SimTrx = Transaction<SimDatabase>;
