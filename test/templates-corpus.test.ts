/** Golden tests over the real ROS and Terraform corpus: placeholders and diagnostics exactly; resolve splices and nothing else. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from './support/corpus.ts';
import { analyze, resolve } from '../src/templates/engine.ts';

const CORPUS = CORPUS_DIR;

type Golden = { sites: [string, string, string, number, number][]; diagnostics: [string, string, string | null, number, number][] };

const golden: Record<string, Golden> = {
  'terraform/alibabacloud-automation__terraform-alicloud-autoscaling__examples__asg_basic__main.tf': {
    sites: [],
    diagnostics: [
      ['warning', 'MODULE_IMAGE_ID', 'ecs_instance', 90, 26],
      ['warning', 'MODULE_IMAGE_ID', 'example', 113, 32],
    ],
  },
  'terraform/alibabacloud-automation__terraform-alicloud-ecs-instance__main.tf': {
    sites: [],
    diagnostics: [['error', 'IMAGE_ID_NOT_LITERAL', 'this', 4, 41]],
  },
  'terraform/aliyun-computenest__ecs-terraform-demo__.computenest__templates__infrastructure__main.tf': {
    sites: [['instance', 'alicloud_instance', 'centos_7_9_x64_20G_alibase_20240403.vhd', 23, 32]],
    diagnostics: [],
  },
  'ros/aliyun-computenest__quickstart-ecs-image__.computenest__ros_templates__template.yaml': {
    sites: [['InstanceGroup', 'ALIYUN::ECS::InstanceGroup', 'centos_7_8_x64_20G_alibase_20211130.vhd', 157, 16]],
    diagnostics: [['warning', 'EMPTY_KEY', null, 202, 3]],
  },
  'ros/aliyun-computenest__quickstart-palo-world__.computenest__ros_templates__template1.yaml': {
    sites: [
      ['LinuxEcsInstanceGroup', 'ALIYUN::ECS::InstanceGroup', 'linux', 1141, 16],
      ['WindowsEcsInstanceGroup', 'ALIYUN::ECS::InstanceGroup', 'windows', 1185, 16],
    ],
    diagnostics: [],
  },
  'ros/aliyun__ros-templates__compute-nest-best-practice__ecs-mysql-deploy__template.yaml': {
    sites: [['EcsInstance', 'ALIYUN::ECS::Instance', 'centos_7_9_x64_20G_alibase_20220727.vhd', 274, 16]],
    diagnostics: [['warning', 'DUPLICATE_KEY', null, 262, 7]],
  },
  'ros/aliyun__ros-templates__compute-nest-best-practice__scaling-ecs__template.yml': {
    sites: [
      ['EcsInstanceGroup', 'ALIYUN::ECS::InstanceGroup', 'centos_7', 167, 16],
      ['EcsInstanceScalingConfiguration', 'ALIYUN::ESS::ScalingConfiguration', 'centos_7_9_x64_20G_alibase_20220727.vhd', 211, 16],
    ],
    diagnostics: [],
  },
  'ros/aliyun__ros-templates__documents__help__ecs__aiacc.yml': {
    sites: [],
    diagnostics: [['error', 'IMAGE_ID_NOT_LITERAL', 'EcsInstanceGroup', 140, 9]],
  },
  'ros/aliyun__ros-templates__resources__ess__scaling-group-enable.yml': {
    sites: [],
    diagnostics: [
      ['error', 'IMAGE_ID_NOT_LITERAL', 'ScalingConfiguration', 50, 9],
      ['error', 'IMAGE_ID_NOT_LITERAL', 'InstanceGroup', 72, 9],
    ],
  },
};

describe.each(Object.keys(golden))('corpus: %s', (file) => {
  const bytes = readFileSync(path.join(CORPUS, file));
  const a = analyze(file, bytes);

  it('finds exactly the expected placeholders and diagnostics', () => {
    expect(a.format).toBe(file.startsWith('ros/') ? 'ros-yaml' : 'terraform-hcl');
    expect(a.sites.map((s) => [s.resource, s.resourceType, s.value, s.line, s.column])).toEqual(golden[file]!.sites);
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.resource ?? null, d.line, d.column])).toEqual(golden[file]!.diagnostics);
  });

  it('resolves with an empty mapping to the same bytes', () => {
    const r = resolve(a, {});
    expect(r.ok && Buffer.from(r.text)).toEqual(bytes);
  });

  it('refuses to resolve a placeholder while the template has errors', () => {
    if (!golden[file]!.diagnostics.some((d) => d[0] === 'error')) return;
    const r = resolve(a, { anything: 'm-test123' });
    expect(r.ok).toBe(false);
  });

  it('replaces each placeholder by m-test123 and changes nothing else', () => {
    if (a.sites.length === 0) return;
    const mapping = Object.fromEntries(a.sites.map((s) => [s.value, 'm-test123']));
    const r = resolve(a, mapping);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const again = analyze(file, r.text);
    expect(again.sites.map((s) => [s.resource, s.value, s.line, s.column])).toEqual(a.sites.map((s) => [s.resource, 'm-test123', s.line, s.column]));
    // Outside the replaced values, the text is the original, character for character.
    let i = 0;
    let j = 0;
    for (const s of a.sites) {
      expect(r.text.slice(j, j + (s.start - i))).toBe(a.text.slice(i, s.start));
      j += s.start - i;
      const replacement = again.sites.find((x) => x.start === j)!;
      j = replacement.end;
      i = s.end;
    }
    expect(r.text.slice(j)).toBe(a.text.slice(i));
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (file.startsWith('ros/')) expect(parseDocument(r.text, { uniqueKeys: false }).errors).toEqual([]);
  });
});
