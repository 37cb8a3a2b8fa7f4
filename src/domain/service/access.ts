/**
 * Who may do what with a service (issue 10): one pure table. A service the caller may not
 * see answers exactly like a missing one (NOT_FOUND); one it sees but may not act on, FORBIDDEN.
 */
import type { Role } from '../account.ts';
import { ErrorCode, ImagenestError } from '../errors.ts';

export const ServiceAction = {
  view: 'view',
  events: 'events',
  editTemplate: 'editTemplate',
  setVisibility: 'setVisibility',
  associate: 'associate',
  submit: 'submit',
  approve: 'approve',
  reject: 'reject',
  publish: 'publish',
  offline: 'offline',
  test: 'test',
  deploy: 'deploy',
} as const;
export type ServiceAction = (typeof ServiceAction)[keyof typeof ServiceAction];

/** The caller's relation to one service. */
export type ServiceRelation = 'owner' | 'admin' | 'other';

export function relationTo(caller: { accountId: string; role: Role }, ownerId: string): ServiceRelation {
  if (caller.accountId === ownerId) return 'owner';
  return caller.role === 'admin' ? 'admin' : 'other';
}

type Decision = 'allow' | 'forbidden';

/** What each relation may do with a service it can see. */
const TABLE: Record<ServiceRelation, Record<ServiceAction, Decision>> = {
  // The vendor runs its service: everything but judging its own review.
  owner: {
    view: 'allow', events: 'allow', editTemplate: 'allow', setVisibility: 'allow', associate: 'allow', submit: 'allow',
    approve: 'forbidden', reject: 'forbidden', publish: 'allow', offline: 'allow', test: 'allow', deploy: 'allow',
  },
  // The reviewer sees every service and may take one offline, but never edits nor releases it.
  admin: {
    view: 'allow', events: 'allow', editTemplate: 'forbidden', setVisibility: 'forbidden', associate: 'forbidden', submit: 'forbidden',
    approve: 'allow', reject: 'allow', publish: 'forbidden', offline: 'allow', test: 'forbidden', deploy: 'allow',
  },
  // Consumers and other suppliers: an Online service visible to them is there to deploy.
  other: {
    view: 'allow', events: 'forbidden', editTemplate: 'forbidden', setVisibility: 'forbidden', associate: 'forbidden', submit: 'forbidden',
    approve: 'forbidden', reject: 'forbidden', publish: 'forbidden', offline: 'forbidden', test: 'forbidden', deploy: 'allow',
  },
};

export type AccessDecision = 'allow' | 'forbidden' | 'notFound';

/**
 * `visibleToOthers`: the service is Online and its visibility admits the caller (visibility.ts
 * serviceVisibleTo). Only `other` callers depend on it: the owner and admin always see.
 */
export function serviceAccess(relation: ServiceRelation, action: ServiceAction, visibleToOthers: boolean): AccessDecision {
  if (relation === 'other' && !visibleToOthers) return 'notFound';
  return TABLE[relation][action];
}

/** A service reference with a dash is an ID (`svc-…`); without, the name of one of the caller's own services. */
export function isServiceId(ref: string): boolean {
  return ref.includes('-');
}

/** The actions only the reviewer (an admin) takes. */
const REVIEW_ACTIONS: readonly ServiceAction[] = ['approve', 'reject'];

/**
 * Throws NOT_FOUND or FORBIDDEN unless the decision allows. A name that finds nothing says names
 * are the caller's own (another account's service is named by its ID); the message is the same
 * whether or not another account has a service of that name.
 */
export function requireAccess(decision: AccessDecision, action: ServiceAction, serviceRef: string, relation: ServiceRelation): void {
  if (decision === 'allow') return;
  if (decision === 'notFound') {
    const message = isServiceId(serviceRef)
      ? `service '${serviceRef}' not found`
      : `service '${serviceRef}' not found among your own services (another account's service is named by its ID, svc-…)`;
    throw new ImagenestError(ErrorCode.NOT_FOUND, message, { context: { resource: serviceRef } });
  }
  if (REVIEW_ACTIONS.includes(action) && relation !== 'admin') {
    throw new ImagenestError(ErrorCode.FORBIDDEN, `only an admin may ${action} a service`, { context: { resource: serviceRef } });
  }
  const who = relation === 'other' ? "another account's service" : relation === 'admin' ? 'a service as admin' : 'your own service';
  throw new ImagenestError(ErrorCode.FORBIDDEN, `you may not ${action} ${who}`, { context: { resource: serviceRef } });
}
