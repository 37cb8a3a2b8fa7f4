import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from './positions.ts';

/** The obvious, slow answer the index must agree with: walk the text up to the offset. */
function naive(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let column = 1;
  for (let i = 0; i < o; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < o) i++;
    column++;
  }
  return { line, column };
}

describe('LineIndex', () => {
  const text = 'ab\ncd\n\n😀x\r\nz';
  const idx = new LineIndex(text);

  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 1, 3],
    [3, 2, 1],
    [5, 2, 3],
    [6, 3, 1],
    [7, 4, 1],
    [9, 4, 2],
    [10, 4, 3],
    [11, 4, 4],
    [12, 5, 1],
    [13, 5, 2],
  ])('offset %i is line %i, column %i', (offset, line, column) => {
    expect(idx.at(offset)).toEqual({ line, column });
  });

  it('counts a surrogate pair as one column, and half of one as a column of its own', () => {
    expect(idx.at(8)).toEqual({ line: 4, column: 2 });
    expect(new LineIndex('😀😀').at(4)).toEqual({ line: 1, column: 3 });
    expect(new LineIndex('😀😀').at(3)).toEqual({ line: 1, column: 3 });
  });

  it('clamps offsets outside the text', () => {
    expect(idx.at(-5)).toEqual({ line: 1, column: 1 });
    expect(idx.at(999)).toEqual(idx.at(text.length));
    expect(idx.at(999)).toEqual({ line: 5, column: 2 });
  });

  it('counts lines', () => {
    expect(idx.lineCount).toBe(5);
    expect(new LineIndex('').lineCount).toBe(1);
    expect(new LineIndex('\n').lineCount).toBe(2);
  });

  it('agrees with a walk over the text at every offset (property)', () => {
    const char = fc.constantFrom('a', 'é', '\n', '\r', '😀', ' ', '\uFEFF');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), fc.integer({ min: -3, max: 100 }), (chars, offset) => {
        const t = chars.join('');
        expect(new LineIndex(t).at(offset)).toEqual(naive(t, offset));
      }),
    );
  });
});
