/**
 * The template engine over our own fixture templates (test/fixtures/templates), which reproduce
 * every quirk the shared corpus taught us: these run on any clone, with or without the corpus.
 * Expected placeholders and diagnostics were read off the fixtures by hand (line, column of the
 * value; a short tag's column is that of the value after the tag).
 */
import { describe, expect, it } from 'vitest';
import { analyze, resolve } from '../src/templates/engine.ts';
import { expectSpliceIdentity, readFixture } from './support/templates.ts';

type Site = [resource: string, resourceType: string, value: string, line: number, column: number, quote: string];
type Diag = [severity: string, code: string, resource: string | null, line: number, column: number];

interface Expected {
  format: string;
  sites: Site[];
  diagnostics: Diag[];
  /** A mapping, and the edits it must make on the original text (each snippet found exactly `times`). */
  replace?: { mapping: Record<string, string>; edits: [from: string, to: string, times: number][] };
}

const NOT_LITERAL = 'IMAGE_ID_NOT_LITERAL';

const expected: Record<string, Expected> = {
  'ros/quoting-and-short-tags.yaml': {
    format: 'ros-yaml',
    sites: [
      ['PlainInstance', 'ALIYUN::ECS::Instance', 'plain_image', 19, 16, 'plain'],
      ['SingleGroup', 'ALIYUN::ECS::InstanceGroup', 'single_image', 24, 16, 'single'],
      ['DoubleScaling', 'ALIYUN::ESS::ScalingConfiguration', 'double_image', 33, 16, 'double'],
      // Under a Condition, found like any other.
      ['WindowsGroup', 'ALIYUN::ECS::InstanceGroup', 'windows', 39, 16, 'plain'],
    ],
    // !Ref, !Sub, !GetAtt, !FindInMap, !Equals off the image property: no diagnostic.
    diagnostics: [
      ['warning', 'DUPLICATE_KEY', null, 41, 7],
      ['warning', 'EMPTY_KEY', null, 42, 7],
    ],
    replace: {
      mapping: { plain_image: 'm-plain', single_image: 'm-single', double_image: 'm-double', windows: 'm-win' },
      edits: [
        ['ImageId: plain_image\n', 'ImageId: m-plain\n', 1],
        ["ImageId: 'single_image'\n", "ImageId: 'm-single'\n", 1],
        ['ImageId: "double_image"\n', 'ImageId: "m-double"\n', 1],
        ['ImageId: windows\n', 'ImageId: m-win\n', 1],
      ],
    },
  },
  'ros/crlf-bom.yaml': {
    format: 'ros-yaml',
    sites: [['Web', 'ALIYUN::ECS::Instance', 'app_image', 8, 16, 'double']],
    diagnostics: [],
    replace: { mapping: { app_image: 'm-crlf' }, edits: [['ImageId: "app_image" # 镜像\r\n', 'ImageId: "m-crlf" # 镜像\r\n', 1]] },
  },
  'ros/image-expressions.yaml': {
    format: 'ros-yaml',
    sites: [],
    diagnostics: [
      ['error', NOT_LITERAL, 'ByRef', 15, 21],
      ['error', NOT_LITERAL, 'BySub', 19, 21],
      ['error', NOT_LITERAL, 'ByShortFindInMap', 23, 27],
      ['error', NOT_LITERAL, 'ByGetAtt', 27, 24],
      // Fn::FindInMap over per-region Mappings, and the long Ref: at the function's key.
      ['error', NOT_LITERAL, 'ByFindInMap', 32, 9],
      ['error', NOT_LITERAL, 'ByLongRef', 40, 9],
    ],
  },
  'ros/aliases.yaml': {
    format: 'ros-yaml',
    // A value reached through an alias or merge key is reported where it is written, once per resource.
    sites: [
      ['Web', 'ALIYUN::ECS::Instance', 'app_image', 8, 16, 'single'],
      ['WebCopy', 'ALIYUN::ECS::Instance', 'app_image', 8, 16, 'single'],
      ['Spare', 'ALIYUN::ECS::Instance', 'app_image', 8, 16, 'single'],
      ['Worker', 'ALIYUN::ECS::Instance', 'worker_image', 14, 24, 'plain'],
      ['Batch', 'ALIYUN::ECS::InstanceGroup', 'worker_image', 14, 24, 'plain'],
    ],
    diagnostics: [],
    replace: {
      mapping: { app_image: 'm-app', worker_image: 'm-worker' },
      edits: [
        ["ImageId: 'app_image'", "ImageId: 'm-app'", 1],
        ['&worker worker_image\n', '&worker m-worker\n', 1],
      ],
    },
  },
  'ros/template.json': {
    format: 'ros-json',
    sites: [['Web', 'ALIYUN::ECS::Instance', 'json_image', 10, 20, 'double']],
    diagnostics: [['error', NOT_LITERAL, 'Group', 15, 33]],
  },
  'terraform/literal.tf': {
    format: 'terraform-hcl',
    sites: [
      // count, a trailing # comment, interpolation elsewhere in the block.
      ['web', 'alicloud_instance', 'centos_7_9_x64_20G_alibase_20240403.vhd', 14, 19, 'double'],
      ['tpl', 'alicloud_ecs_launch_template', 'launch_image', 20, 14, 'double'],
      ['set', 'alicloud_ecs_instance_set', 'centos_7_9_x64_20G_alibase_20240403.vhd', 25, 14, 'double'],
    ],
    diagnostics: [],
    replace: {
      // Only one of the two placeholders: the other stays as written.
      mapping: { 'centos_7_9_x64_20G_alibase_20240403.vhd': 'm-tf' },
      edits: [
        ['= "centos_7_9_x64_20G_alibase_20240403.vhd" # replaced per region\n', '= "m-tf" # replaced per region\n', 1],
        ['image_id = "centos_7_9_x64_20G_alibase_20240403.vhd"\n', 'image_id = "m-tf"\n', 1],
      ],
    },
  },
  'terraform/expressions.tf': {
    format: 'terraform-hcl',
    sites: [],
    diagnostics: [
      ['error', NOT_LITERAL, 'by_var', 6, 14],
      ['error', NOT_LITERAL, 'by_local', 10, 14],
      ['error', NOT_LITERAL, 'by_data', 14, 14],
      ['error', NOT_LITERAL, 'by_interpolation', 18, 14],
      ['error', NOT_LITERAL, 'by_function', 23, 14],
      ['error', NOT_LITERAL, 'by_conditional', 27, 14],
      ['warning', 'MODULE_IMAGE_ID', 'ecs', 32, 14],
    ],
  },
  'terraform/main.tf.json': {
    format: 'terraform-json',
    sites: [['web', 'alicloud_instance', 'json_tf_image', 5, 60, 'double']],
    diagnostics: [
      ['error', NOT_LITERAL, 'other', 6, 29],
      ['warning', 'MODULE_IMAGE_ID', 'ecs', 9, 53],
    ],
  },
  'terraform/bundle/main.tf': {
    format: 'terraform-hcl',
    sites: [['app', 'alicloud_instance', 'app_image', 3, 19, 'double']],
    diagnostics: [],
  },
  'terraform/bundle/variables.tf': { format: 'terraform-hcl', sites: [], diagnostics: [] },
  'terraform/bundle/workers.tf': {
    format: 'terraform-hcl',
    sites: [
      ['workers', 'alicloud_ess_scaling_configuration', 'worker_image', 3, 22, 'double'],
      ['bastion', 'alicloud_instance', 'app_image', 7, 14, 'double'],
    ],
    diagnostics: [],
    replace: {
      mapping: { worker_image: "m-it's", app_image: 'm-app' },
      edits: [
        ['= "worker_image"', `= "m-it's"`, 1],
        ['= "app_image"', '= "m-app"', 1],
      ],
    },
  },
};

const hasErrors = (e: Expected) => e.diagnostics.some((d) => d[0] === 'error');

describe.each(Object.keys(expected))('fixture %s', (file) => {
  const e = expected[file]!;
  const { bytes, analysis: a } = readFixture(file);

  it('finds exactly the expected placeholders and diagnostics', () => {
    expect(a.format).toBe(e.format);
    expect(a.sites.map((s) => [s.resource, s.resourceType, s.value, s.line, s.column, s.quote])).toEqual(e.sites);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.resource ?? null, d.line, d.column])).toEqual(e.diagnostics);
  });

  if (e.sites.length > 0) it('splices every placeholder onto itself byte for byte', () => {
    expectSpliceIdentity(a, bytes);
  });

  it('returns the input for an empty mapping, errors or not', () => {
    const r = resolve(a, {});
    expect(r.ok && Buffer.from(r.text, 'utf8').equals(bytes)).toBe(true);
  });

  if (hasErrors(e)) it('refuses any mapping while the template has errors, with the errors', () => {
    // A placeholder that is present when there is one: only the error guard can refuse it.
    const r = resolve(a, { [a.sites[0]?.value ?? 'anything']: 'm-test123' });
    expect(r.ok || r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual(e.diagnostics.filter((d) => d[0] === 'error').map((d) => [d[1], d[3], d[4]]));
  });

  if (!hasErrors(e)) it('refuses a placeholder the template does not have', () => {
    const r = resolve(a, { not_in_this_file: 'm-1' });
    expect(r.ok || r.diagnostics.map((d) => d.code)).toEqual(['PLACEHOLDER_MISSING']);
  });

  if (e.replace) it('replaces the mapped placeholders, keeping their quoting, and nothing else', () => {
    const { mapping, edits } = e.replace!;
    let want = a.text;
    for (const [from, to, times] of edits) {
      expect(want.split(from).length - 1, from).toBe(times);
      want = want.replaceAll(from, to);
    }
    const r = resolve(a, mapping);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.text).toBe(want);
    expect(r.replaced).toBe(edits.reduce((n, [, , times]) => n + times, 0));
    // The result is still a template with the same sites, now holding the image IDs.
    const again = analyze(file, r.text);
    expect(again.diagnostics).toEqual(a.diagnostics);
    expect(again.sites.map((s) => [s.resource, s.value, s.line, s.column])).toEqual(a.sites.map((s) => [s.resource, mapping[s.value] ?? s.value, s.line, s.column]));
  });
});

describe('resolve renders each quoting style safely', () => {
  const { analysis: a } = readFixture('ros/quoting-and-short-tags.yaml');

  it('doubles a quote inside single quotes, and double-quotes a plain value that needs quoting', () => {
    const r = resolve(a, { single_image: "m-it's", plain_image: 'm 1: x', double_image: 'm-"q"' });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.text).toContain("ImageId: 'm-it''s'\n");
    expect(r.text).toContain('ImageId: "m 1: x"\n');
    expect(r.text).toContain('ImageId: "m-\\"q\\""\n');
    expect(analyze('t.yaml', r.text).sites.map((s) => s.value)).toEqual(['m 1: x', "m-it's", 'm-"q"', 'windows']);
  });
});
