/** `imagenest template check|resolve` as users run them: no server, documented JSON, exit codes. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from './support/corpus.ts';
import { runCli } from './support/server-process.ts';

const CORPUS = CORPUS_DIR;
const ROS_OK = path.join(CORPUS, 'ros/aliyun__ros-templates__compute-nest-best-practice__ecs-mysql-deploy__template.yaml');
const ROS_BAD = path.join(CORPUS, 'ros/aliyun__ros-templates__resources__ess__scaling-group-enable.yml');

describe('imagenest template', () => {
  it('check --json prints exactly the documented shape and exits 1 on errors', async () => {
    const r = await runCli(['template', 'check', ROS_OK, ROS_BAD, '--json']);
    expect(r.code).toBe(1);
    expect(Object.keys(r.json)).toEqual(['files']);
    const [ok, bad] = r.json.files;
    expect(Object.keys(ok)).toEqual(['file', 'format', 'placeholders', 'diagnostics']);
    expect(ok.placeholders).toEqual([
      { resource: 'EcsInstance', resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId', value: 'centos_7_9_x64_20G_alibase_20220727.vhd', line: 274, column: 16 },
    ]);
    expect(Object.keys(bad.diagnostics[0]).sort()).toEqual(['code', 'column', 'line', 'message', 'resource', 'severity']);
    expect(bad.diagnostics.map((d: { code: string; line: number }) => [d.code, d.line])).toEqual([
      ['IMAGE_ID_NOT_LITERAL', 50],
      ['IMAGE_ID_NOT_LITERAL', 72],
    ]);
  });

  it('check prints a source excerpt with a caret, and exits 0 without errors', async () => {
    const bad = await runCli(['template', 'check', ROS_BAD]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('50 |         Ref: ImageId\n   |         ^');
    const ok = await runCli(['template', 'check', path.join(CORPUS, 'terraform')]);
    expect(ok.code).toBe(1); // one corpus file uses element(...) for image_id
    expect(ok.stdout).toContain('(terraform-hcl): 1 image placeholder(s)');
    const good = await runCli(['template', 'check', ROS_OK]);
    expect(good.code).toBe(0);
  });

  it('resolve replaces the placeholder and nothing else, to stdout or a file', async () => {
    const original = await readFile(ROS_OK, 'utf8');
    const r = await runCli(['template', 'resolve', ROS_OK, '--set', 'centos_7_9_x64_20G_alibase_20220727.vhd=m-test123']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(original.replace('"centos_7_9_x64_20G_alibase_20220727.vhd"', '"m-test123"'));
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'inest-')), 'out.yaml');
    const w = await runCli(['template', 'resolve', ROS_OK, '--set', 'centos_7_9_x64_20G_alibase_20220727.vhd=m-x', '-o', out]);
    expect(w.code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(original.replace('"centos_7_9_x64_20G_alibase_20220727.vhd"', '"m-x"'));
    const missing = await runCli(['template', 'resolve', ROS_OK, '--set', 'nope=m-1', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json.error.code).toBe('TEMPLATE_NOT_RESOLVED');
    expect((await runCli(['template', 'resolve', ROS_OK, '--set', 'novalue'])).code).toBe(2);
  });
});
