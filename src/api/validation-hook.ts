/**
 * How a request that fails its schema becomes VALIDATION_FAILED. zod alone stops short: a body
 * missing a required member never reaches the domain's field rules, so a missing `name` hid a
 * too-short `description`. A route can therefore add its field rules, run over whatever parts
 * of the body are well-typed, so that the one answer lists every failing field.
 */
import type { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { validationError } from '../domain/errors.ts';
import { fieldViolations, zodViolations, type FieldRules } from '../contract/field-check.ts';

export type { FieldRules };

type HookResult = { target: string; success: boolean; error?: ZodError; data?: unknown };

function schemaViolations(result: HookResult) {
  // Path and header members are named with their place; body and query members by their own path.
  const prefix = result.target === 'param' || result.target === 'header' ? result.target : '';
  return zodViolations(result.error!, prefix);
}

/** The app-wide hook: every zod issue of the failing part of the request, as violations. */
export function validationHook(result: HookResult): void {
  if (!result.success) throw validationError(schemaViolations(result));
}

/**
 * A route hook for a JSON body with field rules: on a schema failure, the schema's violations and,
 * for the fields the schema did not already fault, the rules' violations over the well-typed rest.
 * `bodyPrefix` names the body's members as the rules do (a draft's fields are `version.*`
 * whether the draft comes inside a new package or alone), so one answer uses one naming.
 */
export function withFieldRules<T>(schema: z.ZodType<T>, rules: FieldRules<T>, bodyPrefix = '') {
  return (result: HookResult): undefined => {
    if (result.success || result.target !== 'json') {
      validationHook(result);
      return undefined;
    }
    throw validationError(fieldViolations(result.error!, result.data, schema, rules, bodyPrefix));
  };
}
