import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ImagenestError } from '../errors.ts';
import {
  applyReviewAction,
  planPublish,
  REJECT_REASON_MAX,
  ReviewActionType,
  ReviewState,
  reviewTransition,
  serviceState,
  type ReviewAction,
  type ReviewActor,
  type RevisionState,
} from './review-state.ts';

const states = Object.values(ReviewState);
const actors: ReviewActor[] = ['supplier', 'consumer', 'admin', 'system'];
const action = (type: ReviewActionType): ReviewAction => (type === 'reject' ? { type, reason: 'the image is not hardened' } : { type });

/** Every allowed (state, action) → state for the actor the action belongs to; everything else is refused. */
const ALLOWED: [ReviewState, ReviewActionType, ReviewState][] = [
  ['Draft', 'edit', 'Draft'],
  ['Rejected', 'edit', 'Draft'],
  ['Draft', 'submit', 'Submitted'],
  ['Rejected', 'submit', 'Submitted'],
  ['Submitted', 'approve', 'Approved'],
  ['Submitted', 'reject', 'Rejected'],
  ['Approved', 'publish', 'Online'],
  ['Offline', 'publish', 'Online'],
  ['Online', 'offline', 'Offline'],
  ['Online', 'supersede', 'Offline'],
];

const MAY_ACT: Record<ReviewActionType, ReviewActor[]> = {
  edit: ['supplier', 'admin'],
  submit: ['supplier', 'admin'],
  publish: ['supplier', 'admin'],
  approve: ['admin'],
  reject: ['admin'],
  offline: ['supplier', 'admin'],
  supersede: ['system'],
};

describe('review state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, type, to) => {
    for (const actor of MAY_ACT[type]) expect(reviewTransition(from, action(type), actor)).toEqual({ ok: true, from, to });
  });

  it('refuses every other state with INVALID_STATE_TRANSITION, e.g. editing a Submitted revision', () => {
    for (const state of states) {
      for (const type of Object.values(ReviewActionType)) {
        if (ALLOWED.some(([f, a]) => f === state && a === type)) continue;
        const t = reviewTransition(state, action(type), MAY_ACT[type][0]!);
        expect(t, `${state} ${type}`).toMatchObject({ ok: false, code: ErrorCode.INVALID_STATE_TRANSITION });
      }
    }
    expect(reviewTransition('Submitted', { type: 'edit' }, 'supplier')).toMatchObject({ ok: false, code: 'INVALID_STATE_TRANSITION' });
  });

  it('refuses an actor the action does not belong to with FORBIDDEN, whatever the state', () => {
    for (const type of Object.values(ReviewActionType)) {
      for (const actor of actors.filter((a) => !MAY_ACT[type].includes(a))) {
        for (const state of states) {
          expect(reviewTransition(state, action(type), actor), `${actor} ${type} ${state}`).toMatchObject({ ok: false, code: ErrorCode.FORBIDDEN });
        }
      }
    }
  });

  it('needs a reason of 1–500 characters to reject', () => {
    for (const reason of ['', '   ', 'x'.repeat(REJECT_REASON_MAX + 1)]) {
      expect(reviewTransition('Submitted', { type: 'reject', reason }, 'admin')).toMatchObject({
        ok: false,
        code: ErrorCode.VALIDATION_FAILED,
        violations: [{ field: 'reason', rule: 'length' }],
      });
    }
    expect(reviewTransition('Submitted', { type: 'reject', reason: 'x'.repeat(REJECT_REASON_MAX) }, 'admin').ok).toBe(true);
  });

  it('throws refusals as ImagenestError with the code', () => {
    expect(applyReviewAction('Draft', { type: 'submit' }, 'supplier')).toBe('Submitted');
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as ImagenestError).code;
      }
      return 'none';
    };
    expect(codeOf(() => applyReviewAction('Draft', { type: 'approve' }, 'supplier'))).toBe('FORBIDDEN');
    expect(codeOf(() => applyReviewAction('Draft', { type: 'approve' }, 'admin'))).toBe('INVALID_STATE_TRANSITION');
    expect(codeOf(() => applyReviewAction('Submitted', { type: 'reject', reason: '' }, 'admin'))).toBe('VALIDATION_FAILED');
  });

  it('never reaches Online without passing Approved (property)', () => {
    const step = fc.record({
      type: fc.constantFrom(...Object.values(ReviewActionType)),
      actor: fc.constantFrom(...actors),
      reason: fc.string({ maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: ReviewState = 'Draft';
        let approved = false;
        for (const s of steps) {
          const a: ReviewAction = s.type === 'reject' ? { type: 'reject', reason: s.reason } : { type: s.type };
          const t = reviewTransition(state, a, s.actor);
          if (!t.ok) continue;
          // Editing makes a new draft of the content: an earlier approval no longer covers it.
          if (t.to === 'Draft') approved = false;
          if (t.to === 'Approved') approved = true;
          state = t.to;
          if (state === 'Online') expect(approved).toBe(true);
        }
      }),
    );
  });
});

describe('service state and publication', () => {
  const rev = (id: string, number: number, state: ReviewState): RevisionState => ({ id, number, state });

  it("is the Online revision's state if any, else the latest revision's", () => {
    expect(serviceState([rev('r1', 1, 'Online'), rev('r2', 2, 'Draft')])).toBe('Online');
    expect(serviceState([rev('r1', 1, 'Offline'), rev('r2', 2, 'Submitted')])).toBe('Submitted');
    expect(serviceState([rev('r2', 2, 'Rejected'), rev('r1', 1, 'Approved')])).toBe('Rejected');
    expect(serviceState([])).toBeUndefined();
  });

  it('supersedes the Online revision before publishing the new one', () => {
    const revisions = [rev('r1', 1, 'Online'), rev('r2', 2, 'Approved')];
    expect(planPublish(revisions, 'r2', 'supplier')).toEqual([
      { revisionId: 'r1', action: { type: 'supersede' }, actor: 'system' },
      { revisionId: 'r2', action: { type: 'publish' }, actor: 'supplier' },
    ]);
    expect(planPublish([rev('r1', 1, 'Offline')], 'r1', 'supplier')).toEqual([{ revisionId: 'r1', action: { type: 'publish' }, actor: 'supplier' }]);
  });

  it('refuses a publication as a whole', () => {
    const revisions = [rev('r1', 1, 'Online'), rev('r2', 2, 'Submitted')];
    expect(() => planPublish(revisions, 'r2', 'supplier')).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
    expect(() => planPublish(revisions, 'r9', 'supplier')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
