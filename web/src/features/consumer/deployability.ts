/**
 * Where a service can be deployed now, region by region, as the API itself decides
 * (GET /v1/services/{service}/regions), each refusal told in words.
 */
import type { RegionDeployability } from '../../../../src/contract/instances.ts';
import { refusalPhrase } from '../../../../src/domain/deployment/image-resolution.ts';
import type { Api } from '../../api.ts';

export type Deployability = { region: string; deployable: true } | { region: string; deployable: false; why: string };
type Refusal = RegionDeployability['items'][number]['refusals'][number];

export function refusalText(refusals: readonly Refusal[]): string {
  return refusals.map(refusalPhrase).join('; ');
}

export async function deployability(api: Api, serviceId: string): Promise<Map<string, Deployability>> {
  const r = await api.client.request<RegionDeployability>('GET', `/v1/services/${encodeURIComponent(serviceId)}/regions`);
  return new Map(r.items.map((i) => [i.region, i.deployable ? { region: i.region, deployable: true } : { region: i.region, deployable: false, why: refusalText(i.refusals) }]));
}
