/**
 * Who holds a package version (SPEC §4): a version that a published service or a live
 * instance uses cannot be deleted. Pure: the store supplies the revisions and instances.
 */
import { ErrorCode, ImagenestError } from '../errors.ts';
import type { VersionRef } from '../service/association.ts';
import type { ReviewState } from '../service/review-state.ts';
import { isLive, type InstanceState } from './instance-state.ts';

/**
 * Revisions whose associations are frozen for use: Online ones serve consumers; Submitted
 * and Approved ones are about to, and review approved exactly those versions. A Draft or
 * Rejected revision can still be re-associated; an Offline one serves nobody until it is
 * published again (which re-checks its versions).
 */
export const REVISION_STATES_HOLDING_VERSIONS: ReadonlySet<ReviewState> = new Set(['Submitted', 'Approved', 'Online']);

export interface VersionKey {
  packageId: string;
  version: VersionRef;
}

export interface RevisionUse {
  serviceId: string;
  serviceName: string;
  revisionId: string;
  state: ReviewState;
  versions: readonly VersionKey[];
}

export interface InstanceUse {
  instanceId: string;
  state: InstanceState;
  versions: readonly VersionKey[];
}

export type VersionUser =
  | { kind: 'revision'; serviceId: string; serviceName: string; revisionId: string; state: ReviewState }
  | { kind: 'instance'; instanceId: string; state: InstanceState };

/** The package, or one of its versions when `version` is given. */
export interface DeletionTarget {
  packageId: string;
  version?: VersionRef;
}

function matches(target: DeletionTarget, v: VersionKey): boolean {
  return v.packageId === target.packageId && (target.version === undefined || v.version === target.version);
}

/** The revisions and live instances that keep `target` from being deleted. */
export function versionUsers(target: DeletionTarget, revisions: readonly RevisionUse[], instances: readonly InstanceUse[]): VersionUser[] {
  const users: VersionUser[] = [];
  for (const r of revisions) {
    if (REVISION_STATES_HOLDING_VERSIONS.has(r.state) && r.versions.some((v) => matches(target, v))) {
      users.push({ kind: 'revision', serviceId: r.serviceId, serviceName: r.serviceName, revisionId: r.revisionId, state: r.state });
    }
  }
  for (const i of instances) {
    if (isLive(i.state) && i.versions.some((v) => matches(target, v))) users.push({ kind: 'instance', instanceId: i.instanceId, state: i.state });
  }
  return users;
}

/** The deletion refusal: VERSION_IN_USE with every user in `details.users`. */
export function versionInUseError(target: DeletionTarget, users: readonly VersionUser[]): ImagenestError {
  const what = target.version === undefined ? `package ${target.packageId}` : `version ${target.version} of package ${target.packageId}`;
  const names = users.map((u) => (u.kind === 'revision' ? `service ${u.serviceName} (${u.state})` : `instance ${u.instanceId} (${u.state})`));
  return new ImagenestError(ErrorCode.VERSION_IN_USE, `${what} is in use by ${names.join(', ')}; take them offline or delete them first`, {
    details: { users },
    context: { packageId: target.packageId, ...(target.version === undefined ? {} : { version: String(target.version) }) },
  });
}
