import { describe, expect, it } from 'vitest';
import { NonceRegister } from './nonce-register.ts';

describe('NonceRegister', () => {
  it('accepts a nonce once until it expires, per access key', () => {
    const r = new NonceRegister();
    expect(r.claim('a', 'n1', 1_000, 0)).toBe(true);
    expect(r.claim('a', 'n1', 1_000, 999)).toBe(false);
    expect(r.claim('b', 'n1', 1_000, 999)).toBe(true);
    expect(r.claim('a', 'n1', 2_000, 1_000)).toBe(true);
  });

  it('forgets expired nonces, so it stays as small as the window', () => {
    const r = new NonceRegister();
    for (let i = 0; i < 100; i++) r.claim('a', `n${i}`, 1_000, 0);
    expect(r.size).toBe(100);
    r.claim('a', 'late', 100_000, 50_000);
    expect(r.size).toBe(1);
  });
});
