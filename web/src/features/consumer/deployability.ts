/**
 * Where a service can be deployed now, region by region, as the API itself decides
 * (GET /v1/services/{service}/regions), each refusal told in words.
 */
import type { RegionDeployability } from '../../../../src/contract/instances.ts';
import type { UnavailableState } from '../../../../src/domain/deployment/image-resolution.ts';
import type { Api } from '../../api.ts';

export type Deployability = { region: string; deployable: true } | { region: string; deployable: false; why: string };
type Refusal = RegionDeployability['items'][number]['refusals'][number];

/** How each refusal state reads; one the console does not know yet is shown as is. */
const STATE_TEXT: Record<UnavailableState, string> = {
  NotDistributed: 'not distributed to this region',
  Pending: 'still waiting to be copied here',
  Copying: 'still being copied here',
  Failed: 'failed to copy here',
  Cancelled: 'cancelled here',
  Deleting: 'being deleted',
  DraftOnlyInSourceRegion: 'a draft, usable only in its source region',
  NoSourceImage: 'a marketplace draft without an image to test with',
  Released: 'released from this region',
};

export function refusalText(refusals: readonly Refusal[]): string {
  return refusals
    .map((r) => `${r.packageName ?? r.packageId} ${r.version === 'draft' ? 'draft' : `v${r.version}`} is ${STATE_TEXT[r.state as UnavailableState] ?? `${r.state} here`}`)
    .join('; ');
}

export async function deployability(api: Api, serviceId: string): Promise<Map<string, Deployability>> {
  const r = await api.client.request<RegionDeployability>('GET', `/v1/services/${encodeURIComponent(serviceId)}/regions`);
  return new Map(r.items.map((i) => [i.region, i.deployable ? { region: i.region, deployable: true } : { region: i.region, deployable: false, why: refusalText(i.refusals) }]));
}
