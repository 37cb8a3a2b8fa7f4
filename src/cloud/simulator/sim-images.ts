/** How the simulator's image rows look from outside: a CloudImage at an instant, or an admin's record. */
import { createHash } from 'node:crypto';
import { CloudError, MAX_CLIENT_TOKEN, type CloudImage } from '../provider.ts';
import type { SimImageRecord } from '../simulator-port.ts';
import { copyStatusAt } from './model.ts';
import { nextCounter } from './sim-meta.ts';
import type { SimImageRow, SimTrx } from './sim-schema.ts';
import { sharePermission } from './sim-shares.ts';

/** Public system images every region has. */
export const PUBLIC_IMAGES = [
  { imageId: 'centos_7_9_x64_20G_alibase_20240403.vhd', sizeGiB: 20 },
  { imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', sizeGiB: 20 },
  { imageId: 'ubuntu_22_04_x64_20G_alibase_20240130.vhd', sizeGiB: 20 },
  { imageId: 'win2022_21H2_x64_dtc_en-us_40G_alibase_20240415.vhd', sizeGiB: 40 },
] as const;

/**
 * The image as the cloud reports it at `nowMs`: its status follows from its planned times (a copy
 * queues, then copies; an image made from an instance is Creating until it is done; one made out
 * of nothing is Available from the start).
 */
export function imageAt(r: SimImageRow, nowMs: number): CloudImage {
  const { status, progressPct } = copyStatusAt({ startAtMs: r.start_at_ms, finishAtMs: r.finish_at_ms, failAtMs: r.fail_at_ms }, nowMs);
  return {
    imageId: r.image_id,
    regionId: r.region,
    ownerAccount: r.account,
    name: r.name,
    status,
    progressPct,
    sizeGiB: r.size_gib,
    tags: r.tags,
    isPublic: r.is_public,
    creationTime: new Date(r.requested_at_ms),
  };
}

/** An admin's view of any image, gone ones included (they report `Cancelled` or `Deleted`). */
export function imageRecord(r: SimImageRow, nowMs: number): SimImageRecord {
  const live = !r.deleted && !r.cancelled ? imageAt(r, nowMs) : undefined;
  const share = sharePermission(r);
  return {
    imageId: r.image_id,
    region: r.region,
    status: live?.status ?? (r.cancelled ? 'Cancelled' : 'Deleted'),
    progress: live?.progressPct ?? 0,
    sizeGiB: r.size_gib,
    tags: r.tags,
    deleted: !live,
    copiedFrom: r.source_image_id,
    sharedWith: share.accounts,
    isPublic: share.isPublic,
  };
}

export function publicImage(p: (typeof PUBLIC_IMAGES)[number], region: string): CloudImage {
  return {
    imageId: p.imageId,
    regionId: region,
    ownerAccount: 'system',
    name: p.imageId,
    status: 'Available',
    progressPct: 100,
    sizeGiB: p.sizeGiB,
    tags: [],
    isPublic: true,
    creationTime: new Date(Date.UTC(2024, 3, 3)),
  };
}

/** A new image ID: numbered in the simulator's shared counter, hashed with its seed. */
export async function newImageId(trx: SimTrx, seed: number | string): Promise<string> {
  const n = await nextCounter(trx, 'images');
  return `m-${createHash('sha256').update(`${seed}:image:${n}`).digest('hex').slice(0, 20)}`;
}

/** A ClientToken and the request it was given with (ECS's idempotency). */
export interface TokenUse {
  token: string;
  fingerprint: string;
}

const TOKEN = /^[\x20-\x7e]+$/;

/** Checks the token (1–64 ASCII characters) and fingerprints the request it comes with. */
export function clientTokenUse(token: string, request: readonly unknown[], action: string): TokenUse {
  if (!TOKEN.test(token) || token.length > MAX_CLIENT_TOKEN) {
    throw new CloudError('permanent', 'InvalidParameter.ClientToken', `ClientToken must be 1–${MAX_CLIENT_TOKEN} ASCII characters`, action);
  }
  return { token, fingerprint: createHash('sha256').update(JSON.stringify(request)).digest('hex') };
}

/** The image an earlier request with this token made; undefined for a new token; refused when the token came with another request. */
export async function imageMadeWith(trx: SimTrx, account: string, use: TokenUse, action: string): Promise<string | undefined> {
  const prior = await trx
    .selectFrom('images')
    .select(['image_id', 'request_fingerprint'])
    .where('account', '=', account)
    .where('client_token', '=', use.token)
    .executeTakeFirst();
  if (prior && prior.request_fingerprint !== use.fingerprint) {
    throw new CloudError('permanent', 'IdempotentParameterMismatch', 'the ClientToken was used for a different request', action);
  }
  return prior?.image_id;
}

export interface OwnedImage {
  account: string;
  regionId: string;
  sizeGiB: number;
  name?: string | undefined;
  /** When it is requested, and when it is Available (the same instant: at once). */
  atMs: number;
  readyAtMs: number;
  /** CreateImage's idempotency. */
  clientToken?: TokenUse | undefined;
}

/** Records a custom image the account made itself (not a copy); its ID. */
export async function insertOwnedImage(trx: SimTrx, seed: number | string, img: OwnedImage): Promise<string> {
  const id = await newImageId(trx, seed);
  await trx
    .insertInto('images')
    .values({
      image_id: id,
      account: img.account,
      region: img.regionId,
      name: img.name ?? id,
      size_gib: img.sizeGiB,
      client_token: img.clientToken?.token ?? null,
      request_fingerprint: img.clientToken?.fingerprint ?? null,
      requested_at_ms: img.atMs,
      start_at_ms: img.atMs,
      finish_at_ms: img.readyAtMs,
      end_at_ms: img.readyAtMs,
    })
    .execute();
  return id;
}
