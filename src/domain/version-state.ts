/** Version lifecycle (SPEC §4) as a pure state machine, and per-region delivery states. */
import { assertNever } from './assert-never.ts';
import { isFinalDelivery, type DeliveryState } from './delivery/delivery-state.ts';

export const VersionState = {
  Draft: 'Draft',
  Delivering: 'Delivering',
  Available: 'Available',
  PartiallyAvailable: 'PartiallyAvailable',
  Failed: 'Failed',
  /** Every region stopped by its owner (`package cancel`): nothing failed, nothing is left. */
  Cancelled: 'Cancelled',
} as const;
export type VersionState = (typeof VersionState)[keyof typeof VersionState];

export { DeliveryState, isFinalDelivery } from './delivery/delivery-state.ts';

export type VersionEvent =
  | { type: 'publish' }
  | { type: 'settle'; outcome: 'Available' | 'PartiallyAvailable' | 'Failed' | 'Cancelled' }
  | { type: 'retry' }
  /** A published version follows its regions: a cancel or a deletion can move even a settled one. */
  | { type: 'regions-changed'; outcome: Exclude<VersionState, 'Draft'> };

export type Transition = { ok: true; state: VersionState } | { ok: false; reason: string };

/** The next state after `event`, or why the event is not allowed in `state`. */
export function transition(state: VersionState, event: VersionEvent): Transition {
  switch (event.type) {
    case 'publish':
      return state === 'Draft'
        ? { ok: true, state: 'Delivering' }
        : { ok: false, reason: `only a Draft can be published; this version is ${state}` };
    case 'settle':
      return state === 'Delivering'
        ? { ok: true, state: event.outcome }
        : { ok: false, reason: `only a Delivering version can settle; this version is ${state}` };
    case 'retry':
      // A retry starts Failed and Cancelled regions again (app/distribution.ts), so a
      // cancelled version may be retried like a failed one.
      return state === 'PartiallyAvailable' || state === 'Failed' || state === 'Cancelled'
        ? { ok: true, state: 'Delivering' }
        : { ok: false, reason: `only a PartiallyAvailable, Failed or Cancelled version can be retried; this version is ${state}` };
    case 'regions-changed':
      return state !== 'Draft'
        ? { ok: true, state: event.outcome }
        : { ok: false, reason: 'a draft has no regions to follow' };
    default:
      return assertNever(event);
  }
}

/** A published version's content never changes again. */
export function isLocked(state: VersionState): boolean {
  return state !== 'Draft';
}

/**
 * A published version's state follows from its regions' delivery states. With no region
 * Available, a version is Cancelled only when every region was cancelled: a region that failed
 * (say, one retried after a cancel) makes it Failed, which a retry may mend.
 */
export function deriveVersionState(deliveries: readonly DeliveryState[]): Exclude<VersionState, 'Draft'> {
  if (deliveries.some((d) => !isFinalDelivery(d))) return 'Delivering';
  const available = deliveries.filter((d) => d === 'Available').length;
  if (available === deliveries.length && available > 0) return 'Available';
  if (available > 0) return 'PartiallyAvailable';
  return deliveries.length > 0 && deliveries.every((d) => d === 'Cancelled') ? 'Cancelled' : 'Failed';
}
