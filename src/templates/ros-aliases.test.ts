/**
 * Issue 11 finding 4: YAML aliases and merge keys in ROS templates. The image value ROS sees
 * through `*alias` or `<<:` must be found (a placeholder) or diagnosed (an expression), with the
 * anchored value's position and the alias's; resolve splices the anchored value once, and only
 * when nothing but image sites uses it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, resolve } from './engine.ts';

const HEAD = 'ROSTemplateFormatVersion: "2015-09-01"\n';
const INSTANCE = 'ALIYUN::ECS::Instance';

const sitesOf = (text: string) => analyze('t.yaml', HEAD + text).sites.map((s) => [s.resource, s.value, s.line, s.column, (s.via ?? []).map((v) => [v.alias, v.line, v.column])]);
const codesOf = (text: string) => analyze('t.yaml', HEAD + text).diagnostics.map((d) => [d.code, d.resource ?? null, d.line, d.column]);

// Each case: where the alias or merge sits, written with a placeholder value `V`.
const shapes: Record<string, (v: string) => string> = {
  'a whole resource (Web: *inst)': (v) => `Resources:\n  Api: &inst\n    Type: ${INSTANCE}\n    Properties:\n      ImageId: ${v}\n  Web: *inst\n`,
  'Properties: *props': (v) => `Resources:\n  Api:\n    Type: ${INSTANCE}\n    Properties: &props\n      ImageId: ${v}\n  Web:\n    Type: ${INSTANCE}\n    Properties: *props\n`,
  'ImageId: *img': (v) => `Resources:\n  Api:\n    Type: ${INSTANCE}\n    Properties:\n      ImageId: &img ${v}\n  Web:\n    Type: ${INSTANCE}\n    Properties:\n      ImageId: *img\n`,
  '<<: *base': (v) =>
    `Resources:\n  Api: &base\n    Type: ${INSTANCE}\n    Properties:\n      ImageId: ${v}\n  Web:\n    <<: *base\n    Metadata: {}\n`,
  '<<: [*a, *b] in Properties': (v) =>
    `Resources:\n  Api:\n    Type: ${INSTANCE}\n    Properties: &a\n      ImageId: ${v}\n  Db:\n    Type: ${INSTANCE}\n    Properties: &b\n      ImageId: ${v}\n      InstanceType: ecs.g7.large\n  Web:\n    Type: ${INSTANCE}\n    Properties:\n      <<: [*a, *b]\n`,
};

describe('YAML aliases and merge keys in ROS templates', () => {
  it('finds the placeholder behind an alias, at the anchored value, naming the alias', () => {
    expect(sitesOf(shapes['a whole resource (Web: *inst)']!('app_image'))).toEqual([
      ['Api', 'app_image', 6, 16, []],
      ['Web', 'app_image', 6, 16, [['inst', 7, 8]]],
    ]);
    expect(sitesOf(shapes['ImageId: *img']!('app_image'))).toEqual([
      ['Api', 'app_image', 6, 21, []],
      ['Web', 'app_image', 6, 21, [['img', 10, 16]]],
    ]);
    expect(sitesOf(shapes['<<: *base']!('app_image'))[1]).toEqual(['Web', 'app_image', 6, 16, [['base', 8, 9]]]);
  });

  for (const [name, shape] of Object.entries(shapes)) {
    it(`${name}: a placeholder is found for every resource and spliced once`, () => {
      const text = HEAD + shape('app_image');
      const a = analyze('t.yaml', text);
      expect(a.diagnostics).toEqual([]);
      expect(new Set(a.sites.map((s) => s.resource))).toEqual(new Set(name.includes('[*a, *b]') ? ['Api', 'Db', 'Web'] : ['Api', 'Web']));
      expect(resolve(a, {})).toEqual({ ok: true, text, replaced: 0 });
      const r = resolve(a, { app_image: 'm-123' });
      const anchors = name.includes('[*a, *b]') ? 2 : 1;
      expect(r).toEqual({ ok: true, text: text.replaceAll('app_image', 'm-123'), replaced: anchors });
    });

    for (const expr of ['!Ref ImageId', '{"Fn::FindInMap": [Images, !Ref "ALIYUN::Region", web]}']) {
      it(`${name}: ${expr.slice(0, 16)} behind it is IMAGE_ID_NOT_LITERAL for every resource`, () => {
        const a = analyze('t.yaml', HEAD + shape(expr));
        const codes = a.diagnostics.map((d) => [d.code, d.resource]);
        expect(codes).toContainEqual(['IMAGE_ID_NOT_LITERAL', 'Web']);
        expect(codes.every(([c]) => c === 'IMAGE_ID_NOT_LITERAL')).toBe(true);
        expect(a.sites).toEqual([]);
      });
    }
  }

  it('an own key overrides a merged one, and the first merge source wins', () => {
    const text = `Resources:\n  Api: &base\n    Type: ${INSTANCE}\n    Properties:\n      ImageId: app_image\n  Web:\n    <<: *base\n    Properties:\n      ImageId: web_image\n`;
    expect(sitesOf(text).map((s) => [s[0], s[1]])).toEqual([['Api', 'app_image'], ['Web', 'web_image']]);
    const first = `Resources:\n  Web:\n    Type: ${INSTANCE}\n    Properties:\n      <<: [&a {ImageId: first}, &b {ImageId: second}]\n`;
    expect(sitesOf(first).map((s) => s[1])).toEqual(['first']);
  });

  it('refuses a placeholder shared with a use that is not an image site', () => {
    const outputs = `${shapes['ImageId: *img']!('app_image')}Outputs:\n  Image:\n    Value: *img\n`;
    expect(codesOf(outputs)).toEqual([['ALIASED_IMAGE_CONFLICT', 'Api', 6, 21]]);
    const a = analyze('t.yaml', HEAD + outputs);
    expect(resolve(a, { app_image: 'm-1' }).ok).toBe(false);
    expect(resolve(a, {})).toEqual({ ok: true, text: HEAD + outputs, replaced: 0 });
    // The same Properties on a resource type without an image property: splicing would change it.
    const other = `Resources:\n  Api:\n    Type: ${INSTANCE}\n    Properties: &props\n      ImageId: app_image\n  Custom:\n    Type: ALIYUN::ROS::CustomResource\n    Properties: *props\n`;
    expect(codesOf(other).map((c) => c[0])).toEqual(['ALIASED_IMAGE_CONFLICT']);
  });

  it('property: any number of resources sharing one anchor splice it once, every other byte kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom('plain', "'single'", '"double"'), fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), (n, quoted, id) => {
        const value = quoted === 'plain' ? 'ph' : quoted.replace(/[a-z]+/, 'ph');
        const users = Array.from({ length: n }, (_, i) => `  R${i}: *inst\n`).join('');
        const text = `${HEAD}Resources:\n  Base: &inst\n    Type: ${INSTANCE}\n    Properties: {ImageId: ${value}}\n${users}`;
        const a = analyze('t.yaml', text);
        expect(a.sites).toHaveLength(n + 1);
        const r = resolve(a, { ph: `m-${id}` });
        expect(r.ok && r.replaced).toBe(1);
        const rendered = quoted === 'plain' ? `m-${id}` : quoted.replace(/[a-z]+/, `m-${id}`);
        expect(r.ok && r.text).toBe(text.replace(`ImageId: ${value}`, `ImageId: ${rendered}`));
      }),
    );
  });
});
