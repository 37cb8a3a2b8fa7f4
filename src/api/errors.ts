/** Turns anything thrown or rejected into the JSON error body and its status. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { httpStatus } from './error-status.ts';

export function errorBody(code: string, message: string, details: unknown = null) {
  return { error: { code, message, details } };
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
