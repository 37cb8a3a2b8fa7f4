/**
 * The bounds every request field shares, so that no input reaches the store it cannot hold
 * and no list is long enough to make a huge answer: text PostgreSQL stores exactly (no NUL, no
 * lone surrogate) of bounded length, lists of bounded length, integers the database can hold.
 * These are hard limits above the domain's own field rules, which still report theirs.
 */
import { z } from '@hono/zod-openapi';
import { isStorableText } from '../domain/text-rules.ts';

/** Any text field without a tighter domain rule; far above every name and description. */
export const MAX_TEXT_CHARS = 4096;
/** PostgreSQL's integer. */
export const MAX_INT32 = 2_147_483_647;

/** A string PostgreSQL stores exactly as sent, at most `maxChars` UTF-16 units. */
export function text(maxChars: number = MAX_TEXT_CHARS) {
  return z
    .string()
    .max(maxChars)
    .refine(isStorableText, { message: 'contains a NUL character or an unpaired UTF-16 surrogate; send valid Unicode text', params: { rule: 'characters' } });
}

/** A request list of at most `maxItems` (the domain's limit where it has one). */
export function list<T extends z.ZodType>(item: T, maxItems: number) {
  return z.array(item).max(maxItems);
}

/** A number the database holds as an integer (the domain says which of them make sense). */
export function int32() {
  return z
    .number()
    .int()
    .min(-MAX_INT32 - 1)
    .max(MAX_INT32);
}
