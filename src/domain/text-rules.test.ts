import { describe, expect, it } from 'vitest';
import { checkNoBidiControl, hasBidiControl, isStorableText } from './text-rules.ts';

describe('storable text', () => {
  it.each([
    ['plain', true],
    ['emoji 😀 pair', true],
    ['', true],
    ['nul \u0000 inside', false],
    ['lone high \uD800 x', false],
    ['lone high at end \uD83D', false],
    ['lone low \uDC00 x', false],
    ['reversed pair \uDE00\uD83D', false],
  ])('%j → %s', (s, ok) => {
    expect(isStorableText(s)).toBe(ok);
  });
});

describe('bidi controls', () => {
  it('finds every control of the list, and not right-to-left letters', () => {
    for (const c of ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(hasBidiControl(`a${c}b`)).toBe(true);
    }
    expect(hasBidiControl('שלום مرحبا')).toBe(false);
    expect(checkNoBidiControl('name', 'x\u202Ey', 'a name')).toEqual([expect.objectContaining({ field: 'name', rule: 'bidiControl' })]);
  });
});
