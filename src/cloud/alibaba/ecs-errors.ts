/**
 * What kind of failure an ECS error is, from its code and HTTP status: what distribution does
 * with it (wait and retry, fail the region, treat the image as gone) follows from the kind.
 */
import { CloudError, type CloudErrorKind } from '../provider.ts';

const TRANSIENT_CODES = new Set(['ServiceUnavailable', 'InternalError', 'UnknownError', 'OperationConflict', 'LastTokenProcessing', 'NetworkError']);

export function ecsErrorKind(code: string, httpStatus: number | undefined): CloudErrorKind {
  if (code.startsWith('Throttling') || httpStatus === 429) return 'throttled';
  if (code === 'InvalidImageId.NotFound' || code === 'InvalidImage.NotFound') return 'notFound';
  if (code.startsWith('QuotaExceed')) return 'quota';
  if (TRANSIENT_CODES.has(code) || httpStatus === undefined || httpStatus >= 500) return 'transient';
  return 'permanent';
}

/** Shape of what the official SDK throws: a response error carries `code`, `statusCode` and ECS's body in `data`. */
interface SdkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  data?: { Code?: unknown; Message?: unknown } | null;
}

/** Turns whatever the SDK threw into a CloudError; errors without an HTTP status are network failures (transient). */
export function fromSdkError(err: unknown, action: string): CloudError {
  if (err instanceof CloudError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const bodyCode = typeof e.data?.Code === 'string' ? e.data.Code : undefined;
  const code = bodyCode ?? (status !== undefined && typeof e.code === 'string' ? e.code : 'NetworkError');
  const message =
    typeof e.data?.Message === 'string'
      ? e.data.Message
      : `${action} failed${typeof e.code === 'string' ? ` (${e.code})` : ''}: ${typeof e.message === 'string' ? e.message : String(err)}`;
  return new CloudError(ecsErrorKind(code, status), code, message, action, status ?? 503);
}
