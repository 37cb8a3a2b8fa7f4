/** Assertions shared by the template suites (fixtures, corpus, engine properties). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { analyze, resolve } from '../../src/templates/engine.ts';
import type { Analysis } from '../../src/templates/model.ts';

/**
 * Identity through the splice: every placeholder mapped to its own value must give back the
 * input byte for byte. The empty mapping is a shortcut that never reaches the splice, so it
 * proves nothing here. Errors are set aside (the refusal has its own tests): the point is
 * that the splice itself keeps every byte, including the quoting of each site.
 */
export function expectSpliceIdentity(a: Analysis, input: string | Uint8Array = a.text): void {
  expect(a.sites.length, `${a.file} has no placeholder to splice`).toBeGreaterThan(0);
  const self = Object.fromEntries(a.sites.map((s) => [s.value, s.value]));
  const r = resolve({ ...a, diagnostics: a.diagnostics.filter((d) => d.severity !== 'error') }, self);
  if (!r.ok) throw new Error(`${a.file}: ${JSON.stringify(r.diagnostics)}`);
  // Sites reached through one YAML alias share one range, spliced once.
  expect(r.replaced).toBe(new Set(a.sites.map((s) => s.start)).size);
  if (typeof input === 'string') expect(r.text).toBe(input);
  else expect(Buffer.from(r.text, 'utf8').equals(Buffer.from(input))).toBe(true);
}

/** Our own fixture templates, written for these tests (see its README). */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/templates');

export function readFixture(file: string): { bytes: Buffer; analysis: Analysis } {
  const bytes = readFileSync(path.join(FIXTURES_DIR, file));
  return { bytes, analysis: analyze(file, bytes) };
}
