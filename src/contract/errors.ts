/**
 * The error answer of the API: a closed set of codes, each with its meaning, and the shapes its
 * `details` take. Generated from the one error vocabulary of the domain (src/domain/errors.ts):
 * a code added there without a meaning here does not compile.
 */
import { z } from '@hono/zod-openapi';
import type { ErrorCode } from '../domain/errors.ts';

/**
 * Codes the API never answers: the command line's own (docs/cli.md), and those that stop a
 * process from starting (docs/operations.md).
 */
export type NotApiErrorCode =
  | 'USAGE'
  | 'UNREACHABLE'
  | 'BAD_RESPONSE'
  | 'TIMEOUT'
  | 'DISTRIBUTION_FAILED'
  | 'TEMPLATE_NOT_RESOLVED'
  | 'DEPLOYMENT_FAILED'
  | 'NO_PUBLISHED_VERSION'
  | 'INTERRUPTED'
  | 'DATA_DIR_UNUSABLE'
  | 'DATA_DIR_UNSAFE'
  | 'DATA_DIR_IN_USE'
  | 'PORT_IN_USE';
export type ApiErrorCode = Exclude<ErrorCode, NotApiErrorCode>;

export const API_ERROR_MEANINGS: Readonly<Record<ApiErrorCode, string>> = {
  VALIDATION_FAILED: 'a field broke a rule; `details.violations` lists every failing field with its rule (and `allowed` values when few)',
  INVALID_REQUEST: 'the request is malformed in a way no single field explains',
  MALFORMED_JSON: 'the body is not valid JSON',
  PAYLOAD_TOO_LARGE: 'the body is over 1 MiB',
  UNSUPPORTED_MEDIA_TYPE: "the body was not sent as 'Content-Type: application/json'",
  METHOD_NOT_ALLOWED: 'the path exists but not with this method',
  UNAUTHENTICATED: 'no bearer token, or one that belongs to no account',
  FORBIDDEN: 'the caller sees the resource but its role may not do this',
  NOT_FOUND: 'no such resource visible to the caller (another account’s resources are never revealed)',
  PACKAGE_NAME_TAKEN: 'the caller already has a package of that name',
  VERSION_NAME_TAKEN: 'the package already has a version of that name',
  VERSION_LOCKED: 'a published version’s content never changes; save a new draft',
  NO_DRAFT: 'the package has no draft to publish',
  REGION_NOT_AVAILABLE: 'the version has no Available image in that region (`details.region`, `details.state`)',
  SIMULATOR_ONLY: 'the route exists only on a server running the embedded cloud simulator',
  INVALID_STATE_TRANSITION: 'the resource is not in a state that allows this action',
  IDEMPOTENCY_KEY_REUSED: 'the Idempotency-Key was used before for a different request',
  CONFLICT: 'a concurrent change got there first, or the resource is being deleted; retry may succeed',
  INTERNAL: 'a bug; the server log has the details under the answer’s x-request-id',
  SERVICE_NAME_TAKEN: 'the caller already has a service of that name',
  TEMPLATE_INVALID: 'the template has errors (`details.diagnostics` with file, line and column)',
  PLACEHOLDER_NOT_FOUND: 'the template has no such image placeholder (`details.placeholders` lists those it has)',
  SERVICE_NOT_READY: 'the revision cannot be submitted yet (`details.problems` lists every problem)',
  SERVICE_NOT_DEPLOYABLE: 'the service has no Online revision the caller may deploy',
  IMAGE_NOT_AVAILABLE_IN_REGION: 'some placeholder has no Available image in the region (`details.refusals` names each); nothing was deployed',
  VERSION_IN_USE: 'an Online service revision or a live instance uses the version (`details.users` names them)',
  SOURCE_IMAGE_NOT_FOUND: 'the source image does not exist in the source region, or is not the owner’s own; fix the draft, no version number was spent',
  SOURCE_IMAGE_NOT_AVAILABLE: 'the source image exists but is not Available yet (still being created, or failed); publish once it is',
  CLOUD_UNAVAILABLE: 'the cloud could not be asked (throttled or unreachable); nothing was changed, try again',
};

const Violation = z
  .object({
    field: z.string(),
    rule: z.string(),
    message: z.string(),
    allowed: z.array(z.string()).optional(),
    didYouMean: z.string().optional().openapi({ description: 'for a near miss (a mistyped region ID or parameter name): the value most likely meant' }),
  })
  .openapi('Violation');

/** The shapes of `details`, by the codes that carry them; null for the rest. */
export const ErrorDetails = z
  .union([
    z
      .object({
        violations: z.array(Violation),
        omittedViolations: z.number().int().optional().openapi({ description: 'violations past the first 100, not listed' }),
      })
      .openapi({ description: 'VALIDATION_FAILED, *_NAME_TAKEN' }),
    z
      .object({
        refusals: z.array(
          z.object({
            placeholder: z.string().optional(),
            packageId: z.string(),
            packageName: z.string().optional(),
            version: z.union([z.number().int(), z.literal('draft')]),
            region: z.string(),
            state: z.string(),
          }),
        ),
      })
      .openapi({ description: 'IMAGE_NOT_AVAILABLE_IN_REGION' }),
    z.object({ region: z.string(), state: z.string() }).openapi({ description: 'REGION_NOT_AVAILABLE' }),
    z.object({ file: z.string(), diagnostics: z.array(z.object({ severity: z.string(), code: z.string(), message: z.string(), line: z.number().int(), column: z.number().int() }).passthrough()) }).openapi({ description: 'TEMPLATE_INVALID' }),
    z.object({ placeholder: z.string(), placeholders: z.array(z.string()) }).openapi({ description: 'PLACEHOLDER_NOT_FOUND' }),
    z.object({ problems: z.array(z.object({ kind: z.string() }).passthrough()) }).openapi({ description: 'SERVICE_NOT_READY' }),
    z.object({ users: z.array(z.object({ kind: z.enum(['revision', 'instance']), state: z.string() }).passthrough()) }).openapi({ description: 'VERSION_IN_USE' }),
    z.null(),
  ])
  .openapi('ErrorDetails');

export const API_ERROR_CODES = Object.keys(API_ERROR_MEANINGS) as [ApiErrorCode, ...ApiErrorCode[]];
