/** Argument parsers of the CLI's flags: a bad value is a UsageError (exit 2). */
import { UsageError } from './errors.ts';

/** A repeatable flag's values, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A comma-separated list, blanks dropped. */
export const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export function parseTags(tags: string[] | undefined): { key: string; value: string }[] | undefined {
  if (!tags) return undefined;
  return tags.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag takes KEY=VALUE; got '${t}'`);
    return { key: t.slice(0, eq), value: t.slice(eq + 1) };
  });
}

export function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000) throw new UsageError(`--sim-speed must be a number in (0, 100000]; got '${value}'`);
  return n;
}

/** A seed: a whole number, 0 or more. */
export function parseSeed(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number (a seed); got '${value}'`);
    return n;
  };
}

export function parsePositiveInt(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer; got '${value}'`);
    return n;
  };
}

export function parseAccessKey(value: string): string {
  const i = value.indexOf(':');
  if (i <= 0 || i === value.length - 1) throw new UsageError(`--access-key takes ID:SECRET (e.g. imagenest-distribution:s3cret); got '${value}'`);
  return value;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be 0–65535; got '${value}'`);
  return n;
}

/** `--set PLACEHOLDER=IMAGE_ID`, repeated, as a mapping. */
export function parseMapping(pairs: string[] | undefined): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const kv of pairs ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0 || eq === kv.length - 1) throw new UsageError(`--set takes PLACEHOLDER=IMAGE_ID; got '${kv}'`);
    mapping[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return mapping;
}
