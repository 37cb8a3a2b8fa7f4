/**
 * resolve(): the splice. Analyses are built by hand here, so each case says exactly which
 * ranges are sites and the expected output can be written byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, resolve } from './engine.ts';
import type { Analysis, Diagnostic, ImageSite, Quote } from './model.ts';

/** An analysis of `text` whose sites are the given literals (found in order, quotes included). */
function analysisOf(text: string, literals: { raw: string; value: string; quote: Quote }[], diagnostics: Diagnostic[] = []): Analysis {
  const sites: ImageSite[] = [];
  let from = 0;
  for (const l of literals) {
    const start = text.indexOf(l.raw, from);
    if (start < 0) throw new Error(`test literal ${l.raw} not in text`);
    sites.push({ resource: `R${sites.length}`, resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId', value: l.value, line: 1, column: 1, start, end: start + l.raw.length, quote: l.quote });
    from = start + l.raw.length;
  }
  return { file: 't.yaml', format: 'ros-yaml', text, sites, diagnostics };
}

const plain = (v: string) => ({ raw: v, value: v, quote: 'plain' as const });
const warning: Diagnostic = { severity: 'warning', code: 'DUPLICATE_KEY', message: 'w', line: 1, column: 1 };
const error: Diagnostic = { severity: 'error', code: 'IMAGE_ID_INVALID', message: 'e', line: 2, column: 3 };

describe('resolve: what it refuses', () => {
  it('returns the text unchanged for an empty mapping, even when the analysis has errors', () => {
    const a = analysisOf('a: app\n', [plain('app')], [error]);
    expect(resolve(a, {})).toEqual({ ok: true, text: 'a: app\n', replaced: 0 });
  });

  it('refuses an analysis with errors, giving back only the errors', () => {
    const a = analysisOf('a: app\n', [plain('app')], [warning, error]);
    expect(resolve(a, { app: 'm-1' })).toEqual({ ok: false, diagnostics: [error] });
  });

  it('resolves despite warnings', () => {
    const a = analysisOf('a: app\n', [plain('app')], [warning]);
    expect(resolve(a, { app: 'm-1' })).toEqual({ ok: true, text: 'a: m-1\n', replaced: 1 });
  });

  it('names every mapped placeholder the template lacks, in mapping order', () => {
    const a = analysisOf('a: app\n', [plain('app')]);
    const r = resolve(a, { nope: 'm-1', app: 'm-2', other: 'm-3' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['error', 'PLACEHOLDER_MISSING', 1, 1],
      ['error', 'PLACEHOLDER_MISSING', 1, 1],
    ]);
    expect(r.diagnostics[0]!.message).toContain("'nope'");
    expect(r.diagnostics[1]!.message).toContain("'other'");
  });
});

describe('resolve: the splice', () => {
  it('replaces every site of each mapped placeholder and nothing else', () => {
    const text = 'x: app\ny: db\nz: app # app\n';
    const a = analysisOf(text, [plain('app'), plain('db'), plain('app')]);
    expect(resolve(a, { app: 'm-a' })).toEqual({ ok: true, text: 'x: m-a\ny: db\nz: m-a # app\n', replaced: 2 });
    expect(resolve(a, { db: 'm-d' })).toEqual({ ok: true, text: 'x: app\ny: m-d\nz: app # app\n', replaced: 1 });
    expect(resolve(a, { app: 'm-a', db: 'm-d' })).toEqual({ ok: true, text: 'x: m-a\ny: m-d\nz: m-a # app\n', replaced: 3 });
  });

  it('splices at the very start and the very end of the text', () => {
    const a = analysisOf('app', [plain('app')]);
    expect(resolve(a, { app: 'm-1' })).toEqual({ ok: true, text: 'm-1', replaced: 1 });
    const b = analysisOf('app app', [plain('app'), plain('app')]);
    expect(resolve(b, { app: 'img' })).toEqual({ ok: true, text: 'img img', replaced: 2 });
  });

  it('keeps the quoting of each site', () => {
    const text = `a: "app"\nb: 'app'\nc: app\n`;
    const a = analysisOf(text, [
      { raw: '"app"', value: 'app', quote: 'double' },
      { raw: "'app'", value: 'app', quote: 'single' },
      plain('app'),
    ]);
    expect(resolve(a, { app: 'm-1' })).toEqual({ ok: true, text: `a: "m-1"\nb: 'm-1'\nc: m-1\n`, replaced: 3 });
  });

  it.each([
    ['double', '"app"', `it's "x"`, `"it's \\"x\\""`],
    ['single', "'app'", `it's "x"`, `'it''s "x"'`],
    ['single', "'app'", `''`, `''''''`],
    ['plain', 'app', 'm-bp1', 'm-bp1'],
    ['plain', 'app', 'a', 'a'],
    ['plain', 'app', '_a.b-c/d9', '_a.b-c/d9'],
    ['plain', 'app', 'Z0', 'Z0'],
    ['plain', 'app', '-m', '"-m"'],
    ['plain', 'app', '.m', '".m"'],
    ['plain', 'app', '/m', '"/m"'],
    ['plain', 'app', 'm 1', '"m 1"'],
    ['plain', 'app', 'm:1', '"m:1"'],
    ['plain', 'app', 'm#', '"m#"'],
    ['plain', 'app', '', '""'],
    ['plain', 'app', 'é', '"é"'],
  ] as const)('renders a %s site %s mapped to %j as %s', (quote, raw, value, out) => {
    const a = analysisOf(`k: ${raw}\n`, [{ raw, value: 'app', quote }]);
    expect(resolve(a, { app: value })).toEqual({ ok: true, text: `k: ${out}\n`, replaced: 1 });
  });

  it('equals a rebuild from the pieces, for any text and mapping (property)', () => {
    const gap = fc.string({ maxLength: 8 }).map((s) => s.replace(/[pq]/g, ''));
    const name = fc.constantFrom('p1', 'p2', 'q3');
    const value = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(gap, name), { maxLength: 6 }), gap, fc.dictionary(name, value), (pieces, tail, mapping) => {
        const text = pieces.map(([g, n]) => g + n).join('') + tail;
        const a = analysisOf(text, pieces.map(([, n]) => ({ raw: n, value: n, quote: 'single' as const })));
        const present = new Set<string>(pieces.map(([, n]) => n));
        const r = resolve(a, mapping);
        if (Object.keys(mapping).some((k) => !present.has(k))) {
          expect(r.ok).toBe(false);
          return;
        }
        const expected = pieces.map(([g, n]) => g + (mapping[n] === undefined ? n : `'${mapping[n].replace(/'/g, "''")}'`)).join('') + tail;
        const replaced = pieces.filter(([, n]) => mapping[n] !== undefined).length;
        expect(r).toEqual({ ok: true, text: expected, replaced });
      }),
    );
  });
});

describe('resolve over real analyses', () => {
  it('maps each placeholder to itself and gives back the same bytes (identity through the splice)', () => {
    const text = '\uFEFFResources:\r\n  A:\r\n    Type: ALIYUN::ECS::Instance\r\n    Properties:\r\n      ImageId: "app" # 镜像\r\n  B:\r\n    Type: ALIYUN::ECS::Instance\r\n    Properties: {ImageId: \'db\'}\r\n';
    const a = analyze('t.yaml', text);
    expect(a.sites.map((s) => s.value)).toEqual(['app', 'db']);
    expect(resolve(a, { app: 'app', db: 'db' })).toEqual({ ok: true, text, replaced: 2 });
    expect(resolve(a, { db: 'm-x' })).toEqual({ ok: true, text: text.replace("'db'", "'m-x'"), replaced: 1 });
  });
});
