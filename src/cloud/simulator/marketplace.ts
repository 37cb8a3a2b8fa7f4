/**
 * The simulated cloud's marketplace: a fixed, seeded catalogue of products, their versions, the
 * regions each version is sold in, and its image in each of those regions. What ECS answers to
 * `DescribeImages` with `ImageOwnerAlias=marketplace` (`ProductCode`, `ImageVersion`); a vendor
 * packages one of these versions instead of a custom image, and Imagenest maps it region by
 * region to these images with no copy. The image IDs are derived from product, version and
 * region, so they are the same on every simulator and in every test.
 */
import { createHash } from 'node:crypto';
import type { MarketplaceCatalog } from '../../app/ports.ts';
import type { CloudImage } from '../provider.ts';

/** The owner alias ECS gives marketplace images. */
export const MARKETPLACE_OWNER = 'marketplace';

interface ProductVersion {
  version: string;
  sizeGiB: number;
  regions: readonly string[];
}

interface Product {
  productCode: string;
  name: string;
  versions: readonly ProductVersion[];
}

const CHINA = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-qingdao', 'cn-zhangjiakou', 'cn-chengdu', 'cn-hongkong'];
const ASIA = ['ap-southeast-1', 'ap-southeast-3', 'ap-southeast-5', 'ap-northeast-1'];
const WEST = ['eu-central-1', 'eu-west-1', 'us-west-1', 'us-east-1'];

export const MARKETPLACE_CATALOGUE: readonly Product[] = [
  {
    productCode: 'cmjj000101',
    name: 'LAMP stack on Alibaba Cloud Linux 3',
    versions: [
      { version: 'V1.0', sizeGiB: 20, regions: CHINA },
      { version: 'V2.0', sizeGiB: 20, regions: [...CHINA, ...ASIA, ...WEST] },
    ],
  },
  {
    productCode: 'cmjj000202',
    name: 'WordPress (Ubuntu 22.04)',
    versions: [{ version: 'V6.4', sizeGiB: 40, regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1', 'eu-central-1'] }],
  },
  {
    productCode: 'cmjj000303',
    name: 'GitLab CE',
    versions: [
      { version: 'V16.8', sizeGiB: 60, regions: ['cn-hangzhou', 'ap-southeast-1', 'us-west-1'] },
      { version: 'V17.0', sizeGiB: 60, regions: ['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'us-west-1', 'eu-central-1'] },
    ],
  },
];

/** The marketplace image of a product version in a region: derived, so stable everywhere. */
export function marketplaceImageId(productCode: string, version: string, region: string): string {
  return `m-mkt${createHash('sha256').update(`${productCode}/${version}/${region}`).digest('hex').slice(0, 17)}`;
}

const byRegion = new Map<string, readonly CloudImage[]>();

/** Every marketplace image sold in `region`, as DescribeImages reports them (computed once per region: every DescribeImages asks). */
export function marketplaceImagesIn(region: string): CloudImage[] {
  let images = byRegion.get(region);
  if (!images) byRegion.set(region, (images = catalogueImagesIn(region)));
  // Copies: a caller may change what it is handed.
  return images.map((i) => ({ ...i, tags: [], creationTime: new Date(i.creationTime) }));
}

function catalogueImagesIn(region: string): CloudImage[] {
  const out: CloudImage[] = [];
  for (const p of MARKETPLACE_CATALOGUE) {
    for (const v of p.versions) {
      if (!v.regions.includes(region)) continue;
      out.push({
        imageId: marketplaceImageId(p.productCode, v.version, region),
        regionId: region,
        ownerAccount: MARKETPLACE_OWNER,
        name: `${p.name} ${v.version}`,
        status: 'Available',
        progressPct: 100,
        sizeGiB: v.sizeGiB,
        tags: [],
        isPublic: true,
        creationTime: new Date(Date.UTC(2024, 5, 1)),
        productCode: p.productCode,
        imageVersion: v.version,
      });
    }
  }
  return out;
}

/** Whether `imageId` is a marketplace image sold in `region` (anyone may run it there). */
export function isMarketplaceImageIn(imageId: string, region: string): boolean {
  return marketplaceImagesIn(region).some((i) => i.imageId === imageId);
}

/** The catalogue read directly, without a simulated call: for use-case tests with no cloud behind them. */
export function simulatorMarketplaceCatalog(): MarketplaceCatalog {
  return {
    async listings(productCode, productVersion) {
      const product = MARKETPLACE_CATALOGUE.find((p) => p.productCode === productCode);
      const version = product?.versions.find((v) => v.version === productVersion);
      return {
        listings: [...(version?.regions ?? [])].sort().map((region) => ({ region, imageId: marketplaceImageId(productCode, productVersion, region) })),
        versions: product ? product.versions.map((v) => v.version).sort() : [],
      };
    },
  };
}
