/**
 * Issue 12 scope 9: `template resolve` never leaves a placeholder unmapped silently, `--strict`
 * refuses it, an unknown `--set` lists the real placeholders, and a path that cannot be read or
 * written is a clear code (never INTERNAL).
 */
import { execFileSync } from 'node:child_process';
import { access, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/server-process.ts';

const TEMPLATE = [
  "ROSTemplateFormatVersion: '2015-09-01'",
  'Resources:',
  ...['Web:app_image', 'Db:db_image', 'Web2:app_image'].flatMap((r) => {
    const [name, image] = r.split(':');
    return [`  ${name}:`, '    Type: ALIYUN::ECS::Instance', '    Properties:', `      ImageId: ${image}`];
  }),
  '',
].join('\n');

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'inest-resolve-'));
  file = path.join(dir, 'template.yaml');
  await writeFile(file, TEMPLATE);
});

const warningsOf = (stderr: string) => stderr.split('\n').filter((l) => / warning PLACEHOLDER_UNMAPPED /.test(l));

describe('template resolve with placeholders left unmapped', () => {
  it('warns on stderr once per unmapped placeholder, at its first site, and exits 0 with the text unchanged there', async () => {
    const none = await runCli(['template', 'resolve', file]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(TEMPLATE);
    expect(warningsOf(none.stderr)).toEqual([
      expect.stringMatching(/template\.yaml:6:16: warning PLACEHOLDER_UNMAPPED \[Web\]: placeholder 'app_image'/),
      expect.stringMatching(/template\.yaml:10:16: warning PLACEHOLDER_UNMAPPED \[Db\]: placeholder 'db_image'/),
    ]);
    const some = await runCli(['template', 'resolve', file, '--set', 'app_image=m-app1', '--json']);
    expect(some.code).toBe(0);
    expect(some.json).toMatchObject({ replaced: 2, unmapped: ['db_image'] });
  });

  it('--strict refuses them: exit 1, TEMPLATE_NOT_RESOLVED, each as an error, and nothing written', async () => {
    const out = path.join(dir, 'strict-out.yaml');
    const r = await runCli(['template', 'resolve', file, '--set', 'app_image=m-app1', '--strict', '-o', out, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('TEMPLATE_NOT_RESOLVED');
    expect(r.json.error.details.diagnostics.map((d: { severity: string; code: string }) => [d.severity, d.code])).toEqual([['error', 'PLACEHOLDER_UNMAPPED']]);
    await expect(access(out)).rejects.toThrow();
    const human = await runCli(['template', 'resolve', file, '--strict']);
    expect([human.code, human.stdout]).toEqual([1, '']);
    expect(human.stderr).toContain('TEMPLATE_NOT_RESOLVED');
    const all = await runCli(['template', 'resolve', file, '--set', 'app_image=m-1', '--set', 'db_image=m-2', '--strict']);
    expect([all.code, all.stderr]).toEqual([0, '']);
  });

  it('an unknown --set name lists the placeholders the template has, in details and in the message', async () => {
    const r = await runCli(['template', 'resolve', file, '--set', 'app_imag=m-1', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('TEMPLATE_NOT_RESOLVED');
    expect(r.json.error.details.placeholders).toEqual(['app_image', 'db_image']);
    expect(r.json.error.details.diagnostics.map((d: { code: string }) => d.code)).toEqual(['PLACEHOLDER_MISSING']);
    expect(r.json.error.message).toContain("'app_image', 'db_image'");
    const human = await runCli(['template', 'resolve', file, '--set', 'app_imag=m-1']);
    // No source excerpt pointing at line 1, column 1: the name is missing from the whole file.
    expect(human.stderr).toMatch(/template\.yaml: error PLACEHOLDER_MISSING: .*'app_image', 'db_image'/);
    expect(human.stderr).not.toContain('1 | ');
  });
});

describe('template resolve on paths it cannot read or write', () => {
  it('answers each with its own read code under TEMPLATE_NOT_RESOLVED, never INTERNAL', async () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const big = path.join(dir, 'big.yaml');
    await writeFile(big, '');
    await truncate(big, 6 * 1024 * 1024);
    const cases: [string, string][] = [
      [path.join(dir, 'missing.yaml'), 'FILE_NOT_FOUND'],
      [dir, 'NOT_A_REGULAR_FILE'],
      [fifo, 'NOT_A_REGULAR_FILE'],
      ['/dev/zero', 'NOT_A_REGULAR_FILE'],
      [big, 'TOO_LARGE'],
    ];
    for (const [p, code] of cases) {
      const r = await runCli(['template', 'resolve', p, '--json']);
      expect([p, r.code, r.json.error.code, r.json.error.details.diagnostics.map((d: { code: string }) => d.code)]).toEqual([p, 1, 'TEMPLATE_NOT_RESOLVED', [code]]);
    }
  });

  it('service create reads its --template the same bounded way: a clear code before any request', async () => {
    const fifo = path.join(dir, 'service-pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    // No server at this URL: the file is refused before the CLI would call it.
    for (const [p, code] of [[path.join(dir, 'missing.yaml'), 'FILE_NOT_FOUND'], [fifo, 'NOT_A_REGULAR_FILE']] as const) {
      const r = await runCli(['--url', 'http://127.0.0.1:9', 'service', 'create', '--name', 'svc_x', '--template', p, '--json']);
      expect([r.code, r.json.error.code, r.json.error.details.diagnostics.map((d: { code: string }) => d.code)]).toEqual([1, 'TEMPLATE_INVALID', [code]]);
    }
  });

  it('answers an output path that cannot be written as wrong usage (exit 2), not INTERNAL', async () => {
    const r = await runCli(['template', 'resolve', file, '--set', 'app_image=m-1', '--set', 'db_image=m-2', '-o', dir, '--json']);
    expect([r.code, r.json.error.code]).toEqual([2, 'USAGE']);
    expect(await readFile(file, 'utf8')).toBe(TEMPLATE);
  });
});
