/**
 * The CloudProvider over Alibaba Cloud ECS, through the official SDK (`@alicloud/ecs20140526`).
 * One SDK client per (account, region): calls are made with the credentials of the account the
 * engine names — the platform's distribution account, or a supplier's account for its source
 * image. With `endpoint` set (e.g. an `imagenest emulator`), every call goes there.
 */
import {
  CloudError,
  ImageStatus,
  isImageStatus,
  MAX_DESCRIBE_IDS,
  shareRequestError,
  type CallAs,
  type CloudImage,
  type CloudProvider,
  type CloudRegion,
  type CopyImageRequest,
  type DescribeImagesRequest,
  type ImageRef,
  type ImageSharePermission,
  type SharePermissionRequest,
} from '../provider.ts';
import { $Ecs, type EcsSdk } from './sdk.ts';
import { SdkClients, type SdkCredentials } from './sdk-config.ts';

/** An account's access key, or the SDK's default credential chain (environment, profile, instance RAM role). */
export type AccountCredentials = SdkCredentials;

export interface AlibabaEcsOptions {
  /** The credentials to call as `account`; undefined: that account is not configured. */
  credentialsFor(account: string): AccountCredentials | undefined;
  /** `host:port` or a URL; when set, every region's calls go to it (an emulator, a proxy). */
  endpoint?: string | undefined;
  /** Region whose endpoint answers DescribeRegions. */
  homeRegion?: string;
  /** Milliseconds before a call is abandoned (it then counts as a transient failure). */
  timeoutMs?: number;
}

/** Every status a copy can be in: ECS's DescribeImages lists only Available images unless told. */
const ALL_STATUSES = Object.values(ImageStatus).join(',');
const PAGE_SIZE = 100;

const Ecs = $Ecs.default;
type EcsClient = InstanceType<typeof Ecs>;

export class AlibabaEcsProvider implements CloudProvider {
  readonly #sdk: SdkClients<EcsClient>;

  constructor(private readonly options: AlibabaEcsOptions) {
    this.#sdk = new SdkClients({ ...options, make: (config) => new Ecs(config) });
  }

  async describeRegions(req: CallAs): Promise<CloudRegion[]> {
    const res = await this.call(req.account, this.options.homeRegion ?? 'cn-hangzhou', 'DescribeRegions', (c) =>
      c.describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: 'en-US' })),
    );
    return (res.body?.regions?.region ?? []).map((r) => ({ regionId: r.regionId ?? '', localName: r.localName ?? r.regionId ?? '' }));
  }

  async describeImages(req: DescribeImagesRequest): Promise<CloudImage[]> {
    if (req.imageIds && req.imageIds.length > MAX_DESCRIBE_IDS) {
      throw new CloudError('permanent', 'InvalidParameter.ImageIds', `at most ${MAX_DESCRIBE_IDS} image IDs a call`, 'DescribeImages');
    }
    if (req.imageIds && req.imageIds.length === 0) return [];
    const images: CloudImage[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(req.account, req.regionId, 'DescribeImages', (c) =>
        c.describeImages(
          new $Ecs.DescribeImagesRequest({
            regionId: req.regionId,
            imageId: req.imageIds?.join(','),
            tag: req.tag ? [new $Ecs.DescribeImagesRequestTag({ key: req.tag.key, value: req.tag.value })] : undefined,
            imageOwnerAlias: req.ownerAlias,
            status: ALL_STATUSES,
            pageSize: PAGE_SIZE,
            pageNumber: page,
          }),
        ),
      );
      const batch = res.body?.images?.image ?? [];
      for (const img of batch) images.push(toCloudImage(img, req.regionId, req.account));
      const total = res.body?.totalCount ?? 0;
      if (batch.length < PAGE_SIZE || images.length >= total) return images;
    }
  }

  async copyImage(req: CopyImageRequest): Promise<{ imageId: string }> {
    const res = await this.call(req.account, req.sourceRegionId, 'CopyImage', (c) =>
      c.copyImage(
        new $Ecs.CopyImageRequest({
          regionId: req.sourceRegionId,
          imageId: req.imageId,
          destinationRegionId: req.destinationRegionId,
          destinationImageName: req.name,
          clientToken: req.clientToken,
          tag: req.tags.map((t) => new $Ecs.CopyImageRequestTag({ key: t.key, value: t.value })),
        }),
      ),
    );
    const imageId = res.body?.imageId;
    if (!imageId) throw new CloudError('transient', 'InvalidResponse', 'CopyImage answered without an ImageId', 'CopyImage', 502);
    return { imageId };
  }

  async cancelCopyImage(req: ImageRef): Promise<void> {
    await this.call(req.account, req.regionId, 'CancelCopyImage', (c) => c.cancelCopyImage(new $Ecs.CancelCopyImageRequest({ regionId: req.regionId, imageId: req.imageId })));
  }

  async deleteImage(req: ImageRef): Promise<void> {
    await this.call(req.account, req.regionId, 'DeleteImage', (c) => c.deleteImage(new $Ecs.DeleteImageRequest({ regionId: req.regionId, imageId: req.imageId })));
  }

  /** One call of 1–10 accounts (the port's rule, checked here: ECS would drop the accounts past the tenth without a word). */
  async modifyImageSharePermission(req: SharePermissionRequest): Promise<void> {
    const refused = shareRequestError(req);
    if (refused) throw refused;
    await this.call(req.account, req.regionId, 'ModifyImageSharePermission', (c) =>
      c.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: req.regionId,
          imageId: req.imageId,
          addAccount: req.addAccounts.length ? req.addAccounts : undefined,
          removeAccount: req.removeAccounts.length ? req.removeAccounts : undefined,
          isPublic: req.isPublic,
        }),
      ),
    );
  }

  /** Every page of the accounts; public is ECS's share group `all`. */
  async describeImageSharePermission(req: ImageRef): Promise<ImageSharePermission> {
    const accounts: string[] = [];
    let isPublic = false;
    for (let page = 1; ; page++) {
      const res = await this.call(req.account, req.regionId, 'DescribeImageSharePermission', (c) =>
        c.describeImageSharePermission(new $Ecs.DescribeImageSharePermissionRequest({ regionId: req.regionId, imageId: req.imageId, pageSize: PAGE_SIZE, pageNumber: page })),
      );
      const batch = res.body?.accounts?.account ?? [];
      for (const a of batch) if (a.aliyunId) accounts.push(a.aliyunId);
      if ((res.body?.shareGroups?.shareGroup ?? []).some((g) => g.group === 'all')) isPublic = true;
      if (batch.length < PAGE_SIZE || accounts.length >= (res.body?.totalCount ?? 0)) return { accounts: accounts.sort(), isPublic };
    }
  }

  private call<T>(account: string, region: string, action: string, fn: (client: EcsClient) => Promise<T>): Promise<T> {
    return this.#sdk.call(account, region, action, fn);
  }
}

function toCloudImage(img: EcsSdk.DescribeImagesResponseBodyImagesImage, regionId: string, caller: string): CloudImage {
  const status = img.status && isImageStatus(img.status) ? img.status : ImageStatus.UnAvailable;
  const pct = Number.parseInt(img.progress ?? '', 10);
  const alias = img.imageOwnerAlias;
  const owner = alias === 'self' ? caller : alias === 'system' || alias === 'marketplace' ? alias : img.imageOwnerId !== undefined ? String(img.imageOwnerId) : '';
  return {
    imageId: img.imageId ?? '',
    regionId,
    ownerAccount: owner,
    name: img.imageName ?? img.imageId ?? '',
    status,
    progressPct: Number.isFinite(pct) ? Math.max(0, Math.min(100, pct)) : status === 'Available' ? 100 : 0,
    sizeGiB: img.size ?? 0,
    tags: (img.tags?.tag ?? []).map((t) => ({ key: t.tagKey ?? '', value: t.tagValue ?? '' })),
    isPublic: img.isPublic ?? false,
    creationTime: img.creationTime ? new Date(img.creationTime) : new Date(0),
    ...(alias === 'marketplace' ? { productCode: img.productCode ?? '', imageVersion: img.imageVersion ?? '' } : {}),
  };
}
