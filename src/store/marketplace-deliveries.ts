/**
 * A marketplace version's regions: written Available at publish, never touched by the engine
 * (see app/marketplace.ts). Beside deliveries-repo.ts, which writes every other delivery row.
 */
import type { Db } from './database.ts';
import { appendEvents } from './deliveries-repo.ts';

/** A region of a marketplace version: the product's own image there, Available from the start. */
export interface NewMarketplaceDelivery {
  id: string;
  versionId: string;
  region: string;
  imageId: string;
  at: Date;
}

/**
 * Inserts a marketplace version's regions, each Available with the marketplace's image. They
 * never pass through the engine: `image_released` says the image is not the distribution
 * account's, so it is never shared, released or deleted, and no copy is live for a delete to wait on.
 */
export async function insertMarketplaceDeliveries(db: Db, rows: NewMarketplaceDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('deliveries')
    .values(
      rows.map((r) => ({
        id: r.id,
        version_id: r.versionId,
        kind: 'copy' as const,
        region: r.region,
        state: 'Available' as const,
        source_region: r.region,
        source_image_id: r.imageId,
        image_id: r.imageId,
        progress: 100,
        image_released: true,
        started_at: r.at,
        finished_at: r.at,
        created_at: r.at,
        updated_at: r.at,
      })),
    )
    .execute();
  await appendEvents(
    db,
    rows.map((r) => ({ versionId: r.versionId, region: r.region, atMs: r.at.getTime(), type: 'CopyAvailable', message: `the marketplace image ${r.imageId} is this region's image (no copy)` })),
  );
}
