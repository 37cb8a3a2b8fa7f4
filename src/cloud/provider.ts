/**
 * The CloudProvider port: the few ECS operations distribution needs, in the cloud's own
 * terms, with errors as typed kinds. Adapters: simulator/ (embedded), alibaba/ (official SDK).
 */

import type { CloudFailureKind } from '../domain/delivery/delivery-error.ts';

export const ImageStatus = {
  Creating: 'Creating',
  Waiting: 'Waiting',
  Available: 'Available',
  UnAvailable: 'UnAvailable',
  CreateFailed: 'CreateFailed',
  Deprecated: 'Deprecated',
} as const;
export type ImageStatus = (typeof ImageStatus)[keyof typeof ImageStatus];

const IMAGE_STATUSES = new Set<string>(Object.values(ImageStatus));
export function isImageStatus(s: string): s is ImageStatus {
  return IMAGE_STATUSES.has(s);
}

export interface CloudTag {
  key: string;
  value: string;
}

export interface CloudImage {
  imageId: string;
  regionId: string;
  ownerAccount: string;
  name: string;
  status: ImageStatus;
  /** 0–100 as the cloud reports it ("57%"). */
  progressPct: number;
  sizeGiB: number;
  tags: CloudTag[];
  isPublic: boolean;
  creationTime: Date;
  /** Marketplace images only: the product and its version (ECS `ProductCode`, `ImageVersion`). */
  productCode?: string;
  imageVersion?: string;
}

export interface CloudRegion {
  regionId: string;
  localName: string;
}

/** Who calls: every call is made with one cloud account's credentials. */
export interface CallAs {
  account: string;
}

export interface DescribeImagesRequest extends CallAs {
  regionId: string;
  /** At most 100 IDs a call. */
  imageIds?: string[];
  tag?: CloudTag;
  /** `marketplace`: only the marketplace images sold in the region (ECS `ImageOwnerAlias`). */
  ownerAlias?: 'marketplace';
}

export interface CopyImageRequest extends CallAs {
  sourceRegionId: string;
  imageId: string;
  destinationRegionId: string;
  /** Idempotency: the same token with the same request returns the first copy. ASCII, ≤64. */
  clientToken: string;
  name: string;
  tags: CloudTag[];
}

export interface ImageRef extends CallAs {
  regionId: string;
  imageId: string;
}

export interface SharePermissionRequest extends ImageRef {
  /** 1–10 accounts a call, together; none when the call only sets `isPublic`. */
  addAccounts: string[];
  removeAccounts: string[];
  /** ECS `IsPublic`: true shares the image with every account; undefined leaves it as it is. */
  isPublic?: boolean;
}

/** Whom an image is shared with, as DescribeImageSharePermission reports it (every page). */
export interface ImageSharePermission {
  accounts: string[];
  isPublic: boolean;
}

export interface CloudProvider {
  describeRegions(req: CallAs): Promise<CloudRegion[]>;
  describeImages(req: DescribeImagesRequest): Promise<CloudImage[]>;
  copyImage(req: CopyImageRequest): Promise<{ imageId: string }>;
  cancelCopyImage(req: ImageRef): Promise<void>;
  deleteImage(req: ImageRef): Promise<void>;
  modifyImageSharePermission(req: SharePermissionRequest): Promise<void>;
  describeImageSharePermission(req: ImageRef): Promise<ImageSharePermission>;
}

/** What kind of failure a cloud error is, which decides what distribution does with it. */
export const CloudErrorKind = {
  throttled: 'throttled',
  notFound: 'notFound',
  quota: 'quota',
  transient: 'transient',
  permanent: 'permanent',
} as const satisfies Record<CloudFailureKind, CloudFailureKind>;
export type CloudErrorKind = (typeof CloudErrorKind)[keyof typeof CloudErrorKind];

/**
 * A failed cloud call. `kind` is the closed classification every decision is taken on
 * (retry, fail, look elsewhere); `code` is the cloud's own code, kept for people and logs
 * (clouds have thousands, and they differ); `cause` is the SDK's or transport's error.
 */
export class CloudError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    /** The cloud's own code, e.g. `Throttling.User`. */
    readonly code: string,
    message: string,
    readonly action: string,
    readonly httpStatus = 400,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloudError';
  }
}

export const MAX_DESCRIBE_IDS = 100;
export const MAX_SHARE_ACCOUNTS = 10;

/**
 * ModifyImageSharePermission's rule: 1–10 accounts a call (added and removed together), or
 * `isPublic` alone. Checked before any call — ECS itself ignores the accounts past the tenth
 * without an error, so a longer list would quietly share with fewer than asked.
 */
export function shareRequestError(req: SharePermissionRequest): CloudError | null {
  const n = req.addAccounts.length + req.removeAccounts.length;
  if (n <= MAX_SHARE_ACCOUNTS && (n >= 1 || req.isPublic !== undefined)) return null;
  return new CloudError('permanent', 'InvalidParameter.AccountCount', `1–${MAX_SHARE_ACCOUNTS} accounts a call (or IsPublic alone); got ${n}`, 'ModifyImageSharePermission');
}
export const MAX_CLIENT_TOKEN = 64;
