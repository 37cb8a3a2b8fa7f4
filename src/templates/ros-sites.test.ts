/** ROS image sites one rule at a time: which nodes count, which last duplicate wins, what each refusal reports. */
import { describe, expect, it } from 'vitest';
import { analyze } from './engine.ts';

const doc = (resources: string) => `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n${resources}`;
const web = (image: string, type = 'ALIYUN::ECS::Instance') => doc(`  Web:\n    Type: ${type}\n    Properties:\n      ImageId: ${image}\n`);
const diags = (text: string, file = 't.yaml') => analyze(file, text).diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource]);

describe('what an ImageId may be', () => {
  it.each([
    // A tagged value is reported where the tagged node starts, after the tag.
    ['!Ref AppImage', 'IMAGE_ID_NOT_LITERAL', ['!Ref', 'AppImage'], 21],
    ['!Sub "img-${X}"', 'IMAGE_ID_NOT_LITERAL', ['Fn::Sub', 'img-${X}'], 21],
    ['!Join ["-", [a, b]]', 'IMAGE_ID_NOT_LITERAL', ['Fn::Join', '[…]'], 22],
    ['{Ref: AppImage}', 'IMAGE_ID_NOT_LITERAL', ['Ref: AppImage']],
    ['{Ref: "ALIYUN::Region"}', 'IMAGE_ID_NOT_LITERAL', ['Ref: ALIYUN::Region', 'pseudo']],
    ['{"Fn::Select": [0, [a]]}', 'IMAGE_ID_NOT_LITERAL', ['Fn::Select']],
    ['{Ref: [a]}', 'IMAGE_ID_NOT_LITERAL', ['Ref: …']],
    ['{Other: x}', 'IMAGE_ID_INVALID', ['mapping']],
    ['{Ref: a, Other: b}', 'IMAGE_ID_INVALID', ['mapping']],
    ['[a]', 'IMAGE_ID_INVALID', ['list']],
    ['42', 'IMAGE_ID_INVALID', ['42', 'number']],
    ['true', 'IMAGE_ID_INVALID', ['true', 'boolean']],
    ['~', 'IMAGE_ID_INVALID', ['null']],
    ['""', 'IMAGE_ID_INVALID', []],
    ["'  '", 'IMAGE_ID_INVALID', []],
    ['|\n        app', 'IMAGE_ID_INVALID', ['block']],
  ] as [string, string, string[], number?][])('%s → %s', (image, code, mentions, column = 16) => {
    const a = analyze('t.yaml', web(image));
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.resource])).toEqual([['error', code, 6, column, 'Web']]);
    for (const m of mentions) expect(a.diagnostics[0]!.message).toContain(m);
    expect(a.diagnostics[0]!.message).toContain('Web');
  });

  it('an alias leads to its anchored value: one that is also used outside an ImageId is a conflict, reported at the anchor', () => {
    // Followed as ROS does (issue 11): replacing the placeholder would also change the top-level `Img`.
    const a = analyze('t.yaml', `Img: &img app\n${web('*img')}`);
    expect(a.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['ALIASED_IMAGE_CONFLICT', 1, 11]]);
    expect(a.diagnostics[0]!.message).toContain("'app'");
  });

  it('an ImageId with no value at all is null, hence invalid', () => {
    expect(diags(web(''))).toEqual([['error', 'IMAGE_ID_INVALID', 6, 16, 'Web']]);
  });
});

describe('which resources count', () => {
  it('takes the last of duplicated keys, as ROS does', () => {
    const text = doc(`  Web:\n    Type: ALIYUN::RDS::DBInstance\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: first\n      ImageId: second\n`);
    expect(analyze('t.yaml', text).sites.map((s) => [s.value, s.line])).toEqual([['second', 8]]);
    const twice = `${doc('  A:\n    Type: ALIYUN::ECS::Instance\n    Properties: {ImageId: a}\n')}Resources:\n  B:\n    Type: ALIYUN::ECS::Instance\n    Properties: {ImageId: b}\n`;
    expect(analyze('t.yaml', twice).sites.map((s) => s.resource)).toEqual(['B']);
  });

  it('skips what is not a supported resource with properties holding ImageId', () => {
    const text = doc(
      [
        '  Rds:\n    Type: ALIYUN::RDS::DBInstance\n    Properties: {ImageId: x}',
        '  NoProps:\n    Type: ALIYUN::ECS::Instance',
        '  ListProps:\n    Type: ALIYUN::ECS::Instance\n    Properties: [ImageId]',
        '  NoImage:\n    Type: ALIYUN::ECS::Instance\n    Properties: {InstanceType: x}',
        '  Scalar: just text',
        '  NoType:\n    Properties: {ImageId: y}',
        '  ListType:\n    Type: [ALIYUN::ECS::Instance]\n    Properties: {ImageId: z}',
        '  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties: {ImageId: app}',
      ].join('\n') + '\n',
    );
    const a = analyze('t.yaml', text);
    expect(a.sites.map((s) => [s.resource, s.resourceType, s.property, s.value])).toEqual([['Web', 'ALIYUN::ECS::Instance', 'ImageId', 'app']]);
    expect(a.diagnostics).toEqual([]);
  });

  it('finds nothing without a Resources mapping', () => {
    expect(analyze('t.yaml', 'ROSTemplateFormatVersion: x\nResources: [a]\n').sites).toEqual([]);
    expect(analyze('t.yaml', '- ROSTemplateFormatVersion\n- Resources\n').sites).toEqual([]);
    expect(analyze('t.yaml', 'Outputs:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties: {ImageId: app}\n').sites).toEqual([]);
  });

  it('lists sites in text order, with the range of the literal, quotes included', () => {
    const text = doc(`  B:\n    Type: ALIYUN::ECS::Instance\n    Properties: {ImageId: 'two'}\n  A:\n    Type: ALIYUN::ECS::InstanceGroup\n    Properties:\n      ImageId: "one"\n`);
    const a = analyze('t.yaml', text);
    expect(a.sites.map((s) => [s.resource, text.slice(s.start, s.end), s.quote, s.line, s.column])).toEqual([
      ['B', "'two'", 'single', 5, 27],
      ['A', '"one"', 'double', 9, 16],
    ]);
  });

  it('counts positions and ranges in the whole text after a BOM', () => {
    const text = '\uFEFF' + web('app');
    const [s] = analyze('t.yaml', text).sites;
    expect([text.slice(s!.start, s!.end), s!.line, s!.column]).toEqual(['app', 6, 16]);
    const json = '\uFEFF{"Resources": {"W": {"Type": "ALIYUN::ECS::Instance", "Properties": {"ImageId": "app"}}}}';
    const [j] = analyze('t.json', json).sites;
    expect([json.slice(j!.start, j!.end), j!.line, j!.column, j!.quote]).toEqual(['"app"', 1, 82, 'double']);
  });
});

describe('warnings and syntax errors', () => {
  it('warns of unknown tags but not of ROS functions, and of empty and duplicate keys, at the key', () => {
    const text = doc(`  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: app\n      UserData: !Base64 x\n      Tags: !Foo x\n      "": 1\n      Zone: a\n      Zone: b\n`);
    expect(diags(text)).toEqual([
      ['warning', 'UNKNOWN_TAG', 8, 13, undefined],
      ['warning', 'EMPTY_KEY', 9, 7, undefined],
      ['warning', 'DUPLICATE_KEY', 11, 7, undefined],
    ]);
    const a = analyze('t.yaml', text);
    expect(a.diagnostics[0]!.message).toContain('!Foo');
    expect(a.diagnostics[2]!.message).toContain("'Zone'");
    expect(a.diagnostics.every((d) => !('resource' in d))).toBe(true);
    expect(a.sites).toHaveLength(1);
  });

  it('reports a syntax error at its position and finds no site', () => {
    const a = analyze('t.yaml', web('app') + '  Bad: [unclosed\n');
    expect(a.sites).toEqual([]);
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(a.diagnostics.every((d) => d.code === 'SYNTAX_ERROR' && d.severity === 'error')).toBe(true);
    expect(a.diagnostics[0]!.line).toBeGreaterThanOrEqual(8);
  });

  it('names the syntax it failed on: JSON for .json, YAML otherwise', () => {
    expect(analyze('t.json', '{"Resources": [}').diagnostics[0]!.message).toMatch(/^JSON/);
    expect(analyze('t.yaml', 'Resources: [}').diagnostics[0]!.message).toMatch(/^YAML/);
  });
});
