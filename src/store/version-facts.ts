/** What image resolution needs of package versions (domain/deployment VersionFacts), read in one go. */
import type { Kysely, Transaction } from 'kysely';
import type { IngestFact, RegionFact, VersionFacts } from '../domain/deployment/image-resolution.ts';
import type { VersionRef } from '../domain/service/association.ts';
import type { DeliveryState } from '../domain/version-state.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface VersionKey {
  packageId: string;
  version: VersionRef;
}

export function versionKey(k: VersionKey): string {
  return `${k.packageId}/${k.version}`;
}

/** The key of a version named by its number (null: the package's draft), as associations store it. */
export function keyOf(packageId: string, versionNumber: number | null): VersionKey {
  return { packageId, version: versionNumber ?? 'draft' };
}

function regionFact(region: string, state: string, imageId: string | null): RegionFact {
  if (state === 'Available' && imageId) return { region, state: 'Available', imageId };
  // An Available row without an image ID cannot serve anyone: report it as still copying.
  return { region, state: state === 'Available' ? 'Copying' : (state as Exclude<DeliveryState, 'Available'>) };
}

/** The facts of each named version that exists, keyed by versionKey; missing versions are absent. */
export async function loadVersionFacts(db: Db, keys: readonly VersionKey[]): Promise<Map<string, VersionFacts>> {
  const out = new Map<string, VersionFacts>();
  const packageIds = [...new Set(keys.map((k) => k.packageId))];
  if (packageIds.length === 0) return out;
  const wanted = new Set(keys.map(versionKey));
  const versions = await db
    .selectFrom('versions as v')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .select(['v.id', 'v.package_id', 'v.number', 'v.content', 'v.delete_requested_at', 'p.name as package_name', 'p.delete_requested_at as package_deleting'])
    .where('v.package_id', 'in', packageIds)
    .execute();
  const chosen = versions.filter((v) => wanted.has(versionKey({ packageId: v.package_id, version: v.number ?? 'draft' })));
  const deliveries = chosen.length
    ? await db
        .selectFrom('deliveries')
        .select(['version_id', 'kind', 'region', 'state', 'image_id', 'image_released'])
        .where('version_id', 'in', chosen.map((v) => v.id))
        .orderBy('region')
        .execute()
    : [];
  for (const v of chosen) {
    const own = deliveries.filter((d) => d.version_id === v.id);
    const ingestRow = own.find((d) => d.kind === 'ingest');
    let ingest: IngestFact | null = null;
    if (ingestRow) {
      ingest =
        ingestRow.state === 'Available' && ingestRow.image_id
          ? { state: 'Available', imageId: ingestRow.image_id, released: ingestRow.image_released }
          : { state: regionFact(ingestRow.region, ingestRow.state, ingestRow.image_id).state as Exclude<DeliveryState, 'Available'> };
    }
    const content = v.content as { imageType: string; sourceRegion: string; imageId?: string };
    const facts: VersionFacts = {
      packageId: v.package_id,
      packageName: v.package_name,
      version: v.number ?? 'draft',
      sourceRegion: content.sourceRegion,
      sourceImageId: content.imageType === 'custom' ? (content.imageId ?? null) : null,
      deleting: v.delete_requested_at !== null || v.package_deleting !== null,
      deliveries: own.filter((d) => d.kind === 'copy').map((d) => regionFact(d.region, d.state, d.image_id)),
      ingest,
    };
    out.set(versionKey({ packageId: facts.packageId, version: facts.version }), facts);
  }
  return out;
}
