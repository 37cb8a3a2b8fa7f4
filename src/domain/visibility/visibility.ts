/**
 * A package's audience, inherited from the services associated with it (SPEC §6), as a
 * pure function. Only `Online` services grant anything to consumers; the owner always sees.
 */
import { assertNever } from '../assert-never.ts';
import type { ReviewState } from '../service/review-state.ts';
import type { ServiceVisibility } from '../service/service-rules.ts';

/** What visibility needs to know of one service associated with the package. */
export interface AssociatedService {
  ownerId: string;
  visibility: ServiceVisibility;
  /** The whitelist's account IDs; ignored unless visibility is `whitelist`. */
  accounts: readonly string[];
  /** The service's displayed state (serviceState of its revisions). */
  state: ReviewState;
}

/** Which row of SPEC §6 decided, in its order of precedence. */
export const AudienceRule = {
  noService: 'noService',
  /** Services are associated but none is Online (Draft, in review, Offline): none grants anything yet. */
  noOnlineService: 'noOnlineService',
  publicService: 'publicService',
  whitelist: 'whitelist',
  allPrivate: 'allPrivate',
} as const;
export type AudienceRule = (typeof AudienceRule)[keyof typeof AudienceRule];

export const PackageVisibility = { private: 'private', public: 'public', whitelist: 'whitelist' } as const;
export type PackageVisibility = (typeof PackageVisibility)[keyof typeof PackageVisibility];

export interface Audience {
  visibility: PackageVisibility;
  rule: AudienceRule;
  /**
   * Accounts granted by name, sorted: the owner, for `whitelist` the union of the Online
   * whitelists. A public package grants everyone; its list still names the owner.
   */
  accounts: string[];
}

/**
 * The package's audience. `services`: every service that associates the package, in any
 * state. A service associates it through its Online revision (what consumers deploy); a
 * service with no Online revision through its latest one, which grants nothing anyway.
 * So a new draft revision's associations change no one's access until it is published.
 */
export function packageAudience(ownerId: string, services: readonly AssociatedService[]): Audience {
  const online = services.filter((s) => s.state === 'Online');
  const owner = [ownerId];
  if (services.length === 0) return { visibility: 'private', rule: 'noService', accounts: owner };
  if (online.length === 0) return { visibility: 'private', rule: 'noOnlineService', accounts: owner };
  if (online.some((s) => s.visibility === 'public')) return { visibility: 'public', rule: 'publicService', accounts: owner };
  const whitelisted = online.filter((s) => s.visibility === 'whitelist');
  if (whitelisted.length > 0) {
    const accounts = new Set([ownerId, ...whitelisted.flatMap((s) => s.accounts)]);
    return { visibility: 'whitelist', rule: 'whitelist', accounts: [...accounts].sort() };
  }
  return { visibility: 'private', rule: 'allPrivate', accounts: owner };
}

/** Whether `accountId` may use the package under `audience`. */
export function mayUse(audience: Audience, accountId: string): boolean {
  return audience.visibility === 'public' || audience.accounts.includes(accountId);
}

/** A consumer's view of one service: visible only while Online, to its audience. */
export function serviceVisibleTo(service: AssociatedService, accountId: string): boolean {
  if (service.ownerId === accountId) return true;
  if (service.state !== 'Online') return false;
  switch (service.visibility) {
    case 'public':
      return true;
    case 'whitelist':
      return service.accounts.includes(accountId);
    case 'private':
      return false;
    default:
      return assertNever(service.visibility);
  }
}
