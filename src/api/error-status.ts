/** The one table from error codes to HTTP statuses. */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { assertNever } from '../domain/assert-never.ts';
import type { ErrorCode } from '../domain/errors.ts';

export function httpStatus(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_REQUEST':
    case 'MALFORMED_JSON':
    case 'TEMPLATE_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'PACKAGE_NAME_TAKEN':
    case 'VERSION_NAME_TAKEN':
    case 'VERSION_LOCKED':
    case 'NO_DRAFT':
    case 'REGION_NOT_AVAILABLE':
    case 'SIMULATOR_ONLY':
    case 'INVALID_STATE_TRANSITION':
    case 'CONFLICT':
    case 'SERVICE_NAME_TAKEN':
    case 'PLACEHOLDER_NOT_FOUND':
    case 'SERVICE_NOT_READY':
    case 'SERVICE_NOT_DEPLOYABLE':
    case 'IMAGE_NOT_AVAILABLE_IN_REGION':
    case 'VERSION_IN_USE':
    case 'SOURCE_IMAGE_NOT_AVAILABLE':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'IDEMPOTENCY_KEY_REUSED':
    // Well-formed, but naming an image the cloud does not have for this account.
    case 'SOURCE_IMAGE_NOT_FOUND':
      return 422;
    case 'CLOUD_UNAVAILABLE':
      return 503;
    case 'INTERNAL':
    // The command line's own codes: the API never raises them, so one reaching here is a bug.
    case 'USAGE':
    case 'UNREACHABLE':
    case 'BAD_RESPONSE':
    case 'TIMEOUT':
    case 'INTERRUPTED':
    case 'DISTRIBUTION_FAILED':
    case 'TEMPLATE_NOT_RESOLVED':
    case 'NO_PUBLISHED_VERSION':
    case 'DEPLOYMENT_FAILED':
    // A process's start-up codes: raised before the API serves anything.
    case 'DATA_DIR_UNUSABLE':
    case 'DATA_DIR_UNSAFE':
    case 'DATA_DIR_IN_USE':
    case 'PORT_IN_USE':
      return 500;
    default:
      return assertNever(code);
  }
}
