/**
 * A draft's source image, checked with the cloud before publish spends a version number on it
 * (SPEC §4): a mistyped or unfinished image is refused at once, instead of failing its ingest
 * minutes later as a numbered, Failed version. A draft itself may name an image not there yet
 * (one still being built, or a Compute Nest import's image still to be copied into the account).
 */
import { assertNever } from '../domain/assert-never.ts';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import type { VersionContent } from '../domain/package-rules.ts';
import type { Warning } from '../contract/schemas.ts';
import type { AppDeps } from './deps.ts';
import type { SourceImageVerdict } from './ports.ts';

/** What the cloud said of one content's source image. */
export interface SourceCheck {
  sourceRegion: string;
  imageId: string;
  verdict: SourceImageVerdict;
}

const FIELD = 'version.content.imageId';

/** Asks the cloud about a custom image; a marketplace image has no image of the owner's to look at. */
export async function inspectSourceImage(deps: AppDeps, owner: string, content: VersionContent): Promise<SourceCheck | undefined> {
  if (content.imageType !== 'custom') return undefined;
  const verdict = await deps.sourceImages.inspect(owner, content.sourceRegion, content.imageId);
  return { sourceRegion: content.sourceRegion, imageId: content.imageId, verdict };
}

/**
 * The refusal a verdict means, or undefined when the image may be used. `at: 'save'` words it
 * for a draft just saved (saving goes ahead: the image may still be on its way).
 */
export function sourceImageRefusal(check: SourceCheck | undefined, at: 'publish' | 'save' = 'publish'): ImagenestError | undefined {
  if (!check) return undefined;
  const { sourceRegion: region, imageId, verdict } = check;
  const then = at === 'publish' ? 'publish again (no version number was used)' : 'publish (the draft is saved; publish refuses until then)';
  switch (verdict.state) {
    case 'usable':
      return undefined;
    case 'notFound': {
      const message = `source image ${imageId} does not exist in ${region}, or is not an image of your own account (only your own image can be shared with the distribution account); correct the image ID or source region of the draft, then ${then}`;
      return new ImagenestError(ErrorCode.SOURCE_IMAGE_NOT_FOUND, message, {
        details: { region, imageId, cloudCode: verdict.cloud?.code ?? null, violations: [{ field: FIELD, rule: 'sourceImageExists', message }] },
        context: { region, resource: imageId },
      });
    }
    case 'notAvailable': {
      const message = `source image ${imageId} in ${region} is ${verdict.status}, not Available; wait until it is Available, then ${then}`;
      return new ImagenestError(ErrorCode.SOURCE_IMAGE_NOT_AVAILABLE, message, {
        details: { region, imageId, status: verdict.status, violations: [{ field: FIELD, rule: 'sourceImageAvailable', message }] },
        context: { region, resource: imageId },
      });
    }
    case 'unknown':
      return new ImagenestError(ErrorCode.CLOUD_UNAVAILABLE, `the cloud could not be asked about source image ${imageId} in ${region} (${verdict.cloud.code}: ${verdict.cloud.message}); ${at === 'publish' ? 'nothing was published, try again' : 'the draft is saved; publish asks again'}`, {
        details: { region, imageId, cloudCode: verdict.cloud.code },
        context: { region, resource: imageId },
        retryable: true,
      });
    default:
      return assertNever(verdict);
  }
}

/**
 * Inside the transaction: the content about to be published is the one the cloud was asked about
 * (the check runs before the transaction, so no row lock is held across a cloud call); a save
 * that changed the image in between answers CONFLICT, and trying again checks the new image.
 */
export function assertCheckedSource(content: VersionContent, check: SourceCheck | undefined): void {
  const same = content.imageType !== 'custom' ? check === undefined : check?.sourceRegion === content.sourceRegion && check.imageId === content.imageId;
  if (!same) {
    throw new ImagenestError(ErrorCode.CONFLICT, "the draft's source image changed while publishing; try again", { retryable: true });
  }
  const refusal = sourceImageRefusal(check);
  if (refusal) throw refusal;
}

/**
 * Saving a draft asks the cloud too (SPEC §4: the source image is checked when a draft is saved),
 * but only warns: a draft may name an image still being built or imported. The warnings ride on
 * the save's answer; the CLI prints them.
 */
export async function sourceImageWarnings(deps: AppDeps, owner: string, content: VersionContent): Promise<Warning[]> {
  const refusal = sourceImageRefusal(await inspectSourceImage(deps, owner, content), 'save');
  return refusal ? [{ code: refusal.code, field: FIELD, message: refusal.message }] : [];
}
