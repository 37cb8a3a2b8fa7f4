/**
 * Where a service can be deployed now, region by region, as the API itself decides: its template
 * resolved for the region (every placeholder's image there), or the refusal naming the package,
 * version and the region's state.
 */
import type { Api } from '../../api.ts';
import { ApiError } from '../../api.ts';

export type Deployability = { region: string; deployable: true } | { region: string; deployable: false; why: string };

type Refusal = { placeholder?: string; packageName?: string; packageId: string; version: number | 'draft'; state: string };

export function refusalText(refusals: Refusal[]): string {
  return refusals
    .map((r) => `${r.packageName ?? r.packageId} ${r.version === 'draft' ? 'draft' : `v${r.version}`} is ${r.state === 'Pending' || r.state === 'Copying' ? `still ${r.state.toLowerCase()}` : r.state === 'None' ? 'not distributed' : r.state} here`)
    .join('; ');
}

export async function deployability(api: Api, serviceId: string, regions: string[]): Promise<Deployability[]> {
  return Promise.all(
    regions.map(async (region): Promise<Deployability> => {
      try {
        await api.client.request('GET', `/v1/services/${encodeURIComponent(serviceId)}/template`, { query: { region } });
        return { region, deployable: true };
      } catch (err) {
        if (err instanceof ApiError && err.code === 'IMAGE_NOT_AVAILABLE_IN_REGION') {
          return { region, deployable: false, why: refusalText((err.details as { refusals: Refusal[] }).refusals) };
        }
        return { region, deployable: false, why: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}
