/**
 * The ECS HTTP API (version 2014-05-26), as the official SDK speaks it, served over a
 * CloudProvider — in `imagenest emulator`, the cloud simulator. Requests are `POST /` with the
 * parameters in the query string, the action in `x-acs-action`, and an ACS3-HMAC-SHA256
 * signature; an access key's ID names the account the request acts as. Answers and errors
 * have ECS's shapes (`{RequestId, …}`; `{RequestId, HostId, Code, Message, Recommend}`), and
 * ECS's defaults where they matter to a client: DescribeImages lists only `Available` images
 * unless `Status` says otherwise, 10 a page unless `PageSize` (≤ 100) says otherwise.
 *
 * Before any of that, the request is read the way the signature reads it: a repeated query
 * parameter is refused (the signature and the action would otherwise see different values), the
 * body is capped while it streams in, only the documented x-acs-date format is accepted, and a
 * signature nonce is accepted once within the date window (a replay is SignatureNonceUsed).
 *
 * The instance actions (RunInstances, DescribeInstances, DeleteInstances) and CreateImage are in
 * ecs-instances-api.ts.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { ImageStatus, isImageStatus, type CloudImage, type CloudProvider } from '../provider.ts';
import { bool, ecsTime, list, page, ParamError, required, tags } from './ecs-params.ts';
import { instanceActions, type CreateImageOutOfNothing, type EcsAction, type EcsInstancesBackend } from './ecs-instances-api.ts';
import { signedRpcHandler } from './rpc-envelope.ts';

export const ECS_API_VERSION = '2014-05-26';

export interface EcsEmulatorOptions {
  cloud: CloudProvider;
  /** Access key ID → secret; the ID is also the account the request acts as. */
  accessKeys: ReadonlyMap<string, string>;
  /** Serves RunInstances, DescribeInstances, DeleteInstances and CreateImage from an instance when given. */
  instances?: EcsInstancesBackend;
  /** Serves CreateImage with only `DiskDeviceMapping.1.Size`: a custom image of that size out of nothing (a liberty). */
  createImage?: CreateImageOutOfNothing;
  /** Wall-clock time for signature dates (requests are signed with real time). */
  nowMs?: () => number;
  host?: string;
}

/** ECS's ImageOwnerAlias of an image as `caller` sees it. */
function ownerAlias(img: CloudImage, caller: string): 'system' | 'self' | 'others' | 'marketplace' {
  if (img.ownerAccount === 'marketplace' || img.ownerAccount === 'system') return img.ownerAccount;
  return img.ownerAccount === caller ? 'self' : 'others';
}

function imageJson(img: CloudImage, caller: string) {
  return {
    ImageId: img.imageId,
    ImageName: img.name,
    Status: img.status,
    Progress: `${img.progressPct}%`,
    Size: img.sizeGiB,
    IsPublic: img.isPublic,
    ImageOwnerAlias: ownerAlias(img, caller),
    ...(img.productCode !== undefined ? { ProductCode: img.productCode, ImageVersion: img.imageVersion } : {}),
    CreationTime: ecsTime(img.creationTime),
    Tags: { Tag: img.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) },
  };
}

export function ecsEmulatorApi(options: EcsEmulatorOptions): Hono {
  const { cloud } = options;
  const hostId = options.host ?? 'ecs.emulator.imagenest';
  const app = new Hono();

  const actions: Record<string, EcsAction> = {
    ...instanceActions(options.instances, options.createImage),
    async DescribeRegions(_p, account) {
      const regions = await cloud.describeRegions({ account });
      return { Regions: { Region: regions.map((r) => ({ RegionId: r.regionId, LocalName: r.localName, RegionEndpoint: `ecs.${r.regionId}.aliyuncs.com`, Status: 'available' })) } };
    },
    async DescribeImages(p, account) {
      const regionId = required(p, 'RegionId');
      const ids = p.get('ImageId');
      const tagFilter = tags(p);
      const wanted = (p.get('Status') ?? 'Available').split(',').map((s) => s.trim());
      for (const s of wanted) if (!isImageStatus(s)) throw new ParamError('InvalidStatus.ValueNotSupported', `Status ${s} is not one of ${Object.values(ImageStatus).join(', ')}`);
      const alias = p.get('ImageOwnerAlias');
      if (alias !== null && !['system', 'self', 'others', 'marketplace'].includes(alias)) {
        throw new ParamError('InvalidImageOwnerAlias.ValueNotSupported', `ImageOwnerAlias ${alias} is not one of system, self, others, marketplace`);
      }
      const found = await cloud.describeImages({
        account,
        regionId,
        ...(alias === 'marketplace' ? { ownerAlias: 'marketplace' as const } : {}),
        imageIds: ids ? ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        tag: tagFilter[0],
      });
      // The port filters on one tag; further tags narrow here.
      const matching = found.filter(
        (img) =>
          wanted.includes(img.status) &&
          (alias === null || ownerAlias(img, account) === alias) &&
          tagFilter.every((t) => img.tags.some((x) => x.key === t.key && x.value === t.value)),
      );
      const { items, ...paging } = page(p, matching);
      return { RegionId: regionId, ...paging, Images: { Image: items.map((img) => imageJson(img, account)) } };
    },
    async CopyImage(p, account) {
      const res = await cloud.copyImage({
        account,
        sourceRegionId: required(p, 'RegionId'),
        imageId: required(p, 'ImageId'),
        destinationRegionId: required(p, 'DestinationRegionId'),
        clientToken: p.get('ClientToken') ?? randomUUID(),
        name: p.get('DestinationImageName') ?? '',
        tags: tags(p),
      });
      return { ImageId: res.imageId };
    },
    async CancelCopyImage(p, account) {
      await cloud.cancelCopyImage({ account, regionId: required(p, 'RegionId'), imageId: required(p, 'ImageId') });
      return {};
    },
    async DeleteImage(p, account) {
      await cloud.deleteImage({ account, regionId: required(p, 'RegionId'), imageId: required(p, 'ImageId') });
      return {};
    },
    async ModifyImageSharePermission(p, account) {
      await cloud.modifyImageSharePermission({
        account,
        regionId: required(p, 'RegionId'),
        imageId: required(p, 'ImageId'),
        addAccounts: list(p, 'AddAccount'),
        removeAccounts: list(p, 'RemoveAccount'),
        isPublic: bool(p, 'IsPublic'),
      });
      return {};
    },
    async DescribeImageSharePermission(p, account) {
      const regionId = required(p, 'RegionId');
      const imageId = required(p, 'ImageId');
      const shares = await cloud.describeImageSharePermission({ account, regionId, imageId });
      const { items, ...paging } = page(p, shares.accounts);
      return {
        RegionId: regionId,
        ImageId: imageId,
        ...paging,
        Accounts: { Account: items.map((a) => ({ AliyunId: a })) },
        // ECS names the everyone-group `all`.
        ShareGroups: { ShareGroup: shares.isPublic ? [{ Group: 'all' }] : [] },
      };
    },
  };

  app.all('/', signedRpcHandler({ version: ECS_API_VERSION, hostId, actions, accessKeys: options.accessKeys, ...(options.nowMs ? { nowMs: options.nowMs } : {}) }));
  return app;
}
