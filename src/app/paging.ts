/**
 * Paging of the listings: the page size asked for, and the opaque token of the next page (the
 * last row's creation time and ID, base64url JSON), checked strictly on the way back in.
 */
import { validationError } from '../domain/errors.ts';
import type { PageCursor } from '../store/packages-repo.ts';

/** What encodeToken writes: an ISO instant as Date#toISOString gives it, and an ID as `ids` makes them. */
const TOKEN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TOKEN_ID = /^[a-z]{2,10}-[0-9a-z]{1,64}$/;

/**
 * A page token back to its cursor; VALIDATION_FAILED for anything this API did not issue. Both
 * parts reach SQL, so each must be exactly what encodeToken writes ('1' parses as a date in
 * JavaScript but not in PostgreSQL).
 */
export function decodeToken(token: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      TOKEN_INSTANT.test(parsed[0]) &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      new Date(parsed[0]).toISOString() === parsed[0] &&
      TOKEN_ID.test(parsed[1])
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw validationError([{ field: 'nextToken', rule: 'format', message: 'not a token this API returned; start again without nextToken' }]);
}

/** The token of the page after this row (rows are listed by creation time, then ID). */
export function encodeToken(p: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.id])).toString('base64url');
}

export const PAGE_LIMIT = { default: 20, max: 100 } as const;

/** The page size asked for, checked; the default when none. */
export function pageLimit(limit: number | undefined): number {
  const n = limit ?? PAGE_LIMIT.default;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_LIMIT.max) {
    throw validationError([{ field: 'limit', rule: 'range', message: `limit must be an integer from 1 to ${PAGE_LIMIT.max}; got ${n}` }]);
  }
  return n;
}
