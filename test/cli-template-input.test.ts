/**
 * Issue 11 finding 1: `template check|resolve` read a path whatever it names. The real CLI runs
 * here on a device, a FIFO, a 60 MiB file, a symlink loop and a missing file: each must end in
 * its own diagnostic with bounded memory (the child's peak RSS, reported by the child itself).
 */
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './support/server-process.ts';

const HOOK = path.resolve(import.meta.dirname, 'support/report-max-rss.mjs');
const MiB = 1024 * 1024;

interface Run {
  code: number;
  json: any;
  maxRssKB: number;
}

function runMeasured(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', HOOK, BIN, ...args], { maxBuffer: 64 * MiB }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const rss = /MAX_RSS_KB=(\d+)/.exec(stderr);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, json, maxRssKB: rss ? Number(rss[1]) : Number.NaN });
    });
  });
}

const codesOf = (r: Run) => r.json.files.map((f: { diagnostics: { code: string }[] }) => f.diagnostics.map((d) => d.code));

let dir: string;
let baseline: Run;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'inest-input-'));
  await writeFile(path.join(dir, 'small.yaml'), 'ROSTemplateFormatVersion: "2015-09-01"\n');
  baseline = await runMeasured(['template', 'check', path.join(dir, 'small.yaml'), '--json']);
  expect(baseline.code).toBe(0);
});

describe('template check on paths that are not small regular files', () => {
  it('refuses /dev/zero without reading it', async () => {
    const r = await runMeasured(['template', 'check', '/dev/zero', '--json']);
    expect(r.code).toBe(1);
    expect(codesOf(r)).toEqual([['NOT_A_REGULAR_FILE']]);
    expect(r.maxRssKB).toBeLessThan(200 * 1024);
  });

  it('refuses a FIFO without opening it for a blocking read', async () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await runMeasured(['template', 'check', fifo, '--json']);
    expect(codesOf(r)).toEqual([['NOT_A_REGULAR_FILE']]);
    expect(r.maxRssKB).toBeLessThan(200 * 1024);
  });

  it('refuses a 60 MiB file from its size, reading none of it', async () => {
    const big = path.join(dir, 'big.yaml');
    await writeFile(big, '');
    await truncate(big, 60 * MiB);
    const r = await runMeasured(['template', 'check', big, '--json']);
    expect(codesOf(r)).toEqual([['TOO_LARGE']]);
    expect(r.maxRssKB).toBeLessThan(200 * 1024);
    // Reading the file whole would add its 60 MiB to the peak; stat-first adds nothing like it.
    expect(r.maxRssKB - baseline.maxRssKB).toBeLessThan(30 * 1024);
  });

  it('reports each bad file of a directory and still checks the others', async () => {
    const bundle = path.join(dir, 'bundle');
    await mkdir(bundle);
    await writeFile(path.join(bundle, 'a.tf'), 'resource "alicloud_instance" "web" {\n  image_id = "app_image"\n}\n');
    await symlink(path.join(bundle, 'loop.tf'), path.join(bundle, 'loop.tf'));
    await symlink(path.join(bundle, 'gone'), path.join(bundle, 'dangling.tf'));
    await mkdir(path.join(bundle, 'sub.tf'));
    const r = await runMeasured(['template', 'check', bundle, path.join(dir, 'missing.yaml'), '--json']);
    expect(r.code).toBe(1);
    expect(r.json.files.map((f: { file: string }) => path.basename(f.file))).toEqual(['a.tf', 'dangling.tf', 'loop.tf', 'sub.tf', 'missing.yaml']);
    expect(codesOf(r)).toEqual([[], ['FILE_NOT_FOUND'], ['SYMLINK_LOOP'], ['NOT_A_REGULAR_FILE'], ['FILE_NOT_FOUND']]);
    expect(r.json.files[0].placeholders.map((p: { value: string }) => p.value)).toEqual(['app_image']);
  });

  it('resolve refuses what it cannot read, even with no mapping', async () => {
    const r = await runMeasured(['template', 'resolve', '/dev/zero', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('TEMPLATE_NOT_RESOLVED');
    expect(r.json.error.details.diagnostics.map((d: { code: string }) => d.code)).toEqual(['NOT_A_REGULAR_FILE']);
  });
});
