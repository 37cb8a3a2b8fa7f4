/** Offsets to 1-based line and column, counting columns in characters (code points). */

export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#starts.push(i + 1);
  }

  /** Line and column of a UTF-16 offset. */
  at(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.#starts[lo]!;
    let column = 1;
    for (let i = lineStart; i < o; i++) {
      const c = this.text.charCodeAt(i);
      // A surrogate pair is one character.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < o) i++;
      column++;
    }
    return { line: lo + 1, column };
  }

  get lineCount(): number {
    return this.#starts.length;
  }
}
