/** The template engine on ROS inputs (Terraform in terraform.test.ts): formats, quirks, hostile input, and resolve as a pure splice. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, declaredParameters, detectFormat, resolve } from './engine.ts';
import { CORPUS_DIR, CORPUS_SKIP } from '../../test/support/corpus.ts';
import { FIXTURES_DIR } from '../../test/support/templates.ts';

const yaml = (imageLine: string, type = 'ALIYUN::ECS::Instance') =>
  `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Web:\n    Type: ${type}\n    Properties:\n      InstanceType: ecs.g7.large\n${imageLine}\n`;

const codes = (src: string, file = 't.yaml') => analyze(file, src).diagnostics.map((d) => [d.code, d.line, d.column]);

describe('ROS YAML', () => {
  it('finds plain, double- and single-quoted literals with the value position', () => {
    for (const [line, quote] of [
      ['      ImageId: app_image', 'plain'],
      ['      ImageId: "app_image"', 'double'],
      ["      ImageId: 'app_image'", 'single'],
    ] as const) {
      const a = analyze('t.yaml', yaml(line));
      expect(a.diagnostics).toEqual([]);
      expect(a.sites).toEqual([expect.objectContaining({ resource: 'Web', resourceType: 'ALIYUN::ECS::Instance', value: 'app_image', line: 7, column: 16, quote })]);
      const r = resolve(a, { app_image: 'm-bp1new' });
      expect(r.ok && r.text).toBe(yaml(line.replace('app_image', 'm-bp1new')));
    }
  });

  // The column is the value's: after a short tag, or at the function's key on the next line.
  it.each([
    ['      ImageId: !Ref ImageId', 7, 21],
    ['      ImageId: !Sub "${Prefix}-image"', 7, 21],
    ['      ImageId: !FindInMap [Images, !Ref "ALIYUN::Region", id]', 7, 27],
    ['      ImageId:\n        Ref: ImageId', 8, 9],
    ['      ImageId:\n        Fn::GetAtt: [Other, ImageId]', 8, 9],
    ['      ImageId:\n        Fn::If: [UseA, a, b]', 8, 9],
  ])('refuses %j as not a literal, at the value', (line, lineNo, column) => {
    const a = analyze('t.yaml', yaml(line));
    expect(a.sites).toEqual([]);
    expect(a.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'IMAGE_ID_NOT_LITERAL', resource: 'Web', line: lineNo, column })]);
  });

  it('refuses a number, a list or an empty value as invalid', () => {
    for (const line of ['      ImageId: 42', '      ImageId: [a, b]', '      ImageId: ""', '      ImageId:']) {
      expect(analyze('t.yaml', yaml(line)).diagnostics.map((d) => d.code)).toEqual(['IMAGE_ID_INVALID']);
    }
  });

  it('covers every supported resource type, including the ScalingGroup of the source table', () => {
    for (const type of ['ALIYUN::ECS::InstanceGroup', 'ALIYUN::ESS::ScalingConfiguration', 'ALIYUN::ESS::ScalingGroup', 'ALIYUN::EHPC::Cluster', 'ALIYUN::ECS::LaunchTemplate']) {
      expect(analyze('t.yaml', yaml('      ImageId: img', type)).sites).toHaveLength(1);
    }
    expect(analyze('t.yaml', yaml('      ImageId: !Ref X', 'ALIYUN::RDS::DBInstance')).diagnostics).toEqual([]);
  });

  it('finds a resource under a Condition the same way', () => {
    const src = yaml('      ImageId: img').replace('    Type:', '    Condition: UseWeb\n    Type:');
    expect(analyze('t.yaml', src).sites.map((s) => s.line)).toEqual([8]);
  });

  it('keeps CRLF, a BOM and a Chinese comment right before the value', () => {
    const src = '\uFEFF' + yaml('      # 指定镜像，日本語のコメント\n      ImageId: "app_image" # 镜像').replace(/\n/g, '\r\n');
    const a = analyze('t.yaml', Buffer.from(src, 'utf8'));
    expect(a.diagnostics).toEqual([]);
    expect(a.sites).toEqual([expect.objectContaining({ value: 'app_image', line: 8, column: 16 })]);
    const same = resolve(a, { app_image: 'app_image' });
    expect(same.ok && same.text).toBe(src);
    const r = resolve(a, { app_image: 'm-x1' });
    expect(r.ok && r.text).toBe(src.replace('"app_image"', '"m-x1"'));
  });

  it('warns of duplicate keys (the last wins), empty keys and unknown tags, without failing', () => {
    const src = yaml('      ImageId: first\n      ImageId: second\n      "": x\n      Other: !Custom y');
    const a = analyze('t.yaml', src);
    expect(a.sites.map((s) => s.value)).toEqual(['second']);
    expect(a.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'UNKNOWN_TAG'],
      ['warning', 'DUPLICATE_KEY'],
      ['warning', 'EMPTY_KEY'],
    ]);
  });

  it('reports a syntax error with its position', () => {
    const a = analyze('t.yaml', 'Resources:\n  Web: [unclosed\n');
    expect(a.diagnostics[0]).toMatchObject({ severity: 'error', code: 'SYNTAX_ERROR', line: expect.any(Number) });
    expect(resolve(a, { x: 'm-1' }).ok).toBe(false);
  });

  it('refuses a mapping for a placeholder the template does not have', () => {
    const r = resolve(analyze('t.yaml', yaml('      ImageId: img')), { other: 'm-1' });
    expect(r.ok || r.diagnostics.map((d) => d.code)).toEqual(['PLACEHOLDER_MISSING']);
  });
});

describe('ROS JSON', () => {
  const json = (image: string) =>
    `{\n  "ROSTemplateFormatVersion": "2015-09-01",\n  "Resources": {\n    "Web": {\n      "Type": "ALIYUN::ECS::Instance",\n      "Properties": {\n        "ImageId": ${image}\n      }\n    }\n  }\n}\n`;

  it('finds a string literal and resolves it in place', () => {
    const a = analyze('t.json', json('"app_image"'));
    expect(a.format).toBe('ros-json');
    expect(a.sites).toEqual([expect.objectContaining({ value: 'app_image', line: 7, column: 20, quote: 'double' })]);
    const r = resolve(a, { app_image: 'm-json1' });
    expect(r.ok && JSON.parse(r.text).Resources.Web.Properties.ImageId).toBe('m-json1');
  });

  it('keeps CRLF and a BOM byte for byte', () => {
    const src = '\uFEFF' + json('"app_image"').replace(/\n/g, '\r\n');
    const a = analyze('t.json', Buffer.from(src));
    expect(a.sites).toEqual([expect.objectContaining({ value: 'app_image', line: 7, column: 20 })]);
    const r = resolve(a, { app_image: 'm-crlf' });
    expect(r.ok && r.text).toBe(src.replace('"app_image"', '"m-crlf"'));
  });

  it('refuses {"Ref": …} and {"Fn::…": …}', () => {
    expect(codes(json('{"Ref": "ImageId"}'), 't.json')).toEqual([['IMAGE_ID_NOT_LITERAL', 7, 20]]);
    expect(codes(json('{"Fn::FindInMap": ["M", "a", "b"]}'), 't.json')).toEqual([['IMAGE_ID_NOT_LITERAL', 7, 20]]);
  });
});

describe('format detection', () => {
  it('uses the file name, then the content', () => {
    expect(detectFormat('main.tf', '')).toBe('terraform-hcl');
    expect(detectFormat('main.tf.json', '')).toBe('terraform-json');
    expect(detectFormat('t.json', '')).toBe('ros-json');
    expect(detectFormat('template', "ROSTemplateFormatVersion: '2015-09-01'")).toBe('ros-yaml');
    expect(detectFormat('template', '{"ROSTemplateFormatVersion": "2015-09-01"}')).toBe('ros-json');
    expect(detectFormat('template', 'hello')).toBeNull();
  });
});

// How long these take is measured in bench/, not asserted here (a shared CI machine is no clock).
describe('hostile input ends in a diagnostic, never an exception', () => {
  const diagnoses = (name: string, input: string | Uint8Array, code: string) => {
    expect(analyze(name, input).diagnostics.map((d) => d.code)).toContain(code);
  };

  it('an alias bomb', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('Resources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: *a9');
    // The alias is followed: the value is a list of lists, not a placeholder.
    diagnoses('bomb.yaml', lines.join('\n'), 'IMAGE_ID_INVALID');
  });

  it('an alias bomb over a shared placeholder: its uses cannot all be checked', () => {
    const lines = ['Resources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: &img app_image'];
    lines.push(`a0: &a0 [${Array(9).fill('*img').join(', ')}]`);
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    diagnoses('bomb.yaml', lines.join('\n'), 'TOO_LARGE');
  });

  it('nesting 10,000 deep', () => {
    diagnoses('deep.yaml', 'Resources: ' + '['.repeat(10_000) + ']'.repeat(10_000), 'SYNTAX_ERROR');
    diagnoses('deep2.yaml', 'Resources: ' + '{k: '.repeat(10_000) + '1' + '}'.repeat(10_000), 'SYNTAX_ERROR');
  });

  it('nesting 10,000 deep in Terraform', () => {
    diagnoses('deep.tf', 'locals {\n  x = ' + '['.repeat(10_000) + '\n}\n', 'SYNTAX_ERROR');
    diagnoses('deep.tf.json', '{"resource": ' + '['.repeat(10_000), 'SYNTAX_ERROR');
  });

  it('a 50 MiB file', () => diagnoses('big.yaml', new Uint8Array(50 * 1024 * 1024).fill(0x61), 'TOO_LARGE'));
  it('binary garbage', () => diagnoses('bin.yaml', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256 || 1).map((b, i) => (i === 100 ? 0 : b)), 'INVALID_ENCODING'));
  it('invalid UTF-8', () => diagnoses('bad.yaml', Buffer.concat([Buffer.from('Resources:\n  Web: '), Buffer.from([0xc3, 0x28])]), 'INVALID_ENCODING'));
});

describe('properties over mutated fixture and corpus files', () => {
  // Our fixtures always; the shared corpus too where it is checked out beside the repository.
  const dirs = [FIXTURES_DIR, ...(CORPUS_SKIP === null ? [CORPUS_DIR] : [])];
  const files = dirs.flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ya?ml|json|tf)$/.test(f) && !f.startsWith('computenest'))
      .map((f) => ({ f, text: readFileSync(path.join(root, f), 'utf8') })),
  );

  it('never throw, keep every position inside the file, resolve to identity, and splice only the placeholders', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 40 }), insert: fc.string({ maxLength: 12 }) }), { maxLength: 6 }),
        ({ f, text }, edits) => {
          let t = text;
          for (const e of edits) {
            const at = e.at % (t.length + 1);
            t = t.slice(0, at) + e.insert + t.slice(at + e.len);
          }
          const a = analyze(f, t);
          const lineCount = t.split('\n').length;
          for (const d of a.diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lineCount);
            expect(d.column).toBeGreaterThanOrEqual(1);
          }
          for (const s of a.sites) {
            expect(s.start).toBeGreaterThanOrEqual(0);
            expect(s.end).toBeLessThanOrEqual(t.length);
          }
          const same = resolve(a, {});
          expect(same.ok && same.text).toBe(t);
          if (!a.diagnostics.some((d) => d.severity === 'error') && a.sites.length > 0) {
            const r = resolve(a, Object.fromEntries(a.sites.map((x) => [x.value, 'm-test123'])));
            if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
            expect(analyze(f, r.text).sites.map((x) => [x.value, x.line, x.column])).toEqual(a.sites.map((x) => ['m-test123', x.line, x.column]));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('declared parameters (what a deployment may set)', () => {
  it('are the ROS Parameters keys, through an anchor too, and none without a Parameters section', () => {
    expect(analyze('t.yaml', `${yaml('      ImageId: app_image')}Parameters:\n  Size: {Type: String}\n  Zone:\n    Type: String\n`).parameters).toEqual(['Size', 'Zone']);
    expect(analyze('t.yaml', `common: &p\n  Size: {Type: String}\n${yaml('      ImageId: app_image')}Parameters:\n  <<: *p\n  Zone: {Type: String}\n`).parameters?.sort()).toEqual(['Size', 'Zone']);
    expect(analyze('t.json', JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: { Size: { Type: 'String' } }, Resources: {} })).parameters).toEqual(['Size']);
    expect(analyze('t.yaml', yaml('      ImageId: app_image')).parameters).toEqual([]);
  });

  it('are the Terraform variables, in HCL and JSON syntax', () => {
    expect(analyze('main.tf', 'variable "size" {\n  default = "s"\n}\nvariable zone {}\nresource "alicloud_instance" "web" {\n  image_id = "app_image"\n}\n').parameters).toEqual(['size', 'zone']);
    expect(analyze('main.tf.json', JSON.stringify({ variable: { size: { default: 's' } }, resource: { alicloud_instance: { web: { image_id: 'app_image' } } } })).parameters).toEqual(['size']);
  });

  it('are unknown (absent) when the file does not parse, or is ROS-managed Terraform (its Workspace is not read), so nothing is refused for them', () => {
    expect(analyze('t.yaml', 'Parameters:\n  Size: [\n').parameters).toBeUndefined();
    expect(analyze('main.tf', 'variable "size" {\n').parameters).toBeUndefined();
    const workspace = { ROSTemplateFormatVersion: '2015-09-01', Transform: 'Aliyun::Terraform-v1.5', Workspace: { 'main.tf': 'variable "size" {}\n' } };
    expect(analyze('t.json', JSON.stringify(workspace)).parameters).toBeUndefined();
  });

  it('of a template of several files: the union over the root module, null when one of its files cannot tell', () => {
    expect(declaredParameters([{ file: 'main.tf', parameters: ['size'] }, { file: 'variables.tf', parameters: ['zone', 'size'] }])?.sort()).toEqual(['size', 'zone']);
    // A module's variables are the module's: a deployment cannot set them.
    expect(declaredParameters([{ file: 'main.tf', parameters: ['size'] }, { file: 'modules/web/variables.tf', parameters: ['inner'] }])).toEqual(['size']);
    expect(declaredParameters([{ file: 'main.tf', parameters: ['size'] }, { file: 'notes.txt' }])).toBeNull();
    expect(declaredParameters([{ file: 'modules/web/broken.tf' }, { file: 'main.tf', parameters: [] }])).toEqual([]);
    expect(declaredParameters([{ file: 'infra/main.tf', parameters: ['size'] }])).toBeNull();
  });
});
