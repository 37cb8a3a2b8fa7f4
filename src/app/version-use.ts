/** The deletion guard of SPEC §4: a version that a published service or a live instance uses is not deleted. */
import { versionInUseError, versionUsers, type DeletionTarget, type RevisionUse } from '../domain/deployment/version-use.ts';
import type { Db } from '../store/database.ts';
import { instancesUsingPackage } from '../store/instances-repo.ts';
import { findServiceById, packageUses } from '../store/services-repo.ts';

/** Throws VERSION_IN_USE naming every service revision and live instance that holds `target`. */
export async function assertNotInUse(db: Db, target: DeletionTarget): Promise<void> {
  const revisions = new Map<string, RevisionUse & { versions: { packageId: string; version: number | 'draft' }[] }>();
  for (const u of await packageUses(db, [target.packageId])) {
    const r = revisions.get(u.revisionId) ?? {
      serviceId: u.serviceId,
      serviceName: (await findServiceById(db, u.serviceId))?.name ?? u.serviceId,
      revisionId: u.revisionId,
      state: u.revisionState,
      versions: [],
    };
    r.versions.push({ packageId: u.packageId, version: u.versionNumber ?? 'draft' });
    revisions.set(u.revisionId, r);
  }
  const instances = (await instancesUsingPackage(db, target.packageId)).map((i) => ({
    instanceId: i.id,
    state: i.state,
    versions: i.images.map((m) => ({ packageId: m.packageId, version: m.version })),
  }));
  const users = versionUsers(target, [...revisions.values()], instances);
  if (users.length > 0) throw versionInUseError(target, users);
}
