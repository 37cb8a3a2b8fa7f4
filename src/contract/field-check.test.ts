/** A body against its schema and its field rules: every broken field in one list, the schema's fault first, none when clean. */
import { describe, expect, it } from 'vitest';
import { createPackageViolations } from '../domain/package.ts';
import { bodyViolations } from './field-check.ts';
import { CreatePackageRequest } from './schemas.ts';

const rules = (b: Parameters<typeof createPackageViolations>[0]) => createPackageViolations(b).violations;
const clean = {
  name: 'web_app',
  description: 'The web application server image',
  version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1abc', regions: ['cn-shanghai'] } },
};

describe('bodyViolations', () => {
  it('finds nothing in a clean body', () => {
    expect(bodyViolations(clean, CreatePackageRequest, rules)).toEqual([]);
  });

  it("reports the domain's rules over a well-typed body", () => {
    const v = bodyViolations({ ...clean, name: 'ab', description: 'short' }, CreatePackageRequest, rules);
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['name', 'length'],
      ['description', 'length'],
    ]);
  });

  it('reports a schema fault and, beside it, the rules the well-typed rest breaks', () => {
    const v = bodyViolations({ ...clean, name: 7, description: 'short', extra: true }, CreatePackageRequest, rules);
    expect(v.map((x) => [x.field, x.rule])).toEqual([
      ['name', 'type'],
      ['extra', 'unknownField'],
      ['description', 'length'],
    ]);
  });
});
