/**
 * How a request that fails its schema becomes VALIDATION_FAILED. zod alone stops short: a body
 * missing a required member never reaches the domain's field rules, so a missing `name` hid a
 * too-short `description`. A route can therefore add its field rules, run over whatever parts
 * of the body are well-typed, so that the one answer lists every failing field.
 */
import { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { validationError, type Violation } from '../domain/errors.ts';
import { zodViolations } from './errors.ts';

type HookResult = { target: string; success: boolean; error?: ZodError; data?: unknown };

/** The field rules of one request body, over the members that have the right type. */
export type FieldRules<T> = (wellTyped: Partial<T>) => Violation[];

function schemaViolations(result: HookResult, bodyPrefix = ''): Violation[] {
  // Path and header members are named with their place; body and query members by their own path.
  const prefix = result.target === 'param' || result.target === 'header' ? result.target : result.target === 'json' ? bodyPrefix : '';
  return zodViolations(result.error!, prefix);
}

/** The app-wide hook: every zod issue of the failing part of the request, as violations. */
export function validationHook(result: HookResult): void {
  if (!result.success) throw validationError(schemaViolations(result));
}

/** The members of `value` that `schema` accepts, object by object; a member of the wrong type is left out. */
export function wellTypedPart(schema: z.ZodType, value: unknown): unknown {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodObject) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      if (!Object.hasOwn(value, key)) continue;
      const part = wellTypedPart(member, (value as Record<string, unknown>)[key]);
      if (part !== undefined) out[key] = part;
    }
    return out;
  }
  return schema.safeParse(value).success ? value : undefined;
}

/** `field` is `other` or lies inside it (`version.name` inside `version`, `tags[0].key` inside `tags`). */
function within(field: string, other: string): boolean {
  return field === other || field.startsWith(`${other}.`) || field.startsWith(`${other}[`);
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
    const fromSchema = schemaViolations(result, bodyPrefix);
    const rest = wellTypedPart(schema, result.data) as Partial<T> | undefined;
    // A body that is not even an object has no fields to check.
    const fromRules = rest === undefined ? [] : rules(rest).filter((v) => !fromSchema.some((s) => within(v.field, s.field)));
    throw validationError([...fromSchema, ...fromRules]);
  };
}
