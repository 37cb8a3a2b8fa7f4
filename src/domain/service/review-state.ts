/**
 * Review of a service revision (SPEC §7) as a pure state machine:
 * (state, action, actor) → next state, or a refusal with a stable code.
 */
import { canOwnPackages, type Role } from '../account.ts';
import { assertNever } from '../assert-never.ts';
import { charLength } from '../package-rules.ts';
import { ErrorCode, ImagenestError, type Violation } from '../errors.ts';

export const ReviewState = {
  Draft: 'Draft',
  Submitted: 'Submitted',
  Approved: 'Approved',
  Rejected: 'Rejected',
  Online: 'Online',
  Offline: 'Offline',
} as const;
export type ReviewState = (typeof ReviewState)[keyof typeof ReviewState];

export const ReviewActionType = {
  edit: 'edit',
  submit: 'submit',
  approve: 'approve',
  reject: 'reject',
  publish: 'publish',
  offline: 'offline',
  supersede: 'supersede',
} as const;
export type ReviewActionType = (typeof ReviewActionType)[keyof typeof ReviewActionType];

export type ReviewAction =
  | { type: 'edit' | 'submit' | 'approve' | 'publish' | 'offline' | 'supersede' }
  | { type: 'reject'; reason: string };

/** Who acts: an account's role, or Imagenest itself (superseding an Online revision). */
export type ReviewActor = Role | 'system';

export const REJECT_REASON_MAX = 500;

export type ReviewRefusalCode = typeof ErrorCode.INVALID_STATE_TRANSITION | typeof ErrorCode.FORBIDDEN | typeof ErrorCode.VALIDATION_FAILED;

export type ReviewTransition =
  | { ok: true; from: ReviewState; to: ReviewState }
  | { ok: false; code: ReviewRefusalCode; reason: string; violations?: Violation[] };

/** Whether `actor` may take `action` at all, whatever the state. Ownership is the app's check. */
function mayAct(action: ReviewActionType, actor: ReviewActor): boolean {
  switch (action) {
    case 'edit':
    case 'submit':
    case 'publish':
      return actor !== 'system' && canOwnPackages(actor);
    case 'approve':
    case 'reject':
      return actor === 'admin';
    case 'offline':
      return actor === 'supplier' || actor === 'admin';
    case 'supersede':
      return actor === 'system';
    default:
      return assertNever(action);
  }
}

/** The state an action leads to from each state it is allowed in. */
function target(action: ReviewActionType, state: ReviewState): ReviewState | undefined {
  switch (action) {
    case 'edit':
      return state === 'Draft' || state === 'Rejected' ? 'Draft' : undefined;
    case 'submit':
      return state === 'Draft' || state === 'Rejected' ? 'Submitted' : undefined;
    case 'approve':
      return state === 'Submitted' ? 'Approved' : undefined;
    case 'reject':
      return state === 'Submitted' ? 'Rejected' : undefined;
    case 'publish':
      // Offline is reached only from Online, so an Offline revision was approved once.
      return state === 'Approved' || state === 'Offline' ? 'Online' : undefined;
    case 'offline':
    case 'supersede':
      return state === 'Online' ? 'Offline' : undefined;
    default:
      return assertNever(action);
  }
}

const ALLOWED_FROM: Record<ReviewActionType, string> = {
  edit: 'a Draft or Rejected revision (create a new revision to change a Submitted, Approved, Online or Offline one)',
  submit: 'a Draft or Rejected revision',
  approve: 'a Submitted revision',
  reject: 'a Submitted revision',
  publish: 'an Approved or Offline revision',
  offline: 'an Online revision',
  supersede: 'an Online revision',
};

function checkReason(action: ReviewAction): Violation[] {
  if (action.type !== 'reject') return [];
  const n = charLength(action.reason.trim());
  if (n >= 1 && n <= REJECT_REASON_MAX) return [];
  return [{ field: 'reason', rule: 'length', message: `a rejection needs a reason of 1–${REJECT_REASON_MAX} characters; got ${n}` }];
}

/** The next state after `action` by `actor`, or why it is refused (role first, then state, then the reason). */
export function reviewTransition(state: ReviewState, action: ReviewAction, actor: ReviewActor): ReviewTransition {
  if (!mayAct(action.type, actor)) {
    return { ok: false, code: ErrorCode.FORBIDDEN, reason: `a ${actor} cannot ${action.type} a service revision` };
  }
  const to = target(action.type, state);
  if (to === undefined) {
    return {
      ok: false,
      code: ErrorCode.INVALID_STATE_TRANSITION,
      reason: `${action.type} applies to ${ALLOWED_FROM[action.type]}; this revision is ${state}`,
    };
  }
  const violations = checkReason(action);
  if (violations.length > 0) return { ok: false, code: ErrorCode.VALIDATION_FAILED, reason: violations[0]!.message, violations };
  return { ok: true, from: state, to };
}

/** As reviewTransition, throwing the refusal as an ImagenestError. */
export function applyReviewAction(state: ReviewState, action: ReviewAction, actor: ReviewActor): ReviewState {
  const t = reviewTransition(state, action, actor);
  if (t.ok) return t.to;
  throw new ImagenestError(t.code, t.reason, t.violations ? { details: { violations: t.violations } } : {});
}

/** What a revision's review needs to know about it. */
export interface RevisionState {
  id: string;
  /** 1, 2, 3… in creation order. */
  number: number;
  state: ReviewState;
}

/** The revision consumers use: the Online one (the newest, should data ever hold two). */
export function onlineRevision<R extends RevisionState>(revisions: readonly R[]): R | undefined {
  return latestRevision(revisions.filter((r) => r.state === 'Online'));
}

/** The revision with the highest number. */
export function latestRevision<R extends RevisionState>(revisions: readonly R[]): R | undefined {
  return revisions.reduce<R | undefined>((best, r) => (best === undefined || r.number > best.number ? r : best), undefined);
}

/** A service's displayed state: its Online revision's if any, else its latest revision's. */
export function serviceState(revisions: readonly RevisionState[]): ReviewState | undefined {
  return (onlineRevision(revisions) ?? latestRevision(revisions))?.state;
}

/** One step of a publication: which revision takes which action, in order. */
export interface RevisionStep {
  revisionId: string;
  action: ReviewAction;
  actor: ReviewActor;
}

/**
 * Publishing a revision: the previously Online revision (if another) is superseded first, so
 * at most one revision is ever Online. Refused as a whole when the revision may not be published.
 */
export function planPublish(revisions: readonly RevisionState[], revisionId: string, actor: ReviewActor): RevisionStep[] {
  const revision = revisions.find((r) => r.id === revisionId);
  if (!revision) throw new ImagenestError(ErrorCode.NOT_FOUND, `revision '${revisionId}' not found`, { context: { resource: revisionId } });
  applyReviewAction(revision.state, { type: 'publish' }, actor);
  const steps: RevisionStep[] = revisions
    .filter((r) => r.state === 'Online' && r.id !== revisionId)
    .map((r) => ({ revisionId: r.id, action: { type: 'supersede' }, actor: 'system' }));
  steps.push({ revisionId, action: { type: 'publish' }, actor });
  return steps;
}
