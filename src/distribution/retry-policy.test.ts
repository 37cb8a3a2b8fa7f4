import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOUD_RETRY, decideRetry, type RetryPolicy } from './retry-policy.ts';

describe('decideRetry', () => {
  it('retries throttling and transient errors with growing, capped, jittered delays', () => {
    const delays = [1, 2, 3, 4, 5, 10, 50].map((n) => decideRetry('throttled', n, CLOUD_RETRY, 0.5));
    expect(delays.map((d) => (d.type === 'retry' ? d.delayMs : -1))).toEqual([1500, 3000, 6000, 12000, 24000, 90000, 90000]);
    expect(decideRetry('transient', 1, CLOUD_RETRY, 0)).toEqual({ type: 'retry', delayMs: 1000 });
    expect(decideRetry('transient', 1, CLOUD_RETRY, 0.999999)).toEqual({ type: 'retry', delayMs: 2000 });
  });

  it('fails at once on permanent, not-found and quota errors', () => {
    for (const kind of ['permanent', 'notFound', 'quota'] as const) expect(decideRetry(kind, 1, CLOUD_RETRY, 0.5)).toEqual({ type: 'fail' });
  });

  it('stops after maximumAttempts when the policy has one', () => {
    const p: RetryPolicy = { ...CLOUD_RETRY, maximumAttempts: 3 };
    expect(decideRetry('transient', 2, p, 0.5).type).toBe('retry');
    expect(decideRetry('transient', 3, p, 0.5).type).toBe('fail');
  });

  it('follows the policy it is given: its own interval, backoff, cap and non-retryable kinds', () => {
    const p: RetryPolicy = { initialIntervalMs: 100, backoffCoefficient: 3, maximumIntervalMs: 1_000, maximumAttempts: Infinity, nonRetryable: ['throttled'] };
    expect([1, 2, 3, 4].map((n) => decideRetry('transient', n, p, 0))).toEqual([50, 150, 450, 500].map((delayMs) => ({ type: 'retry', delayMs })));
    expect(decideRetry('throttled', 1, p, 0)).toEqual({ type: 'fail' });
    expect(decideRetry('permanent', 1, p, 0)).toEqual({ type: 'retry', delayMs: 50 });
  });

  it('treats attempt 0 like the first, and rounds to whole milliseconds', () => {
    expect(decideRetry('transient', 0, CLOUD_RETRY, 0)).toEqual({ type: 'retry', delayMs: 1000 });
    expect(decideRetry('transient', 1, CLOUD_RETRY, 0.0011)).toEqual({ type: 'retry', delayMs: 1001 });
    expect(decideRetry('transient', 1, CLOUD_RETRY, 0.0009)).toEqual({ type: 'retry', delayMs: 1001 });
    expect(decideRetry('transient', 1, CLOUD_RETRY, 0.0004)).toEqual({ type: 'retry', delayMs: 1000 });
  });

  it('keeps every delay within [base/2, base] and under the cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (attempt, r) => {
        const d = decideRetry('throttled', attempt, CLOUD_RETRY, r);
        expect(d.type).toBe('retry');
        if (d.type !== 'retry') return;
        const base = Math.min(CLOUD_RETRY.maximumIntervalMs, CLOUD_RETRY.initialIntervalMs * 2 ** (attempt - 1));
        expect(d.delayMs).toBeGreaterThanOrEqual(Math.floor(base / 2));
        expect(d.delayMs).toBeLessThanOrEqual(CLOUD_RETRY.maximumIntervalMs);
      }),
    );
  });
});
