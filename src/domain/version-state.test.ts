import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryState, deriveVersionState, isLocked, transition, VersionState, type VersionEvent } from './version-state.ts';

const states = Object.values(VersionState);
const deliveryStates = Object.values(DeliveryState);

describe('version state machine', () => {
  it('publishes only a draft', () => {
    expect(transition('Draft', { type: 'publish' })).toEqual({ ok: true, state: 'Delivering' });
    for (const s of states.filter((x) => x !== 'Draft')) expect(transition(s, { type: 'publish' }).ok).toBe(false);
  });

  it('settles only while delivering, and retries only a failed or partial version', () => {
    expect(transition('Delivering', { type: 'settle', outcome: 'PartiallyAvailable' })).toEqual({ ok: true, state: 'PartiallyAvailable' });
    expect(transition('Available', { type: 'settle', outcome: 'Failed' }).ok).toBe(false);
    expect(transition('Failed', { type: 'retry' })).toEqual({ ok: true, state: 'Delivering' });
    expect(transition('PartiallyAvailable', { type: 'retry' })).toEqual({ ok: true, state: 'Delivering' });
    expect(transition('Available', { type: 'retry' }).ok).toBe(false);
    expect(transition('Cancelled', { type: 'retry' })).toEqual({ ok: true, state: 'Delivering' });
    expect(transition('Draft', { type: 'retry' }).ok).toBe(false);
  });

  it('never returns to Draft: once published, always locked (property)', () => {
    const event: fc.Arbitrary<VersionEvent> = fc.oneof(
      fc.constant({ type: 'publish' } as const),
      fc.constant({ type: 'retry' } as const),
      fc.constantFrom('Available', 'PartiallyAvailable', 'Failed').map((outcome) => ({ type: 'settle', outcome }) as const),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let state: VersionState = 'Draft';
        let published = false;
        for (const e of events) {
          const t = transition(state, e);
          if (t.ok) state = t.state;
          published ||= state !== 'Draft';
          if (published) expect(isLocked(state)).toBe(true);
        }
      }),
    );
  });
});

describe('version state derived from deliveries', () => {
  it('covers every case', () => {
    expect(deriveVersionState(['Available', 'Copying'])).toBe('Delivering');
    expect(deriveVersionState(['Pending'])).toBe('Delivering');
    expect(deriveVersionState(['Available', 'Available'])).toBe('Available');
    expect(deriveVersionState(['Available', 'Failed'])).toBe('PartiallyAvailable');
    expect(deriveVersionState(['Available', 'Cancelled'])).toBe('PartiallyAvailable');
    expect(deriveVersionState(['Failed', 'Cancelled'])).toBe('Failed');
    expect(deriveVersionState(['Cancelled', 'Cancelled'])).toBe('Cancelled');
  });

  it('is Cancelled exactly when every region was cancelled, and never Failed then (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...deliveryStates), { minLength: 1, maxLength: 30 }), (ds) => {
        const s = deriveVersionState(ds);
        expect(s === 'Cancelled').toBe(ds.every((d) => d === 'Cancelled'));
        if (s === 'Failed') expect(ds.some((d) => d === 'Failed')).toBe(true);
      }),
    );
  });

  it('is Available exactly when every region is (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...deliveryStates), { minLength: 1, maxLength: 30 }), (ds) => {
        const s = deriveVersionState(ds);
        expect(s === 'Available').toBe(ds.every((d) => d === 'Available'));
        expect(s === 'Delivering').toBe(ds.some((d) => d === 'Pending' || d === 'Copying'));
      }),
    );
  });
});

describe('a published version following its regions', () => {
  it('moves any published version to what its regions say, never a draft', () => {
    for (const s of Object.values(VersionState).filter((x) => x !== 'Draft')) {
      expect(transition(s, { type: 'regions-changed', outcome: 'Failed' })).toEqual({ ok: true, state: 'Failed' });
    }
    expect(transition('Draft', { type: 'regions-changed', outcome: 'Available' }).ok).toBe(false);
  });
});
