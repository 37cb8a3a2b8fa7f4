/**
 * Builds dist/ before the suite: the tests that start `bin/imagenest.js` as a process then run
 * the compiled CLI users run, built from the sources under test (never a stale build).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/build.mjs')], { stdio: 'inherit' });
}
