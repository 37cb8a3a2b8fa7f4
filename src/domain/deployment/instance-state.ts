/** A service instance's lifecycle (issue 10): deploy, settle, delete, as a pure state machine. */
import { assertNever } from '../assert-never.ts';
import { ErrorCode, ImagenestError } from '../errors.ts';

export const InstanceState = {
  Deploying: 'Deploying',
  Deployed: 'Deployed',
  Failed: 'Failed',
  Deleting: 'Deleting',
  Deleted: 'Deleted',
} as const;
export type InstanceState = (typeof InstanceState)[keyof typeof InstanceState];

/**
 * `deployed`/`fail` settle a deployment or a deletion (a failed deletion leaves the instance
 * Failed, to be deleted again); `delete` is the consumer's; `deleted` ends it.
 */
export type InstanceEvent = { type: 'deployed' } | { type: 'fail' } | { type: 'delete' } | { type: 'deleted' };

export type InstanceTransition = { ok: true; state: InstanceState } | { ok: false; reason: string };

export function instanceTransition(state: InstanceState, event: InstanceEvent): InstanceTransition {
  const refuse = (allowed: string): InstanceTransition => ({ ok: false, reason: `${event.type} applies to ${allowed}; this instance is ${state}` });
  switch (event.type) {
    case 'deployed':
      return state === 'Deploying' ? { ok: true, state: 'Deployed' } : refuse('a Deploying instance');
    case 'fail':
      return state === 'Deploying' || state === 'Deleting' ? { ok: true, state: 'Failed' } : refuse('a Deploying or Deleting instance');
    case 'delete':
      // A deployment under way is not interrupted: its resources are not all known yet.
      return state === 'Deployed' || state === 'Failed' ? { ok: true, state: 'Deleting' } : refuse('a Deployed or Failed instance');
    case 'deleted':
      return state === 'Deleting' ? { ok: true, state: 'Deleted' } : refuse('a Deleting instance');
    default:
      return assertNever(event);
  }
}

/** As instanceTransition, throwing INVALID_STATE_TRANSITION. */
export function applyInstanceEvent(state: InstanceState, event: InstanceEvent, instanceId: string): InstanceState {
  const t = instanceTransition(state, event);
  if (t.ok) return t.state;
  throw new ImagenestError(ErrorCode.INVALID_STATE_TRANSITION, t.reason, { context: { resource: instanceId } });
}

/**
 * Whether the instance may still hold cloud resources, and so keeps its package versions in
 * use (a version a live instance uses cannot be deleted). A Failed deployment may have left some.
 */
export function isLive(state: InstanceState): boolean {
  switch (state) {
    case 'Deploying':
    case 'Deployed':
    case 'Failed':
    case 'Deleting':
      return true;
    case 'Deleted':
      return false;
    default:
      return assertNever(state);
  }
}
