/**
 * A request body against its schema and its field rules, as violations: the one check the API
 * answers VALIDATION_FAILED with and the console runs before it sends a form. zod alone stops
 * short (a body missing a required member never reaches the domain's rules), so the rules run
 * over whatever parts of the body are well-typed, and one answer lists every failing field.
 */
import { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { Violation } from '../domain/errors.ts';

/** The field rules of one request body, over the members that have the right type. */
export type FieldRules<T> = (wellTyped: Partial<T>) => Violation[];

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
 * The schema's violations and, for the fields the schema did not already fault, the rules'
 * violations over the well-typed rest. `prefix` names the body's members as the rules do (a
 * draft's fields are `version.*` whether the draft comes inside a new package or alone).
 */
export function fieldViolations<T>(schemaError: ZodError, body: unknown, schema: z.ZodType<T>, rules: FieldRules<T>, prefix = ''): Violation[] {
  const fromSchema = zodViolations(schemaError, prefix);
  const rest = wellTypedPart(schema, body) as Partial<T> | undefined;
  // A body that is not even an object has no fields to check.
  const fromRules = rest === undefined ? [] : rules(rest).filter((v) => !fromSchema.some((s) => within(v.field, s.field)));
  return [...fromSchema, ...fromRules];
}

/** Every violation of `body`: none when the schema accepts it and the rules find nothing. */
export function bodyViolations<T>(body: unknown, schema: z.ZodType<T>, rules: FieldRules<T>, prefix = ''): Violation[] {
  const parsed = schema.safeParse(body);
  return parsed.success ? rules(parsed.data) : fieldViolations(parsed.error, body, schema, rules, prefix);
}
