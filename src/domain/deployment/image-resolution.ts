/**
 * Which image a deployment in region R uses for each associated placeholder (SPEC §4, §7),
 * or why it may not: never a wrong image, never a copy the cloud has not confirmed.
 */
import { ErrorCode, ImagenestError } from '../errors.ts';
import type { VersionRef } from '../service/association.ts';
import type { DeliveryState } from '../version-state.ts';

/** A regional copy as the store knows it; only an Available one has an image to hand out. */
export type RegionFact =
  | { region: string; state: 'Available'; imageId: string }
  | { region: string; state: Exclude<DeliveryState, 'Available'> };

/**
 * The source image brought into the distribution account, in the source region. `released`:
 * distribution deleted it once no region needed it, so it can no longer serve that region.
 */
export type IngestFact = { state: 'Available'; imageId: string; released: boolean } | { state: Exclude<DeliveryState, 'Available'> };

/** What resolution needs to know of one package version (plain data from the store). */
export interface VersionFacts {
  packageId: string;
  packageName: string;
  version: VersionRef;
  sourceRegion: string;
  /** The supplier's own image in the source region; null for a marketplace image. */
  sourceImageId: string | null;
  /** Deletion of the version or of its package was asked: it serves nobody any more. */
  deleting: boolean;
  deliveries: readonly RegionFact[];
  ingest: IngestFact | null;
}

/** What was found instead of a usable image. */
export const UnavailableState = {
  Pending: 'Pending',
  Copying: 'Copying',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
  /** The region is not among the version's distribution regions. */
  NotDistributed: 'NotDistributed',
  Deleting: 'Deleting',
  /** A draft is never distributed: usable in its source region only. */
  DraftOnlyInSourceRegion: 'DraftOnlyInSourceRegion',
  /** A draft of a marketplace image has no image of the supplier's to test with. */
  NoSourceImage: 'NoSourceImage',
  /** The ingested image that served the source region was released. */
  Released: 'Released',
} as const;
export type UnavailableState = (typeof UnavailableState)[keyof typeof UnavailableState];

/** Where a usable image comes from. */
export type ImageOrigin = 'sourceImage' | 'ingest' | 'copy';

export interface Refusal {
  packageId: string;
  packageName: string;
  version: VersionRef;
  region: string;
  state: UnavailableState;
}

export type VersionImage = { ok: true; imageId: string; origin: ImageOrigin } | { ok: false; refusal: Refusal };

/** The image of one version in `region`, or the refusal naming what was found there. */
export function versionImage(facts: VersionFacts, region: string): VersionImage {
  const refuse = (state: UnavailableState): VersionImage => ({
    ok: false,
    refusal: { packageId: facts.packageId, packageName: facts.packageName, version: facts.version, region, state },
  });
  if (facts.deleting) return refuse('Deleting');
  if (facts.version === 'draft') {
    if (region !== facts.sourceRegion) return refuse('DraftOnlyInSourceRegion');
    return facts.sourceImageId === null ? refuse('NoSourceImage') : { ok: true, imageId: facts.sourceImageId, origin: 'sourceImage' };
  }
  const copy = facts.deliveries.find((d) => d.region === region);
  if (copy?.state === 'Available') return { ok: true, imageId: copy.imageId, origin: 'copy' };
  if (region === facts.sourceRegion && facts.ingest) {
    const ingest = facts.ingest;
    if (ingest.state === 'Available') return ingest.released ? refuse('Released') : { ok: true, imageId: ingest.imageId, origin: 'ingest' };
    // No copy here and the ingest is not done: report the ingest's progress.
    if (!copy) return refuse(ingest.state);
  }
  return refuse(copy ? copy.state : 'NotDistributed');
}

/** The regions where a version can be deployed now, sorted. */
export function usableRegions(facts: VersionFacts): string[] {
  const candidates = new Set([facts.sourceRegion, ...facts.deliveries.map((d) => d.region)]);
  return [...candidates].filter((r) => versionImage(facts, r).ok).sort();
}

/** One associated placeholder with its version's facts. */
export interface AssociatedVersion {
  placeholder: string;
  facts: VersionFacts;
}

export interface ResolvedImage {
  placeholder: string;
  packageId: string;
  version: VersionRef;
  imageId: string;
  origin: ImageOrigin;
}

export type PlaceholderRefusal = Refusal & { placeholder: string };

export type Resolution =
  | { ok: true; images: ResolvedImage[]; mapping: Record<string, string> }
  | { ok: false; refusals: PlaceholderRefusal[] };

/** Every associated placeholder's image in `region`, or every refusal (nothing is half resolved). */
export function resolveImages(associations: readonly AssociatedVersion[], region: string): Resolution {
  const images: ResolvedImage[] = [];
  const refusals: PlaceholderRefusal[] = [];
  for (const { placeholder, facts } of associations) {
    const r = versionImage(facts, region);
    if (r.ok) images.push({ placeholder, packageId: facts.packageId, version: facts.version, imageId: r.imageId, origin: r.origin });
    else refusals.push({ placeholder, ...r.refusal });
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, images, mapping: Object.fromEntries(images.map((i) => [i.placeholder, i.imageId])) };
}

/** A sentence naming package, version, region and what was found. */
export function describeRefusal(r: Refusal): string {
  const version = r.version === 'draft' ? 'the draft' : `version ${r.version}`;
  return `${version} of package ${r.packageName} (${r.packageId}) is not available in ${r.region}: ${r.state}`;
}

/** How each refusal state reads in a region's row; a state not known here reads as itself. */
const STATE_TEXT: Record<UnavailableState, string> = {
  NotDistributed: 'not distributed to this region',
  Pending: 'still waiting to be copied here',
  Copying: 'still being copied here',
  Failed: 'failed to copy here',
  Cancelled: 'cancelled here',
  Deleting: 'being deleted',
  DraftOnlyInSourceRegion: 'a draft, usable only in its source region',
  NoSourceImage: 'a marketplace draft without an image to test with',
  Released: 'released from this region',
};

/**
 * A refusal as a phrase for the row of its region (`web_app v1 is still being copied here`): the
 * console's region picker and `imagenest service regions`. Takes the API's shape, whose
 * packageName and state may be ones this build does not know.
 */
export function refusalPhrase(r: { packageId: string; packageName?: string | undefined; version: VersionRef; state: string }): string {
  return `${r.packageName ?? r.packageId} ${r.version === 'draft' ? 'draft' : `v${r.version}`} is ${STATE_TEXT[r.state as UnavailableState] ?? `${r.state} here`}`;
}

/** The deployment refusal: IMAGE_NOT_AVAILABLE_IN_REGION, every refusal in `details.refusals`. */
export function imageNotAvailableError(refusals: readonly Refusal[]): ImagenestError {
  const first = refusals[0];
  if (!first) throw new Error('imageNotAvailableError needs at least one refusal');
  const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more in details.refusals)` : '';
  return new ImagenestError(ErrorCode.IMAGE_NOT_AVAILABLE_IN_REGION, `${describeRefusal(first)}${more}; nothing was deployed`, {
    details: { refusals },
    context: { packageId: first.packageId, version: String(first.version), region: first.region },
  });
}
