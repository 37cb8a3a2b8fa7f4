/**
 * The ECS API's request parameters as the emulator reads them (flat `Name.N` lists, `Tag.N.Key`,
 * booleans, bounded integers), and the parameter errors ECS answers with a 400.
 */
import type { CloudTag } from '../provider.ts';
import { RpcError as ParamError } from './rpc-envelope.ts';

/** A parameter is missing or malformed: the product's code, answered by the envelope with HTTP 400. */
export { ParamError };

export type Params = URLSearchParams;

export function required(p: Params, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw new ParamError(`MissingParameter`, `the input parameter "${name}" that is mandatory for processing this request is not supplied`);
  return v;
}

/** `Name.1`, `Name.2`, … in index order (ECS's flat list style). */
export function list(p: Params, name: string): string[] {
  const out: [number, string][] = [];
  const key = new RegExp(`^${name.replaceAll('.', '\\.')}\\.(\\d+)$`);
  for (const [k, v] of p) {
    const m = key.exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function tags(p: Params): CloudTag[] {
  const out: CloudTag[] = [];
  for (const [k, key] of p) {
    const m = /^Tag\.(\d+)\.Key$/.exec(k);
    if (m) out.push({ key, value: p.get(`Tag.${m[1]}.Value`) ?? '' });
  }
  return out;
}

export function bool(p: Params, name: string): boolean | undefined {
  const raw = p.get(name);
  if (raw === null) return undefined;
  if (raw !== 'true' && raw !== 'false') throw new ParamError(`InvalidParameter.${name}`, `${name} must be true or false; got ${raw}`);
  return raw === 'true';
}

export function positiveInt(p: Params, name: string, fallback: number, max: number): number {
  const raw = p.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ParamError(`InvalidParameter.${name}`, `${name} must be an integer from 1 to ${max}; got ${raw}`);
  return n;
}

/** One page of `items`: `PageNumber` (from 1) and `PageSize` (ECS's default 10, at most `maxPageSize`). */
export function page<T>(p: Params, items: readonly T[], maxPageSize = 100): { TotalCount: number; PageNumber: number; PageSize: number; items: T[] } {
  const pageSize = positiveInt(p, 'PageSize', 10, maxPageSize);
  const pageNumber = positiveInt(p, 'PageNumber', 1, 1_000_000);
  return { TotalCount: items.length, PageNumber: pageNumber, PageSize: pageSize, items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) };
}

/** ECS's time format: ISO 8601 in UTC, to the second (`2026-01-01T00:00:00Z`) or, for instances, the minute. */
export function ecsTime(d: Date, unit: 'second' | 'minute' = 'second'): string {
  const iso = d.toISOString();
  return unit === 'second' ? iso.replace(/\.\d{3}Z$/, 'Z') : `${iso.slice(0, 16)}Z`;
}
