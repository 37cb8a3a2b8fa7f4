/**
 * fast-check arbitraries generated from an OpenAPI 3.1 document: for each operation, requests
 * whose path, query and body follow the declared schemas most of the time and break them the
 * rest — NUL, lone surrogates, bidi controls, huge and fractional numbers, long lists, unknown
 * members, wrong types — so a fuzz test reaches both the handlers and the validation around them.
 */
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface FuzzRequest {
  method: string;
  path: string;
  body: string | undefined;
  headers: Record<string, string>;
}

export interface FuzzOperation {
  method: string;
  template: string;
  request: fc.Arbitrary<FuzzRequest>;
}

/** Strings that have broken servers: NUL, lone surrogates, bidi controls, control characters, sizes. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDFFF',
  '\u202Eevil',
  '\u2066x\u2069',
  '\r\n',
  '%00',
  '../../etc/passwd',
  "'; drop table packages; --",
  '1e400',
  '-1',
  '0',
  '99999999999999999999999',
  'NaN',
  'x'.repeat(300),
  'y'.repeat(5000),
  '😀',
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }));
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 1.5, 1e-7, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 2, 1e300, -1e300, Number.MAX_VALUE, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const anyJson = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString, fc.constant([]), fc.constant({}));

/** Builds the arbitraries of every operation; `known` are strings worth trying where any string goes (names, IDs, regions). */
export function fuzzOperations(doc: OpenApiDocument, known: readonly string[]): FuzzOperation[] {
  const schemas = doc.components?.schemas ?? {};
  const anyString = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: hostileString });

  const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? resolve(schemas[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s);

  const valueOf = (raw: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    const s = resolve(raw);
    const variants = s.anyOf ?? s.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => valueOf(v, depth)));
    if (s.const !== undefined) return fc.oneof({ weight: 4, arbitrary: fc.constant(s.const) }, { weight: 1, arbitrary: anyJson });
    if (s.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: anyJson });
    const types = Array.isArray(s.type) ? s.type : [s.type ?? 'object'];
    const shaped = fc.oneof(...types.map((t) => typed(t, s, depth)));
    // A wrong type now and then: the validator's answer must still be a 400.
    return fc.oneof({ weight: 9, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
  };

  const typed = (type: string, s: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return anyString;
      case 'number':
      case 'integer': {
        const lo = s.minimum ?? -1000;
        const hi = s.maximum ?? 1000;
        return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: Math.max(lo, -1e6), max: Math.min(hi, 1e6) }) }, { weight: 2, arbitrary: hostileNumber });
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const item = depth > 4 ? anyJson : valueOf(s.items ?? {}, depth + 1);
        const long = fc.tuple(item, fc.integer({ min: (s.maxItems ?? 100) + 1, max: 5000 })).map(([x, n]) => Array.from({ length: n }, () => x));
        return fc.oneof({ weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) }, { weight: 1, arbitrary: long });
      }
      case 'object': {
        if (depth > 4) return fc.constant({});
        const props = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const members = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueOf(v, depth + 1)]));
        // Now and then a required member is missing.
        const known = fc.oneof(
          { weight: 8, arbitrary: fc.record(members, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) }) },
          { weight: 1, arbitrary: fc.record(members, { requiredKeys: [] }) },
        );
        const extraValue = typeof s.additionalProperties === 'object' ? valueOf(s.additionalProperties, depth + 1) : anyJson;
        const extra = fc.dictionary(anyString, extraValue, { maxKeys: typeof s.additionalProperties === 'object' ? 6 : 1 });
        const withExtra = typeof s.additionalProperties === 'object' ? 1 : 8;
        return fc.oneof(
          { weight: withExtra, arbitrary: known },
          { weight: 2, arbitrary: fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...(k as object) })) },
        );
      }
      default:
        return anyJson;
    }
  };

  /** A path segment or query value as a URL carries it; a lone surrogate becomes its (invalid) UTF-8 bytes. */
  const encode = (v: unknown): string => {
    const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
    try {
      return encodeURIComponent(text);
    } catch {
      return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80';
    }
  };

  const out: FuzzOperation[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const paramArbs = Object.fromEntries(params.map((p) => [`${p.in}:${p.name}`, valueOf(p.schema, 1)]));
      const requiredParams = params.filter((p) => p.required || p.in === 'path').map((p) => `${p.in}:${p.name}`);
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const body = bodySchema
        ? fc.oneof(
            { weight: 12, arbitrary: valueOf(bodySchema, 0).map((b) => JSON.stringify(b)) },
            { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '[]', '"x"', '{"a":') },
          )
        : fc.constant(undefined);
      const request = fc
        .record({ values: fc.record(paramArbs, { requiredKeys: requiredParams }), body })
        .map(({ values, body }): FuzzRequest => {
          let path = template;
          const query: string[] = [];
          const headers: Record<string, string> = {};
          for (const p of params) {
            const v = (values as Record<string, unknown>)[`${p.in}:${p.name}`];
            if (v === undefined) continue;
            if (p.in === 'path') path = path.replace(`{${p.name}}`, encode(v));
            else if (p.in === 'query') for (const one of Array.isArray(v) ? v : [v]) query.push(`${encodeURIComponent(p.name)}=${encode(one)}`);
            else if (typeof v === 'string' && /^[\x20-\x7e]*$/.test(v)) headers[p.name] = v;
          }
          if (body !== undefined) headers['content-type'] = 'application/json';
          return { method: method.toUpperCase(), path: query.length ? `${path}?${query.join('&')}` : path, body, headers };
        });
      out.push({ method: method.toUpperCase(), template, request });
    }
  }
  return out;
}
