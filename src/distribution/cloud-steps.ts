/**
 * The engine's calls to the cloud, each safe to repeat after a crash: CopyImage carries a
 * ClientToken derived from the delivery and a tag naming it, so a start whose answer was lost is
 * found again by its tag instead of being started twice. Nothing here touches the database.
 */
import { createHash } from 'node:crypto';
import { CloudError, MAX_DESCRIBE_IDS, type CloudImage, type CloudProvider, type ImageRef } from '../cloud/provider.ts';
import type { DeliveryRow } from '../store/schema.ts';

export const DELIVERY_TAG = 'imagenest:delivery';
const TOKEN_TAG = 'imagenest:token';
const VERSION_TAG = 'imagenest:version';

/** The cloud and the platform account that holds every distributed copy. */
export interface CloudSide {
  cloud: CloudProvider;
  account: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CloudError };

/** Runs one call; any failure comes back as a CloudError, never as a throw. */
export async function attempt<T>(fn: () => Promise<T>, action: string): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof CloudError) return { ok: false, error: err };
    // A network failure or anything unexpected from an adapter: worth another try later.
    return { ok: false, error: new CloudError('transient', 'NetworkError', String((err as Error)?.message ?? err), action, 0) };
  }
}

/** What names one copy attempt: the delivery, its generation and the image it copies from. */
export type AttemptKey = Pick<DeliveryRow, 'id' | 'version_id' | 'kind' | 'region' | 'generation' | 'copy_source_region' | 'copy_source_image_id'>;

/**
 * The ClientToken of one copy attempt: ASCII, 43 characters, the same for every retry of it
 * from the same source. A row recorded before sources were (no source) keeps its old token.
 */
export function clientToken(d: Omit<AttemptKey, 'id'>): string {
  const source = d.copy_source_region === null ? '' : `|${d.copy_source_region}|${d.copy_source_image_id}`;
  const h = createHash('sha256').update(`${d.version_id}|${d.kind}|${d.region}|${d.generation}${source}`).digest('hex');
  return `in-${h.slice(0, 40)}`;
}

/** Describes the given images, by the hundred; the images seen and the errors of the calls that failed, in call order. */
export async function describeMany(c: CloudSide, region: string, imageIds: readonly string[]): Promise<{ seen: Map<string, CloudImage>; errors: CloudError[] }> {
  const seen = new Map<string, CloudImage>();
  const errors: CloudError[] = [];
  for (let i = 0; i < imageIds.length; i += MAX_DESCRIBE_IDS) {
    const ids = imageIds.slice(i, i + MAX_DESCRIBE_IDS);
    const res = await attempt(() => c.cloud.describeImages({ account: c.account, regionId: region, imageIds: ids }), 'DescribeImages');
    if (!res.ok) errors.push(res.error);
    else for (const img of res.value) seen.set(img.imageId, img);
  }
  return { seen, errors };
}

/** After a crash between recording a start and recording its image: the copy this attempt started, if the cloud has it. */
export async function findByTag(c: CloudSide, d: AttemptKey): Promise<Outcome<CloudImage | undefined>> {
  const found = await attempt(() => c.cloud.describeImages({ account: c.account, regionId: d.region, tag: { key: DELIVERY_TAG, value: d.id } }), 'DescribeImages');
  if (!found.ok) return found;
  const token = clientToken(d);
  return { ok: true, value: found.value.find((img) => img.tags.some((t) => t.key === TOKEN_TAG && t.value === token)) };
}

/** A source image as the owner's account sees it: usable only when it is its own and Available. */
export type SourceState = { state: 'usable'; image: CloudImage } | { state: 'notFound' } | { state: 'notAvailable'; image: CloudImage };

/**
 * The supplier's source image. The owner shares it with the distribution account at ingest, so an
 * image merely shared with the owner (or public) is as good as missing: the owner cannot share it on.
 */
export async function inspectSource(cloud: CloudProvider, owner: string, region: string, imageId: string): Promise<Outcome<SourceState>> {
  const src = await attempt(() => cloud.describeImages({ account: owner, regionId: region, imageIds: [imageId] }), 'DescribeImages');
  if (!src.ok) return src;
  const image = src.value.find((i) => i.imageId === imageId && i.ownerAccount === owner);
  if (!image) return { ok: true, value: { state: 'notFound' } };
  return { ok: true, value: image.status === 'Available' ? { state: 'usable', image } : { state: 'notAvailable', image } };
}

/** The supplier's source image, which an ingest copies: it must be the owner's own, and Available. */
export async function checkSource(cloud: CloudProvider, owner: string, region: string, imageId: string): Promise<Outcome<CloudImage>> {
  const src = await inspectSource(cloud, owner, region, imageId);
  if (!src.ok) return src;
  const s = src.value;
  if (s.state === 'usable') return { ok: true, value: s.image };
  const code = s.state === 'notAvailable' ? 'IncorrectImageStatus' : 'InvalidImageId.NotFound';
  const message = s.state === 'notAvailable'
    ? `the source image ${imageId} in ${region} is ${s.image.status}, not Available`
    : `the source image ${imageId} does not exist in ${region} or is not owned by the package's account`;
  return { ok: false, error: new CloudError('notFound', code, message, 'DescribeImages', 404) };
}

/** Shares the supplier's source image with the distribution account, so that it can copy it. */
export function shareSource(c: CloudSide, owner: string, region: string, imageId: string): Promise<Outcome<void>> {
  return attempt(
    () => c.cloud.modifyImageSharePermission({ account: owner, regionId: region, imageId, addAccounts: [c.account], removeAccounts: [] }),
    'ModifyImageSharePermission',
  );
}

/** Starts one copy into the delivery's region, idempotently (ClientToken) and findable (tags). */
export async function copyImage(
  c: CloudSide,
  d: AttemptKey,
  source: { region: string; imageId: string },
  name: string,
): Promise<Outcome<{ imageId: string }>> {
  const token = clientToken(d);
  return attempt(
    () =>
      c.cloud.copyImage({
        account: c.account,
        sourceRegionId: source.region,
        imageId: source.imageId,
        destinationRegionId: d.region,
        clientToken: token,
        name: name.slice(0, 128),
        tags: [
          { key: DELIVERY_TAG, value: d.id },
          { key: TOKEN_TAG, value: token },
          { key: VERSION_TAG, value: d.version_id },
        ],
      }),
    'CopyImage',
  );
}

/** Deletes one image of the distribution account; true when it is gone (already gone counts). */
export async function deleteImage(c: CloudSide, region: string, imageId: string): Promise<boolean> {
  const res = await attempt(() => c.cloud.deleteImage({ account: c.account, regionId: region, imageId }), 'DeleteImage');
  return res.ok || res.error.kind === 'notFound';
}

/** Stops a running copy, or deletes it once finished; true when it is gone. */
export async function cancelOrDelete(c: CloudSide, region: string, imageId: string): Promise<boolean> {
  const ref: ImageRef = { account: c.account, regionId: region, imageId };
  let res: Outcome<void> = await attempt(() => c.cloud.cancelCopyImage(ref), 'CancelCopyImage');
  if (!res.ok && res.error.code === 'IncorrectImageStatus') res = await attempt(() => c.cloud.deleteImage(ref), 'DeleteImage');
  return res.ok || res.error.kind === 'notFound';
}
