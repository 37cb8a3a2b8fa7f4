/**
 * Golden tests over the real ROS and Terraform corpus (../shared/corpus, never copied here):
 * placeholders and diagnostics exactly, as its README's "image sites" column lists them; resolve
 * splices and nothing else. Skipped with a note where the corpus is absent, required in CI.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, CORPUS_SKIP } from './support/corpus.ts';
import { expectSpliceIdentity } from './support/templates.ts';
import { analyze, resolve } from '../src/templates/engine.ts';
import type { Analysis } from '../src/templates/model.ts';

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

const loaded = new Map<string, { bytes: Buffer; a: Analysis }>();
/** Read on first use, so that collecting the skipped suite touches no missing file. */
function load(file: string): { bytes: Buffer; a: Analysis } {
  let hit = loaded.get(file);
  if (!hit) {
    const bytes = readFileSync(path.join(CORPUS_DIR, file));
    hit = { bytes, a: analyze(file, bytes) };
    loaded.set(file, hit);
  }
  return hit;
}

const errorsOf = (file: string) => golden[file]!.diagnostics.filter((d) => d[0] === 'error');

describe.skipIf(CORPUS_SKIP !== null)('template corpus', () => {
  describe.each(Object.keys(golden))('%s', (file) => {
    const g = golden[file]!;

    it('finds exactly the expected placeholders and diagnostics', () => {
      const { a } = load(file);
      expect(a.format).toBe(file.startsWith('ros/') ? 'ros-yaml' : 'terraform-hcl');
      expect(a.sites.map((s) => [s.resource, s.resourceType, s.value, s.line, s.column])).toEqual(g.sites);
      expect(a.diagnostics.map((d) => [d.severity, d.code, d.resource ?? null, d.line, d.column])).toEqual(g.diagnostics);
    });

    it('resolves an empty mapping to the same bytes, errors or not', () => {
      const { a, bytes } = load(file);
      const r = resolve(a, {});
      expect(r.ok && Buffer.from(r.text, 'utf8').equals(bytes)).toBe(true);
    });

    if (g.sites.length > 0) {
      it('splices every placeholder onto itself byte for byte', () => {
        const { a, bytes } = load(file);
        expectSpliceIdentity(a, bytes);
      });
    }

    if (errorsOf(file).length > 0) {
      it('refuses to resolve while the template has errors, answering with those errors', () => {
        const { a } = load(file);
        const r = resolve(a, { [a.sites[0]?.value ?? 'anything']: 'm-test123' });
        expect(r.ok || r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual(errorsOf(file).map((d) => [d[1], d[3], d[4]]));
      });
    } else {
      it('refuses a placeholder the template does not have', () => {
        const r = resolve(load(file).a, { not_in_this_file: 'm-1' });
        expect(r.ok || r.diagnostics.map((d) => d.code)).toEqual(['PLACEHOLDER_MISSING']);
      });
    }

    if (g.sites.length > 0 && errorsOf(file).length === 0) {
      it('replaces each placeholder by m-test123, in its own quoting, and changes nothing else', () => {
        const { a } = load(file);
        const mapping = Object.fromEntries(a.sites.map((s) => [s.value, 'm-test123']));
        const r = resolve(a, mapping);
        if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
        expect(r.replaced).toBe(g.sites.length);
        const again = analyze(file, r.text);
        expect(again.sites.map((s) => [s.resource, s.value, s.line, s.column, s.quote])).toEqual(a.sites.map((s) => [s.resource, 'm-test123', s.line, s.column, s.quote]));
        // Outside the replaced values, the text is the original, character for character.
        let i = 0;
        let j = 0;
        for (const [k, s] of a.sites.entries()) {
          expect(r.text.slice(j, j + (s.start - i))).toBe(a.text.slice(i, s.start));
          expect(again.sites[k]!.start).toBe(j + (s.start - i));
          j = again.sites[k]!.end;
          i = s.end;
        }
        expect(r.text.slice(j)).toBe(a.text.slice(i));
        expect(again.diagnostics).toEqual(a.diagnostics);
        if (file.startsWith('ros/')) expect(parseDocument(r.text, { uniqueKeys: false }).errors).toEqual([]);
      });
    }
  });
});
