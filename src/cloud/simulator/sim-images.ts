/** How the simulator's image rows look from outside: a CloudImage at an instant, or an admin's record. */
import type { CloudImage } from '../provider.ts';
import type { SimImageRecord } from '../simulator-port.ts';
import { copyStatusAt } from './model.ts';
import type { SimImageRow } from './sim-schema.ts';
import { sharePermission } from './sim-shares.ts';

/** Public system images every region has. */
export const PUBLIC_IMAGES = [
  { imageId: 'centos_7_9_x64_20G_alibase_20240403.vhd', sizeGiB: 20 },
  { imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', sizeGiB: 20 },
  { imageId: 'ubuntu_22_04_x64_20G_alibase_20240130.vhd', sizeGiB: 20 },
  { imageId: 'win2022_21H2_x64_dtc_en-us_40G_alibase_20240415.vhd', sizeGiB: 40 },
] as const;

/** The image as the cloud reports it at `nowMs`: a copy's status follows from its planned times. */
export function imageAt(r: SimImageRow, nowMs: number): CloudImage {
  const { status, progressPct } =
    r.source_image_id === null
      ? { status: 'Available' as const, progressPct: 100 }
      : copyStatusAt({ startAtMs: r.start_at_ms, finishAtMs: r.finish_at_ms, failAtMs: r.fail_at_ms }, nowMs);
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
