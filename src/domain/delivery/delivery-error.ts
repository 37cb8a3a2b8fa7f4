/**
 * Why a delivery failed: one of our documented codes, plus what the cloud itself said (its own
 * code, which differs between clouds, and its message), so a reader knows what happened
 * without knowing the cloud's vocabulary, and support can still look the cloud's code up.
 */
import { assertNever } from '../assert-never.ts';

export const DeliveryErrorCode = {
  /** The image to copy does not exist in its region, or the distribution account cannot see it. */
  SOURCE_IMAGE_NOT_FOUND: 'SOURCE_IMAGE_NOT_FOUND',
  /** Bringing the source image into the distribution account failed, so no region could be copied. */
  INGEST_FAILED: 'INGEST_FAILED',
  /** The cloud accepted the copy, then reported it failed (ECS `CreateFailed`, `UnAvailable`, …). */
  COPY_FAILED: 'COPY_FAILED',
  /** A running copy disappeared from its region without the cloud reporting a failure. */
  COPY_LOST: 'COPY_LOST',
  /** The cloud refused the copy for a quota (images per region, snapshot capacity, …). */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** The cloud refused the request for another reason it considers final: see the cloud's code. */
  CLOUD_REJECTED: 'CLOUD_REJECTED',
  /** Throttling or transient errors outlasted the retry policy (never, with the default policy). */
  CLOUD_UNAVAILABLE: 'CLOUD_UNAVAILABLE',
} as const;
export type DeliveryErrorCode = (typeof DeliveryErrorCode)[keyof typeof DeliveryErrorCode];

export interface DeliveryError {
  code: DeliveryErrorCode;
  /** The cloud's own code (e.g. `InvalidImageId.NotFound`), or null when the cloud said nothing. */
  cloudCode: string | null;
  /** The cloud's message, or ours when the cloud said nothing. */
  message: string;
}

/** How a cloud call's failure is classified (the cloud port's error kinds). */
export type CloudFailureKind = 'throttled' | 'notFound' | 'quota' | 'transient' | 'permanent';

/** The delivery error for a CopyImage call the cloud refused for good. */
export function startRefused(kind: CloudFailureKind, cloudCode: string, message: string): DeliveryError {
  switch (kind) {
    case 'notFound':
      return { code: DeliveryErrorCode.SOURCE_IMAGE_NOT_FOUND, cloudCode, message };
    case 'quota':
      return { code: DeliveryErrorCode.QUOTA_EXCEEDED, cloudCode, message };
    case 'permanent':
      return { code: DeliveryErrorCode.CLOUD_REJECTED, cloudCode, message };
    case 'throttled':
    case 'transient':
      return { code: DeliveryErrorCode.CLOUD_UNAVAILABLE, cloudCode, message };
    default:
      return assertNever(kind);
  }
}

const CODES = new Set<string>(Object.values(DeliveryErrorCode));
export function isDeliveryErrorCode(s: string): s is DeliveryErrorCode {
  return CODES.has(s);
}
