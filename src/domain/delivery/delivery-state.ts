/** A delivery (one image into one region) as a pure state machine: what may follow what. */
import { assertNever } from '../assert-never.ts';

export const DeliveryState = {
  Pending: 'Pending',
  Copying: 'Copying',
  Available: 'Available',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
} as const;
export type DeliveryState = (typeof DeliveryState)[keyof typeof DeliveryState];

/** Ingest: the source image brought into the distribution account; copy: one region's copy of it. */
export type DeliveryKind = 'ingest' | 'copy';

export type DeliveryEvent =
  /** The engine records its intent to call CopyImage (a crash after it is recognised and resumed). */
  | { type: 'request' }
  /** The cloud accepted the copy, or the copy of a crashed start was found by its tag. */
  | { type: 'started' }
  /** A start failed in a way worth another try later. */
  | { type: 'defer' }
  /** The cloud's verdict, or one reached without the cloud (same-region copy, failed ingest). */
  | { type: 'finish'; outcome: 'Available' | 'Failed' }
  /** Cancelled by its owner: a running copy stopped, a finished one deleted. */
  | { type: 'cancel' }
  /** A new generation of a delivery (a retry, or an ingest needed again): replaces whatever the last one was doing. */
  | { type: 'retry' };

export type DeliveryTransition = { ok: true; state: DeliveryState } | { ok: false; reason: string };

export function isFinalDelivery(state: DeliveryState): boolean {
  switch (state) {
    case 'Pending':
    case 'Copying':
      return false;
    case 'Available':
    case 'Failed':
    case 'Cancelled':
      return true;
    default:
      return assertNever(state);
  }
}

function refuse(event: DeliveryEvent, state: DeliveryState): DeliveryTransition {
  return { ok: false, reason: `a delivery cannot ${event.type} while ${state}` };
}

/** The next state after `event`, or why the event is not allowed in `state`. */
export function deliveryTransition(state: DeliveryState, event: DeliveryEvent): DeliveryTransition {
  switch (event.type) {
    case 'request':
      return state === 'Pending' ? { ok: true, state: 'Copying' } : refuse(event, state);
    case 'started':
      return state === 'Copying' ? { ok: true, state: 'Copying' } : refuse(event, state);
    case 'defer':
      return isFinalDelivery(state) ? refuse(event, state) : { ok: true, state: 'Pending' };
    case 'finish':
      return isFinalDelivery(state) ? refuse(event, state) : { ok: true, state: event.outcome };
    case 'cancel':
      return state === 'Cancelled' ? refuse(event, state) : { ok: true, state: 'Cancelled' };
    case 'retry':
      return { ok: true, state: 'Pending' };
    default:
      return assertNever(event);
  }
}

/** The state after `event`; throws when the caller asked for a move the machine forbids (a bug, not a user error). */
export function nextDeliveryState(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  const t = deliveryTransition(state, event);
  if (!t.ok) throw new Error(t.reason);
  return t.state;
}
