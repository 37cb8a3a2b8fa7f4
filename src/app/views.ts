/** Records → the wire shapes of the contract. */
import type { Package, PackageSummary, Version } from '../contract/schemas.ts';
import type { PackageRecord, VersionRecord } from '../domain/package.ts';
import type { DeliveryState } from '../domain/version-state.ts';

export interface DeliveryRow {
  versionId: string;
  region: string;
  state: string;
}

export function versionView(v: VersionRecord, deliveries: readonly DeliveryRow[]): Version {
  return {
    id: v.id,
    version: v.number ?? 'draft',
    name: v.name,
    description: v.description,
    state: v.state,
    content: { ...v.content },
    deliveries: deliveries
      .filter((d) => d.versionId === v.id)
      .map((d) => ({ region: d.region, state: d.state as DeliveryState })),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    deleteRequestedAt: v.deleteRequestedAt?.toISOString() ?? null,
  };
}

export function packageSummary(p: PackageRecord, versions: readonly VersionRecord[]): PackageSummary {
  const own = versions.filter((v) => v.packageId === p.id);
  const published = own.filter((v) => v.number !== null);
  const latest = published.reduce<VersionRecord | undefined>((a, v) => (!a || v.number! > a.number! ? v : a), undefined);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    resourceGroup: p.resourceGroup,
    tags: p.tags,
    type: p.type,
    ownerId: p.ownerId,
    status: latest?.state ?? 'Draft',
    latestVersion: latest?.number ?? null,
    hasDraft: own.some((v) => v.number === null),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    deleteRequestedAt: p.deleteRequestedAt?.toISOString() ?? null,
  };
}

export function packageView(p: PackageRecord, versions: readonly VersionRecord[], deliveries: readonly DeliveryRow[]): Package {
  return {
    ...packageSummary(p, versions),
    versions: versions.filter((v) => v.packageId === p.id).map((v) => versionView(v, deliveries)),
  };
}
