/** Table types of services, revisions, associations, instances and share reconciliations (migration 0006). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export type ServiceVisibilityColumn = 'private' | 'public' | 'whitelist';
export type DeployTypeColumn = 'ros' | 'terraform';
export type RevisionStateColumn = 'Draft' | 'Submitted' | 'Approved' | 'Rejected' | 'Online' | 'Offline';
export type InstanceStateColumn = 'Deploying' | 'Deployed' | 'Failed' | 'Deleting' | 'Deleted';

/** A template as stored: one file, or the files of a Terraform bundle. */
export interface StoredTemplate {
  files: { name: string; text: string }[];
}

export interface ServicesTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  deploy_type: DeployTypeColumn;
  service_type: string;
  visibility: ServiceVisibilityColumn;
  accounts: JsonDefault<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceRevisionsTable {
  id: string;
  service_id: string;
  number: number;
  state: RevisionStateColumn;
  template: Json<StoredTemplate>;
  reject_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  reviewed_at: Timestamp | null;
  published_at: Timestamp | null;
}

export interface RevisionAssociationsTable {
  revision_id: string;
  placeholder: string;
  package_id: string;
  /** null: the package's draft. */
  version_number: number | null;
}

export interface ServiceEventsTable {
  id: Generated<string>;
  service_id: string;
  revision_id: string | null;
  at: Timestamp;
  actor: string | null;
  type: string;
  message: string;
  data: Json<unknown> | null;
}

export interface InstanceImageColumn {
  placeholder: string;
  packageId: string;
  packageName: string;
  version: number | 'draft';
  imageId: string;
}

export interface InstancesTable {
  id: string;
  service_id: string;
  revision_id: string;
  owner_id: string;
  region: string;
  state: InstanceStateColumn;
  is_test: Generated<boolean>;
  parameters: JsonDefault<Record<string, string>>;
  images: JsonDefault<InstanceImageColumn[]>;
  resolved_template: Json<StoredTemplate>;
  resources: JsonDefault<unknown[]>;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InstanceEventsTable {
  id: Generated<string>;
  instance_id: string;
  at: Timestamp;
  type: string;
  message: string;
  data: Json<unknown> | null;
}

export interface ShareReconciliationsTable {
  package_id: string;
  requested_at: Timestamp;
  generation: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
}

/** The tables above, merged into the store's `Database`. */
export interface ServicesDatabase {
  services: ServicesTable;
  service_revisions: ServiceRevisionsTable;
  revision_associations: RevisionAssociationsTable;
  service_events: ServiceEventsTable;
  instances: InstancesTable;
  instance_events: InstanceEventsTable;
  share_reconciliations: ShareReconciliationsTable;
}

export type ServiceRow = Selectable<ServicesTable>;
export type RevisionRow = Selectable<ServiceRevisionsTable>;
export type AssociationRow = Selectable<RevisionAssociationsTable>;
export type InstanceRow = Selectable<InstancesTable>;
