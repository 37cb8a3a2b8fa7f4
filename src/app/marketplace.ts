/**
 * Marketplace versions (SPEC §3, image type `marketplace`): a version made from a marketplace
 * product is checked against the cloud's catalogue when saved — the product version exists and
 * is sold in the source region and every selected region — and on publish is mapped region by
 * region to the product's own image there, with no copy.
 */
import { ErrorCode, ImagenestError, validationError, type Violation } from '../domain/errors.ts';
import type { VersionContent } from '../domain/package-rules.ts';
import type { MarketplaceCatalog, MarketplaceListing } from './ports.ts';

type MarketplaceContent = Extract<VersionContent, { imageType: 'marketplace' }>;

/** The regions a marketplace content asks for: its source region, then its distribution regions. */
function askedRegions(c: MarketplaceContent): string[] {
  return [...new Set([c.sourceRegion, ...c.regions])];
}

/** The violations of a marketplace content against the catalogue's listings (pure). */
export function marketplaceViolations(c: MarketplaceContent, found: { listings: MarketplaceListing[]; versions: string[] }, field = 'version.content'): Violation[] {
  if (found.listings.length === 0) {
    const known = found.versions.length ? `its versions on sale are ${found.versions.join(', ')}` : `no product ${c.productCode} is sold in the marketplace`;
    return [{ field: `${field}.productVersion`, rule: 'marketplace', message: `marketplace product ${c.productCode} version ${c.productVersion} is not sold in any region; ${known}`, allowed: found.versions }];
  }
  const sold = new Set(found.listings.map((l) => l.region));
  const soldList = [...sold].sort().join(', ');
  const out: Violation[] = [];
  if (!sold.has(c.sourceRegion)) {
    out.push({ field: `${field}.sourceRegion`, rule: 'marketplace', message: `${c.productCode} ${c.productVersion} is not sold in ${c.sourceRegion}; it is sold in ${soldList}`, allowed: [...sold].sort() });
  }
  const missing = c.regions.filter((r) => !sold.has(r));
  if (missing.length > 0) {
    out.push({ field: `${field}.regions`, rule: 'marketplace', message: `${c.productCode} ${c.productVersion} is not sold in ${missing.join(', ')}; it is sold in ${soldList}`, allowed: [...sold].sort() });
  }
  return out;
}

async function lookUp(catalog: MarketplaceCatalog, c: MarketplaceContent) {
  try {
    return await catalog.listings(c.productCode, c.productVersion);
  } catch (err) {
    throw new ImagenestError(ErrorCode.CONFLICT, `could not read the marketplace catalogue (${err instanceof Error ? err.message : String(err)}); try again`, { retryable: true });
  }
}

/** Refuses a marketplace content the catalogue does not sell where it asks (VALIDATION_FAILED); custom content passes. */
export async function assertSoldWhereAsked(catalog: MarketplaceCatalog, content: VersionContent, field = 'version.content'): Promise<void> {
  if (content.imageType !== 'marketplace') return;
  const violations = marketplaceViolations(content, await lookUp(catalog, content), field);
  if (violations.length > 0) throw validationError(violations);
}

/**
 * The image of a marketplace content in each region it asks for, read before publishing locks
 * it (a content the catalogue no longer sells there is refused, and no version number is spent).
 */
export async function marketplaceImages(catalog: MarketplaceCatalog, content: MarketplaceContent): Promise<MarketplaceListing[]> {
  const found = await lookUp(catalog, content);
  const violations = marketplaceViolations(content, found);
  if (violations.length > 0) throw validationError(violations);
  const byRegion = new Map(found.listings.map((l) => [l.region, l.imageId]));
  return askedRegions(content).map((region) => ({ region, imageId: byRegion.get(region)! }));
}
