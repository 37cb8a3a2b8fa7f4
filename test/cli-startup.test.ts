/**
 * What `imagenest` users run: the compiled CLI in dist/ (built by the suite's global setup, as
 * `npm ci` builds it through `prepare`), its `--version`, and that a command loads only what it
 * uses — the statically imported closure of dist/main.js holds no server, database, cloud or
 * template-engine package (those load on demand, behind `import()`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** The bare package names dist/main.js loads before running any command: static imports, followed through chunks. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(DIST, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('./')) visit(spec.slice(2));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe('the compiled CLI', () => {
  it('prints the package version with --version (and -V), exit 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect([r.code, r.stdout.trim()]).toEqual([0, version]);
    }
  });

  it('leaves --version after a command to that command (package image-id --version N)', async () => {
    const r = await runCli(['--url', 'http://127.0.0.1:1', 'package', 'image-id', 'app', '--version', '1', '--region', 'cn-hangzhou', '--json']);
    expect([r.code, r.json?.error?.code]).toEqual([1, 'UNREACHABLE']);
  });

  it('loads no server, database, cloud or template-engine package before a command asks for it', () => {
    const loaded = staticPackages('main.js');
    expect(loaded.has('commander')).toBe(true); // the walk follows real imports
    const heavy = ['web-tree-sitter', 'yaml', '@electric-sql/pglite', 'pg', 'pg-boss', 'kysely', 'hono', '@hono/node-server', '@hono/zod-openapi', 'pino', 'prom-client', '@alicloud/ecs20140526', '@alicloud/credentials', '@alicloud/openapi-core'];
    expect(heavy.filter((p) => loaded.has(p))).toEqual([]);
  });
});
