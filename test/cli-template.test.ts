/** `imagenest template check|resolve` as users run them: no server, documented JSON, exit codes; over our fixtures. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/server-process.ts';
import { FIXTURES_DIR } from './support/templates.ts';

const ROS_OK = path.join(FIXTURES_DIR, 'ros/crlf-bom.yaml');
const ROS_BAD = path.join(FIXTURES_DIR, 'ros/image-expressions.yaml');
const BUNDLE = path.join(FIXTURES_DIR, 'terraform/bundle');

describe('imagenest template', () => {
  it('check --json prints exactly the documented shape and exits 1 on errors', async () => {
    const r = await runCli(['template', 'check', ROS_OK, ROS_BAD, '--json']);
    expect(r.code).toBe(1);
    expect(Object.keys(r.json)).toEqual(['files']);
    const [ok, bad] = r.json.files;
    expect(Object.keys(ok)).toEqual(['file', 'format', 'placeholders', 'diagnostics']);
    expect(ok.placeholders).toEqual([{ resource: 'Web', resourceType: 'ALIYUN::ECS::Instance', property: 'ImageId', value: 'app_image', line: 8, column: 16 }]);
    expect(Object.keys(bad.diagnostics[0]).sort()).toEqual(['code', 'column', 'line', 'message', 'resource', 'severity']);
    expect(bad.diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
      ['IMAGE_ID_NOT_LITERAL', 15, 21],
      ['IMAGE_ID_NOT_LITERAL', 19, 21],
      ['IMAGE_ID_NOT_LITERAL', 23, 27],
      ['IMAGE_ID_NOT_LITERAL', 27, 24],
      ['IMAGE_ID_NOT_LITERAL', 32, 9],
      ['IMAGE_ID_NOT_LITERAL', 40, 9],
    ]);
  });

  it('check prints a source excerpt with a caret, and exits 0 without errors', async () => {
    const bad = await runCli(['template', 'check', ROS_BAD]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('15 |       ImageId: !Ref ImageId\n   |                     ^');
    const good = await runCli(['template', 'check', ROS_OK]);
    expect(good.code).toBe(0);
  });

  it('checks a directory as a bundle of every .tf file in it', async () => {
    const r = await runCli(['template', 'check', BUNDLE, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.files.map((f: { file: string; placeholders: { resource: string; value: string; line: number }[] }) => [path.basename(f.file), f.placeholders.map((p) => [p.resource, p.value, p.line])])).toEqual([
      ['main.tf', [['app', 'app_image', 3]]],
      ['variables.tf', []],
      ['workers.tf', [['workers', 'worker_image', 3], ['bastion', 'app_image', 7]]],
    ]);
    const expressions = await runCli(['template', 'check', path.join(FIXTURES_DIR, 'terraform/expressions.tf')]);
    expect(expressions.code).toBe(1);
  });

  it('resolve replaces the placeholder and nothing else (CRLF, BOM), to stdout or a file', async () => {
    const original = await readFile(ROS_OK, 'utf8');
    const r = await runCli(['template', 'resolve', ROS_OK, '--set', 'app_image=m-test123']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(original.replace('"app_image"', '"m-test123"'));
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'inest-')), 'out.yaml');
    const w = await runCli(['template', 'resolve', ROS_OK, '--set', 'app_image=m-x', '-o', out]);
    expect(w.code).toBe(0);
    expect(await readFile(out)).toEqual(Buffer.from(original.replace('"app_image"', '"m-x"'), 'utf8'));
    const missing = await runCli(['template', 'resolve', ROS_OK, '--set', 'nope=m-1', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json.error.code).toBe('TEMPLATE_NOT_RESOLVED');
    expect((await runCli(['template', 'resolve', ROS_OK, '--set', 'novalue'])).code).toBe(2);
  });
});
