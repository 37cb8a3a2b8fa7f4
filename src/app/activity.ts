/**
 * What changed for one caller, by area, for the console's live updates. Packages and instances
 * are stamped from the caller's own rows; services from the caller's own listing (its services
 * and the Online ones visible to it), so the stream reveals no more than the API's lists do.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../domain/account.ts';
import { ownerStamps } from '../store/activity-repo.ts';
import type { AppDeps } from './deps.ts';
import { listServices } from './services.ts';

export const AREAS = ['packages', 'services', 'instances'] as const;
export type Area = (typeof AREAS)[number];
export type ActivityStamps = Record<Area, string>;

/** Services a listing stamp covers: the first page, as the console's lists show it. */
const SERVICE_PAGE = 100;

export async function activityStamps(deps: AppDeps, caller: Caller): Promise<ActivityStamps> {
  const [own, services] = await Promise.all([ownerStamps(deps.db, caller.accountId), listServices(deps, caller, { limit: SERVICE_PAGE })]);
  const digest = createHash('sha256');
  for (const s of services.items) digest.update(`${s.id}:${s.state}:${s.onlineRevision}:${s.draftRevision}:${s.visibility}:${s.updatedAt}\n`);
  return { packages: own.packages, instances: own.instances, services: digest.digest('hex') };
}

/** The areas whose stamp differs between two readings. */
export function changedAreas(before: ActivityStamps, after: ActivityStamps): Area[] {
  return AREAS.filter((a) => before[a] !== after[a]);
}
