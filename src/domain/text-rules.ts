/**
 * Character rules shared by every text field. PostgreSQL's text type refuses NUL (the insert
 * failed, and the API answered 500) and stores a lone UTF-16 surrogate as U+FFFD (so what was
 * stored differed from what the 201 echoed); bidi controls let a name display as another.
 */
import type { Violation } from './errors.ts';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Embeddings, overrides, isolates and marks (U+202A–E, U+2066–9, U+200E/F, U+061C). */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** True when PostgreSQL stores the string exactly: no NUL, no unpaired surrogate. */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

export function hasBidiControl(s: string): boolean {
  return BIDI_CONTROL.test(s);
}

/** A name must show what it is: no character that reorders the text around it. */
export function checkNoBidiControl(field: string, value: string, what: string): Violation[] {
  if (!hasBidiControl(value)) return [];
  return [{ field, rule: 'bidiControl', message: `${what} may not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)` }];
}
