import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.ts';
import { applyInstanceEvent, instanceTransition, InstanceState, isLive, type InstanceEvent } from './instance-state.ts';

const states = Object.values(InstanceState);
const events: InstanceEvent['type'][] = ['deployed', 'fail', 'delete', 'deleted'];

const ALLOWED: [InstanceState, InstanceEvent['type'], InstanceState][] = [
  ['Deploying', 'deployed', 'Deployed'],
  ['Deploying', 'fail', 'Failed'],
  ['Deployed', 'delete', 'Deleting'],
  ['Failed', 'delete', 'Deleting'],
  ['Deleting', 'deleted', 'Deleted'],
  ['Deleting', 'fail', 'Failed'],
];

describe('instance state machine', () => {
  it('allows exactly the listed transitions', () => {
    for (const state of states) {
      for (const type of events) {
        const allowed = ALLOWED.find(([f, e]) => f === state && e === type);
        expect(instanceTransition(state, { type }), `${state} ${type}`).toEqual(allowed ? { ok: true, state: allowed[2] } : expect.objectContaining({ ok: false }));
      }
    }
  });

  it('throws INVALID_STATE_TRANSITION naming the instance', () => {
    expect(() => applyInstanceEvent('Deploying', { type: 'delete' }, 'ins-1')).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_STATE_TRANSITION, context: { resource: 'ins-1' } }),
    );
    expect(applyInstanceEvent('Deployed', { type: 'delete' }, 'ins-1')).toBe('Deleting');
  });

  it('Deleted is final, and only Deleted releases the versions it used', () => {
    expect(states.filter(isLive)).toEqual(['Deploying', 'Deployed', 'Failed', 'Deleting']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 20 }), (types) => {
        let state: InstanceState = 'Deploying';
        let deleted = false;
        for (const type of types) {
          const t = instanceTransition(state, { type });
          if (t.ok) state = t.state;
          if (deleted) expect(state).toBe('Deleted');
          deleted ||= state === 'Deleted';
        }
      }),
    );
  });
});
