/**
 * What to do next, for the codes where a command helps: printed under a human error message.
 * A refusal that asking again cannot cure never points at 'retry'.
 */
import type { ErrorCode } from '../domain/errors.ts';

const HINTS: Partial<Record<ErrorCode, string>> = {
  SOURCE_IMAGE_NOT_FOUND:
    "point the draft at your own image in its source region ('imagenest package save PACKAGE --image-id m-… --source-region REGION'), then publish; no version number was used",
  SOURCE_IMAGE_NOT_AVAILABLE: "publish once the image is Available in its region; no version number was used",
  CLOUD_UNAVAILABLE: 'nothing was changed: run the same command again in a moment',
};

export function hintFor(code: string): string | undefined {
  return HINTS[code as ErrorCode];
}
