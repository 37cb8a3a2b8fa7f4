/**
 * The wire contract shared by the API, the CLI and the console. These schemas check shape
 * (types, required members, no unknown members) and the hard bounds of `text.ts`; the field
 * rules of SPEC §3 live in the domain so every violation is reported together with its rule.
 */
import { z } from '@hono/zod-openapi';
import { DeliveryErrorCode } from '../domain/delivery/delivery-error.ts';
import { VersionState as VersionStates } from '../domain/version-state.ts';
import { API_ERROR_CODES, API_ERROR_MEANINGS, ErrorDetails } from './errors.ts';
import { LIMITS } from '../domain/package-rules.ts';
import { REGIONS } from '../domain/regions.ts';
import { list, text } from './text.ts';

const DeliveryErrorCodes = Object.values(DeliveryErrorCode) as [DeliveryErrorCode, ...DeliveryErrorCode[]];
/** The domain's closed union, so the wire enum cannot drift from the state machine. */
const VersionStateValues = Object.values(VersionStates) as [VersionStates, ...VersionStates[]];

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).openapi({
        example: 'VALIDATION_FAILED',
        description: `What went wrong, one of:\n${Object.entries(API_ERROR_MEANINGS)
          .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
          .join('\n')}`,
      }),
      message: z.string().openapi({ description: 'for people: what was wrong and what to do; wording may change, codes do not' }),
      details: ErrorDetails,
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An instant on the wire: ISO 8601 in UTC, e.g. 2026-12-02T06:32:13.000Z. */
export const Timestamp = z.iso.datetime().openapi({ example: '2026-12-02T06:32:13.000Z' });

export const Role = z.enum(['supplier', 'consumer', 'admin']);

export const Tag = z.object({ key: text(), value: text() }).strict().openapi('Tag');
const Tags = list(Tag, LIMITS.tags.max);
/** A region list names each catalogue region at most once, so it is never longer than the catalogue. */
const RegionList = list(text(), REGIONS.length);

export const ContentInput = z
  .object({
    imageType: z.enum(['custom', 'marketplace']).optional().openapi({ description: "default 'custom'" }),
    sourceRegion: text().optional().openapi({ example: 'cn-hangzhou' }),
    imageId: text().optional().openapi({ description: "custom image: 'm-…'", example: 'm-bp1example' }),
    productCode: text().optional().openapi({ description: 'marketplace image: product code' }),
    productVersion: text().optional().openapi({ description: 'marketplace image: product version' }),
    regions: RegionList.optional()
      .openapi({ description: 'distribution regions: at least one, canonical IDs, no duplicates', example: ['cn-hangzhou', 'ap-southeast-1'] }),
  })
  .strict()
  .openapi('VersionContentInput');

export const DraftInput = z
  .object({
    name: text().optional().openapi({ description: '3–50 characters: letters, digits, _' }),
    description: text().optional().openapi({ description: '10–500 characters' }),
    content: ContentInput.optional(),
  })
  .strict()
  .openapi('DraftInput');

export const CreatePackageRequest = z
  .object({
    name: text().openapi({ description: '3–128 characters: letters, digits, _; unique per account; immutable' }),
    description: text().openapi({ description: '10–500 characters' }),
    resourceGroup: text().optional(),
    tags: Tags.optional().openapi({ description: 'at most 20; keys unique, 1–128 characters, not starting with aliyun or acs:' }),
    type: z.enum(['EcsImage']).optional(),
    version: DraftInput,
  })
  .strict()
  .openapi('CreatePackageRequest');
export type CreatePackageRequest = z.infer<typeof CreatePackageRequest>;

export const UpdatePackageRequest = z
  .object({
    name: text().optional().openapi({ description: 'immutable: accepted only if unchanged' }),
    description: text().optional(),
    resourceGroup: text().nullable().optional(),
    tags: Tags.optional(),
  })
  .strict()
  .openapi('UpdatePackageRequest');

export const VersionContent = z
  .object({
    imageType: z.enum(['custom', 'marketplace']),
    sourceRegion: z.string(),
    imageId: z.string().optional(),
    productCode: z.string().optional(),
    productVersion: z.string().optional(),
    regions: z.array(z.string()),
  })
  .openapi('VersionContent');

export const VersionState = z.enum(VersionStateValues);
export const DeliveryState = z.enum(['Pending', 'Copying', 'Available', 'Failed', 'Cancelled']);

export const RegionDelivery = z.object({ region: z.string(), state: DeliveryState }).openapi('RegionDelivery');

export const Warning = z
  .object({
    code: z.string().openapi({ description: 'an error code of this API: what publishing would answer now' }),
    field: z.string(),
    message: z.string(),
  })
  .openapi('Warning');
export type Warning = z.infer<typeof Warning>;

export const Version = z
  .object({
    id: z.string(),
    version: z.union([z.literal('draft'), z.number().int()]).openapi({ description: '"draft" or the version number' }),
    name: z.string(),
    description: z.string().nullable(),
    state: VersionState,
    content: VersionContent,
    deliveries: z.array(RegionDelivery),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    publishedAt: Timestamp.nullable(),
    deleteRequestedAt: Timestamp.nullable().openapi({ description: 'set while a deletion removes the regional copies; the version is gone once they are' }),
    warnings: z
      .array(Warning)
      .optional()
      .openapi({ description: "on the answer to a save or create only: what the cloud said of the draft's source image when it was saved (the draft is saved anyway; publish checks again and refuses while it holds)" }),
  })
  .openapi('Version');
export type Version = z.infer<typeof Version>;

export const PackageStatus = z.enum(VersionStateValues);

const packageFields = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  resourceGroup: z.string().nullable(),
  tags: z.array(Tag),
  type: z.literal('EcsImage'),
  ownerId: z.string(),
  status: PackageStatus.openapi({ description: "the latest published version's state; Draft before the first publish" }),
  latestVersion: z.number().int().nullable(),
  hasDraft: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deleteRequestedAt: Timestamp.nullable().openapi({ description: 'set while a deletion removes regional copies; the package is gone once they are' }),
};

export const PackageSummary = z.object(packageFields).openapi('PackageSummary');
export type PackageSummary = z.infer<typeof PackageSummary>;

export const Package = z.object({ ...packageFields, versions: z.array(Version) }).openapi('Package');
export type Package = z.infer<typeof Package>;

export const PackageList = z
  .object({ items: z.array(PackageSummary), nextToken: z.string().nullable() })
  .openapi('PackageList');
export type PackageList = z.infer<typeof PackageList>;

export const DeleteResult = z
  .object({
    state: z.literal('Deleting'),
    regions: z.array(z.string()).openapi({ description: 'regions whose copies are being removed' }),
  })
  .openapi('DeleteResult');
export type DeleteResult = z.infer<typeof DeleteResult>;

export const PublishResult = z
  .object({ package: z.string(), packageId: z.string(), version: z.number().int(), versionId: z.string(), state: VersionState })
  .openapi('PublishResult');
export type PublishResult = z.infer<typeof PublishResult>;

export const CreateAccountRequest = z
  .object({ name: text().openapi({ description: '1–64 characters, no bidirectional controls' }), role: Role })
  .strict()
  .openapi('CreateAccountRequest');

export const Account = z
  .object({ id: z.string(), name: z.string(), role: Role, createdAt: Timestamp })
  .openapi('Account');
export type Account = z.infer<typeof Account>;

export const AccountWithToken = z
  .object({ ...Account.shape, token: z.string().openapi({ description: 'shown once; store it now' }) })
  .openapi('AccountWithToken');
export type AccountWithToken = z.infer<typeof AccountWithToken>;

export const Region = z
  .object({ id: z.string(), name: z.string(), country: z.string(), area: z.string(), continent: z.string() })
  .openapi('Region');
export type Region = z.infer<typeof Region>;

export const RegionStatus = z
  .object({
    region: z.string(),
    state: DeliveryState,
    progress: z.number().int().openapi({ description: "percent, 0–100: the cloud's latest reading, which the engine takes only now and then" }),
    estimatedProgress: z.number().min(0).max(100).openapi({
      description: "percent expected at asOf from the engine's copy estimate (the cloud's readings, else size and distance); below 100 until Available",
    }),
    expectedFinishAt: z.string().nullable().openapi({ format: 'date-time', description: 'when the engine expects this region Available; null once final' }),
    imageId: z.string().nullable().openapi({ description: 'the copy in this region; usable only when state is Available' }),
    sourceRegion: z.string().nullable().openapi({
      description: "the region this copy was started from: the source region (the ingest) or a region that already held the version (relay); null until started",
    }),
    sourceImageId: z.string().nullable().openapi({ description: 'the image this copy was started from; null until started' }),
    error: z
      .object({
        code: z.enum(DeliveryErrorCodes).openapi({ description: 'why the region failed, in Imagenest\'s terms (see docs)' }),
        cloudCode: z.string().nullable().openapi({ description: "the cloud's own code, e.g. InvalidImageId.NotFound" }),
        message: z.string().openapi({ description: "the cloud's message" }),
      })
      .nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .openapi('RegionStatus');
export type RegionStatus = z.infer<typeof RegionStatus>;

export const DeliveryEvent = z
  .object({ at: Timestamp, region: z.string().nullable(), type: z.string(), message: z.string() })
  .openapi('DeliveryEvent');
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

export const VersionStatus = z
  .object({
    package: z.string(),
    packageId: z.string(),
    version: z.union([z.literal('draft'), z.number().int()]),
    state: VersionState,
    asOf: Timestamp.openapi({ description: "the server's clock when this status was read (simulated time on the simulator): the base of every estimate in it" }),
    // A union, not RegionStatus.nullable().openapi(…): that would document the shared RegionStatus
    // component itself as nullable, and every region with it.
    ingest: z.union([RegionStatus, z.null()]).openapi({
      description: 'the first phase: the source image brought into the distribution account, in the source region; every region waits for it. null for a draft',
    }),
    regions: z.array(RegionStatus),
    events: z.array(DeliveryEvent),
  })
  .openapi('VersionStatus');
export type VersionStatus = z.infer<typeof VersionStatus>;

export const RegionImage = z
  .object({ imageId: z.string(), region: z.string(), version: z.union([z.literal('draft'), z.number().int()]) })
  .openapi('RegionImage');
export type RegionImage = z.infer<typeof RegionImage>;

export const RetryRequest = z.object({ region: text().optional() }).strict().openapi('RetryRequest');

export const SimImageRequest = z
  .object({
    region: text(),
    sizeGiB: z.number().int().min(1).max(2048).openapi({ description: 'whole GiB, 1–2048' }),
    name: text(LIMITS.packageName.max).optional(),
  })
  .strict()
  .openapi('SimImageRequest');
export const SimImage = z.object({ imageId: z.string(), region: z.string(), sizeGiB: z.number() }).openapi('SimImage');
export type SimImage = z.infer<typeof SimImage>;
