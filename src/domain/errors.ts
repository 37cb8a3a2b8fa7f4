/** The one error type of Imagenest: a stable code, context, and whether a retry may help. */

export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_REQUEST: 'INVALID_REQUEST',
  MALFORMED_JSON: 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  PACKAGE_NAME_TAKEN: 'PACKAGE_NAME_TAKEN',
  VERSION_NAME_TAKEN: 'VERSION_NAME_TAKEN',
  VERSION_LOCKED: 'VERSION_LOCKED',
  NO_DRAFT: 'NO_DRAFT',
  REGION_NOT_AVAILABLE: 'REGION_NOT_AVAILABLE',
  SIMULATOR_ONLY: 'SIMULATOR_ONLY',
  INVALID_STATE_TRANSITION: 'INVALID_STATE_TRANSITION',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  CONFLICT: 'CONFLICT',
  INTERNAL: 'INTERNAL',
  SERVICE_NAME_TAKEN: 'SERVICE_NAME_TAKEN',
  TEMPLATE_INVALID: 'TEMPLATE_INVALID',
  PLACEHOLDER_NOT_FOUND: 'PLACEHOLDER_NOT_FOUND',
  SERVICE_NOT_READY: 'SERVICE_NOT_READY',
  SERVICE_NOT_DEPLOYABLE: 'SERVICE_NOT_DEPLOYABLE',
  IMAGE_NOT_AVAILABLE_IN_REGION: 'IMAGE_NOT_AVAILABLE_IN_REGION',
  VERSION_IN_USE: 'VERSION_IN_USE',
  /** The draft's source image does not exist in its source region, or is not the package owner's own image. */
  SOURCE_IMAGE_NOT_FOUND: 'SOURCE_IMAGE_NOT_FOUND',
  /** The draft's source image exists but is not `Available` (still being created, failed, deprecated). */
  SOURCE_IMAGE_NOT_AVAILABLE: 'SOURCE_IMAGE_NOT_AVAILABLE',
  /** The cloud could not be asked (throttled, unreachable); nothing was changed, and asking again may help. */
  CLOUD_UNAVAILABLE: 'CLOUD_UNAVAILABLE',
  // Raised by the command line itself, never answered by the API.
  /** Wrong usage of a command (exit status 2). */
  USAGE: 'USAGE',
  /** No answer from the server at the URL given. */
  UNREACHABLE: 'UNREACHABLE',
  /** The server's answer was not what the API promises. */
  BAD_RESPONSE: 'BAD_RESPONSE',
  /** A wait (`--wait`, `--timeout`) ran out; the work goes on in the server. */
  TIMEOUT: 'TIMEOUT',
  /** Ctrl-C while following a distribution (exit status 130); the distribution goes on in the server. */
  INTERRUPTED: 'INTERRUPTED',
  /** A distribution followed with `--wait` ended with failed regions. */
  DISTRIBUTION_FAILED: 'DISTRIBUTION_FAILED',
  /** `template resolve` could not splice every mapping into the template. */
  TEMPLATE_NOT_RESOLVED: 'TEMPLATE_NOT_RESOLVED',
  /** A deployment (`instance create`, `service test`) ended Failed; `details` has the deployer's code. */
  DEPLOYMENT_FAILED: 'DEPLOYMENT_FAILED',
  /** `--version latest` on a package with no published version. */
  NO_PUBLISHED_VERSION: 'NO_PUBLISHED_VERSION',
  // Raised by a process as it starts (server, worker, emulator, `admin reset-token`), before it serves.
  /** The data directory cannot be used: not a directory, not writable, or a file in it cannot be written. */
  DATA_DIR_UNUSABLE: 'DATA_DIR_UNUSABLE',
  /** Others could write the data directory (group or other write permission, or another owner). */
  DATA_DIR_UNSAFE: 'DATA_DIR_UNSAFE',
  /** Another running process holds the data directory's embedded database. */
  DATA_DIR_IN_USE: 'DATA_DIR_IN_USE',
  /** The address and port to listen on are taken by another process. */
  PORT_IN_USE: 'PORT_IN_USE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CODES = new Set<string>(Object.values(ErrorCode));
/** True for a code of the union (e.g. one read from an API answer). */
export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && CODES.has(s);
}

/** One broken field rule: which field (dotted path), which rule, and a sentence for people. */
export interface Violation {
  field: string;
  rule: string;
  message: string;
  /** The values that would pass, when they are few enough to list (e.g. the regions a product is sold in). */
  allowed?: string[];
  /** For a near-miss value (a mistyped region ID): the value most likely meant. */
  didYouMean?: string;
}

export interface ErrorContext {
  packageId?: string;
  version?: string;
  region?: string;
  resource?: string;
}

export class ImagenestError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly context: ErrorContext;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; context?: ErrorContext; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImagenestError';
    this.code = code;
    this.details = options.details ?? null;
    this.context = options.context ?? {};
    this.retryable = options.retryable ?? false;
  }
}

/**
 * How much of a validation error is answered: a request with 90,000 bad list items must not get
 * a 20 MB error body. Beyond these, `details.omittedViolations` counts what was left out.
 */
export const VIOLATION_REPORT_LIMITS = { violations: 100, inMessage: 10, fieldChars: 200, messageChars: 300 } as const;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * A request that broke one or more field rules; `details.violations` lists every one, up to
 * VIOLATION_REPORT_LIMITS (fields and messages echo input, so they are clipped too).
 */
export function validationError(violations: readonly Violation[]): ImagenestError {
  const { violations: maxViolations, inMessage, fieldChars, messageChars } = VIOLATION_REPORT_LIMITS;
  const shown = violations.slice(0, maxViolations).map((v) => ({ ...v, field: clip(v.field, fieldChars), message: clip(v.message, messageChars) }));
  const omitted = violations.length - shown.length;
  const summary = shown.slice(0, inMessage).map((v) => `${v.field}: ${v.message}`).join('; ');
  const more = violations.length > inMessage ? `; and ${violations.length - inMessage} more` : '';
  return new ImagenestError(ErrorCode.VALIDATION_FAILED, `invalid request: ${summary}${more}`, {
    details: omitted > 0 ? { violations: shown, omittedViolations: omitted } : { violations: shown },
  });
}

export function notFound(kind: string, id: string): ImagenestError {
  return new ImagenestError(ErrorCode.NOT_FOUND, `${kind} '${id}' not found`, {
    context: { resource: id },
  });
}
