/** What image resolution needs of package versions, read from the store (one query per table). */
import type { IngestFact, RegionFact, VersionFacts } from '../domain/deployment/image-resolution.ts';
import type { VersionRef } from '../domain/service/association.ts';
import type { Db } from '../store/database.ts';
import { toPackage, toVersion } from '../store/packages-repo.ts';
import type { DeliveryRow } from '../store/schema.ts';

export interface VersionKey {
  packageId: string;
  /** null: the package's draft. */
  versionNumber: number | null;
}

function regionFact(d: DeliveryRow): RegionFact {
  return d.state === 'Available' && d.image_id ? { region: d.region, state: 'Available', imageId: d.image_id } : { region: d.region, state: d.state === 'Available' ? 'Pending' : d.state };
}

function ingestFact(d: DeliveryRow): IngestFact {
  return d.state === 'Available' && d.image_id ? { state: 'Available', imageId: d.image_id, released: d.image_released } : { state: d.state === 'Available' ? 'Pending' : d.state };
}

/**
 * The facts of each version asked for, keyed `packageId/number|draft`; a version that no longer
 * exists (its package or its draft deleted) is missing from the map.
 */
export async function loadVersionFacts(db: Db, keys: readonly VersionKey[]): Promise<Map<string, VersionFacts>> {
  const out = new Map<string, VersionFacts>();
  const packageIds = [...new Set(keys.map((k) => k.packageId))];
  if (packageIds.length === 0) return out;
  const packages = (await db.selectFrom('packages').selectAll().where('id', 'in', packageIds).execute()).map(toPackage);
  const versions = (await db.selectFrom('versions').selectAll().where('package_id', 'in', packageIds).execute()).map(toVersion);
  const wanted = versions.filter((v) => keys.some((k) => k.packageId === v.packageId && k.versionNumber === v.number));
  const deliveries = wanted.length === 0 ? [] : await db.selectFrom('deliveries').selectAll().where('version_id', 'in', wanted.map((v) => v.id)).execute();
  for (const v of wanted) {
    const p = packages.find((x) => x.id === v.packageId)!;
    const own = deliveries.filter((d) => d.version_id === v.id);
    const ingest = own.find((d) => d.kind === 'ingest');
    const version: VersionRef = v.number ?? 'draft';
    out.set(versionKey(v.packageId, v.number), {
      packageId: p.id,
      packageName: p.name,
      version,
      sourceRegion: v.content.sourceRegion,
      sourceImageId: v.content.imageType === 'custom' ? v.content.imageId : null,
      deleting: v.deleteRequestedAt !== null || p.deleteRequestedAt !== null,
      deliveries: own.filter((d) => d.kind === 'copy').map(regionFact),
      ingest: ingest ? ingestFact(ingest) : null,
    });
  }
  return out;
}

export function versionKey(packageId: string, versionNumber: number | null): string {
  return `${packageId}/${versionNumber ?? 'draft'}`;
}
