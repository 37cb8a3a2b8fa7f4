/** Every edge of the version state machine and every delivery state, spelled out. */
import { describe, expect, it } from 'vitest';
import { DeliveryState, deriveVersionState, isFinalDelivery, isLocked, transition, VersionState, type VersionEvent } from './version-state.ts';

const allowed: [VersionState, VersionEvent, VersionState][] = [
  ['Draft', { type: 'publish' }, 'Delivering'],
  ['Delivering', { type: 'settle', outcome: 'Available' }, 'Available'],
  ['Delivering', { type: 'settle', outcome: 'PartiallyAvailable' }, 'PartiallyAvailable'],
  ['Delivering', { type: 'settle', outcome: 'Failed' }, 'Failed'],
  ['PartiallyAvailable', { type: 'retry' }, 'Delivering'],
  ['Failed', { type: 'retry' }, 'Delivering'],
  ['Delivering', { type: 'settle', outcome: 'Cancelled' }, 'Cancelled'],
  ['Cancelled', { type: 'retry' }, 'Delivering'],
];

describe('transition', () => {
  it.each(allowed)('%s --%j--> %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, state: to });
  });

  const events: VersionEvent[] = [{ type: 'publish' }, { type: 'settle', outcome: 'Available' }, { type: 'retry' }];
  const refused = Object.values(VersionState).flatMap((s) => events.filter((e) => !allowed.some(([f, ev]) => f === s && ev.type === e.type)).map((e) => [s, e] as const));

  it.each(refused)('refuses %s --%j--> with a reason naming the state', (state, event) => {
    const t = transition(state, event);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toContain(state);
  });
});

describe('locks and final states', () => {
  it('locks every state but Draft', () => {
    expect(Object.values(VersionState).filter(isLocked)).toEqual(['Delivering', 'Available', 'PartiallyAvailable', 'Failed', 'Cancelled']);
  });

  it('final deliveries are Available, Failed and Cancelled', () => {
    expect(Object.values(DeliveryState).filter(isFinalDelivery)).toEqual(['Available', 'Failed', 'Cancelled']);
  });

  it('rejects a state outside the union', () => {
    expect(() => isFinalDelivery('Lost' as DeliveryState)).toThrow();
  });
});

describe('deriveVersionState', () => {
  it.each([
    [[], 'Failed'],
    [['Available'], 'Available'],
    [['Failed'], 'Failed'],
    [['Cancelled'], 'Cancelled'],
    [['Cancelled', 'Cancelled'], 'Cancelled'],
    [['Failed', 'Cancelled'], 'Failed'],
    [['Available', 'Cancelled'], 'PartiallyAvailable'],
    [['Copying'], 'Delivering'],
    [['Available', 'Pending'], 'Delivering'],
    [['Available', 'Cancelled', 'Failed'], 'PartiallyAvailable'],
    [['Available', 'Available', 'Failed'], 'PartiallyAvailable'],
  ] as [DeliveryState[], VersionState][])('%j → %s', (deliveries, state) => {
    expect(deriveVersionState(deliveries)).toBe(state);
  });
});
