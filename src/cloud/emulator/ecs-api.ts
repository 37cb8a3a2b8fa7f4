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
import { Hono, type Context } from 'hono';
import { CloudError, ImageStatus, isImageStatus, type CloudImage, type CloudProvider } from '../provider.ts';
import { checkAcs3Signature, MAX_CLOCK_SKEW_MS } from './acs3-signature.ts';
import { bool, ecsTime, list, page, ParamError, required, tags } from './ecs-params.ts';
import { instanceActions, type CreateImageOutOfNothing, type EcsAction, type EcsInstancesBackend } from './ecs-instances-api.ts';
import { NonceRegister } from './nonce-register.ts';
import { MAX_BODY_BYTES, readBoundedBody, readQuery } from './request-limits.ts';

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
  const now = options.nowMs ?? Date.now;
  const hostId = options.host ?? 'ecs.emulator.imagenest';
  const app = new Hono();

  const fail = (c: Context, requestId: string, status: number, code: string, message: string) =>
    c.json({ RequestId: requestId, HostId: hostId, Code: code, Message: message, Recommend: '' }, status as 400);

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

  const nonces = new NonceRegister();

  app.all('/', async (c) => {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(c.req.url);
    const query = readQuery(url.search);
    if (!query.ok) return fail(c, requestId, 400, 'InvalidParameter', `the parameter ${JSON.stringify(query.name.slice(0, 128))} appears more than once; give each parameter once`);
    const read = await readBoundedBody(c.req.raw);
    if (!read.ok) {
      // The rest of the body is not wanted: closing the connection saves reading it.
      c.header('connection', 'close');
      return fail(c, requestId, 413, 'RequestBodyTooLarge', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    const nowMs = now();
    const check = checkAcs3Signature(
      { method: c.req.method, path: url.pathname, query: query.query, headers, body: read.body },
      (id) => options.accessKeys.get(id),
      nowMs,
    );
    if (!check.ok) return fail(c, requestId, check.status, check.code, check.message);
    if (!nonces.claim(check.accessKeyId, check.nonce, check.dateMs + MAX_CLOCK_SKEW_MS, nowMs)) {
      return fail(c, requestId, 400, 'SignatureNonceUsed', 'the x-acs-signature-nonce of this request was used already; sign every request with a new nonce');
    }
    // The action reads exactly the parameters the signature covered.
    const params = new URLSearchParams(query.query);
    const action = headers['x-acs-action'] ?? '';
    if (headers['x-acs-version'] !== ECS_API_VERSION) {
      return fail(c, requestId, 400, 'InvalidVersion', `this endpoint serves ECS API version ${ECS_API_VERSION}, not ${headers['x-acs-version']}`);
    }
    const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!handler) return fail(c, requestId, 404, 'InvalidAction.NotFound', `the action ${action || '(none)'} is not served here; served: ${Object.keys(actions).join(', ')}`);
    try {
      return c.json({ RequestId: requestId, ...(await handler(params, check.accessKeyId)) });
    } catch (err) {
      if (err instanceof ParamError) return fail(c, requestId, 400, err.code, err.message);
      if (err instanceof CloudError) return fail(c, requestId, err.httpStatus, err.code, err.message);
      return fail(c, requestId, 500, 'InternalError', 'The request processing has failed due to some unknown error.');
    }
  });
  return app;
}
