/** Turns anything thrown or rejected into the JSON error body and its status. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { ErrorCode, ImagenestError, type Violation } from '../domain/errors.ts';
import { httpStatus } from './error-status.ts';

export function errorBody(code: string, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

/** zod issues as the same violations the domain reports. */
export function zodViolations(error: ZodError, prefix = ''): Violation[] {
  const out: Violation[] = [];
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: base ? `${base}.${key}` : key, rule: 'unknownField', message: `unknown field '${key}'` });
      }
    } else if (issue.code === 'invalid_type') {
      const missing = issue.message.includes('received undefined');
      out.push({
        field: base || '(body)',
        rule: missing ? 'required' : 'type',
        message: missing ? `required ${issue.expected}` : `expected ${issue.expected}`,
      });
    } else {
      const rule = issue.code === 'invalid_value' ? 'oneOf' : boundRule(issue);
      out.push({ field: base || '(body)', rule, message: issue.message });
    }
  }
  return out;
}

const BOUND_RULES: Record<string, [string, string]> = { array: ['minItems', 'maxItems'], set: ['minItems', 'maxItems'], string: ['minLength', 'maxLength'] };

/** The contract's bounds (contract/text.ts) named as the domain names its own. */
function boundRule(issue: ZodError['issues'][number]): string {
  if (issue.code === 'custom' && typeof issue.params?.rule === 'string') return issue.params.rule;
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return issue.code;
  const [min, max] = BOUND_RULES[issue.origin] ?? ['minimum', 'maximum'];
  return issue.code === 'too_small' ? min : max;
}

export function toErrorResponse(err: unknown, c: Context): { status: number; body: ReturnType<typeof errorBody> } {
  if (err instanceof ImagenestError) {
    return { status: httpStatus(err.code), body: errorBody(err.code, err.message, err.details) };
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) {
      return { status: 413, body: errorBody(ErrorCode.PAYLOAD_TOO_LARGE, 'request body is larger than 1 MiB') };
    }
    if (err.status === 415) {
      return {
        status: 415,
        body: errorBody(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `send the body as JSON with 'Content-Type: application/json'`),
      };
    }
    if (err.status === 400 && /json/i.test(err.message)) {
      return { status: 400, body: errorBody(ErrorCode.MALFORMED_JSON, 'the request body is not valid JSON') };
    }
    return { status: err.status, body: errorBody(ErrorCode.INVALID_REQUEST, err.message) };
  }
  c.get('log')?.error({ err }, 'unhandled error');
  return { status: 500, body: errorBody(ErrorCode.INTERNAL, 'internal error; the server log has the details') };
}
