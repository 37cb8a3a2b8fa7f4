/**
 * Whether an account may start an instance from an image in a region — ECS's own rule, the one
 * oracle of the simulator deployer and of RunInstances: a public system image, a marketplace
 * image sold in the region, or a custom image in that region that is Available and is the
 * account's own, shared with it, or public.
 */
import { imageAt, PUBLIC_IMAGES } from './sim-images.ts';
import { marketplaceImagesIn } from './marketplace.ts';
import type { SimImageRow } from './sim-schema.ts';
import { mayUseImage } from './sim-shares.ts';

export type ImageUse =
  | { ok: true; sizeGiB: number }
  | { ok: false; code: 'IMAGE_NOT_FOUND_IN_REGION' | 'IMAGE_NOT_SHARED'; message: string };

/** A public system image, or a marketplace image sold in the region: every account may use it. */
export function systemImage(imageId: string, region: string): { sizeGiB: number } | undefined {
  return PUBLIC_IMAGES.find((p) => p.imageId === imageId) ?? marketplaceImagesIn(region).find((i) => i.imageId === imageId);
}

/** `row`: the custom image of that ID in `region`, if there is one (deleted and cancelled ones included). */
export function imageUse(row: SimImageRow | undefined, imageId: string, region: string, account: string, nowMs: number): ImageUse {
  const system = systemImage(imageId, region);
  if (system) return { ok: true, sizeGiB: system.sizeGiB };
  if (!row || row.deleted || row.cancelled || imageAt(row, nowMs).status !== 'Available') {
    return { ok: false, code: 'IMAGE_NOT_FOUND_IN_REGION', message: `image ${imageId} does not exist in ${region}` };
  }
  if (mayUseImage(row, account)) return { ok: true, sizeGiB: row.size_gib };
  return { ok: false, code: 'IMAGE_NOT_SHARED', message: `image ${imageId} in ${region} is owned by ${row.account} and not shared with ${account}` };
}
