/**
 * The app's MarketplaceCatalog over a CloudProvider: `DescribeImages` with
 * `ImageOwnerAlias=marketplace` in every region, filtered by product code (ECS has no filter on
 * it). One call per region, a few regions at a time; used when a marketplace version is saved or
 * published, never on a hot path.
 */
import type { MarketplaceCatalog, MarketplaceListing } from '../app/ports.ts';
import { REGIONS } from '../domain/regions.ts';
import type { CloudProvider } from './provider.ts';

const PARALLEL = 5;

export function cloudMarketplaceCatalog(cloud: CloudProvider, account: string, regions: readonly string[] = REGIONS.map((r) => r.id)): MarketplaceCatalog {
  return {
    async listings(productCode, productVersion) {
      const listings: MarketplaceListing[] = [];
      const versions = new Set<string>();
      for (let i = 0; i < regions.length; i += PARALLEL) {
        const batch = await Promise.all(regions.slice(i, i + PARALLEL).map((regionId) => cloud.describeImages({ account, regionId, ownerAlias: 'marketplace' })));
        for (const images of batch) {
          for (const img of images) {
            if (img.productCode !== productCode) continue;
            if (img.imageVersion) versions.add(img.imageVersion);
            if (img.imageVersion === productVersion && img.status === 'Available') listings.push({ region: img.regionId, imageId: img.imageId });
          }
        }
      }
      listings.sort((a, b) => a.region.localeCompare(b.region));
      return { listings, versions: [...versions].sort() };
    },
  };
}
