import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryState, deliveryTransition, isFinalDelivery, nextDeliveryState, type DeliveryEvent } from './delivery-state.ts';

const states = Object.values(DeliveryState);
const unfinished = ['Pending', 'Copying'] as const;
const final = ['Available', 'Failed', 'Cancelled'] as const;

describe('delivery state machine', () => {
  it('requests a start only from Pending, and confirms it only while Copying', () => {
    expect(deliveryTransition('Pending', { type: 'request' })).toEqual({ ok: true, state: 'Copying' });
    for (const s of states.filter((x) => x !== 'Pending')) expect(deliveryTransition(s, { type: 'request' }).ok).toBe(false);
    expect(deliveryTransition('Copying', { type: 'started' })).toEqual({ ok: true, state: 'Copying' });
    for (const s of states.filter((x) => x !== 'Copying')) expect(deliveryTransition(s, { type: 'started' }).ok).toBe(false);
  });

  it('defers and finishes only unfinished deliveries', () => {
    for (const s of unfinished) {
      expect(deliveryTransition(s, { type: 'defer' })).toEqual({ ok: true, state: 'Pending' });
      expect(deliveryTransition(s, { type: 'finish', outcome: 'Available' })).toEqual({ ok: true, state: 'Available' });
      expect(deliveryTransition(s, { type: 'finish', outcome: 'Failed' })).toEqual({ ok: true, state: 'Failed' });
    }
    for (const s of final) {
      expect(deliveryTransition(s, { type: 'defer' }).ok).toBe(false);
      expect(deliveryTransition(s, { type: 'finish', outcome: 'Available' }).ok).toBe(false);
    }
  });

  it('cancels anything not yet cancelled, and retries from any state as a new generation', () => {
    for (const s of states.filter((x) => x !== 'Cancelled')) expect(deliveryTransition(s, { type: 'cancel' })).toEqual({ ok: true, state: 'Cancelled' });
    expect(deliveryTransition('Cancelled', { type: 'cancel' }).ok).toBe(false);
    for (const s of states) expect(deliveryTransition(s, { type: 'retry' })).toEqual({ ok: true, state: 'Pending' });
  });

  it('throws on a forbidden move instead of writing it', () => {
    expect(nextDeliveryState('Pending', { type: 'request' })).toBe('Copying');
    expect(() => nextDeliveryState('Available', { type: 'finish', outcome: 'Failed' })).toThrow();
  });

  it('leaves a final state only by a retry (property)', () => {
    const event: fc.Arbitrary<DeliveryEvent> = fc.oneof(
      fc.constantFrom({ type: 'request' } as const, { type: 'started' } as const, { type: 'defer' } as const, { type: 'cancel' } as const, { type: 'retry' } as const),
      fc.constantFrom('Available', 'Failed').map((outcome) => ({ type: 'finish', outcome }) as const),
    );
    fc.assert(
      fc.property(fc.constantFrom(...states), event, (s, e) => {
        const t = deliveryTransition(s, e);
        if (t.ok && isFinalDelivery(s) && !isFinalDelivery(t.state)) expect(e.type).toBe('retry');
      }),
    );
  });
});
