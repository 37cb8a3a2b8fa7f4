#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through the `prepare` script, and by
// `npm run build`). A checkout installed without scripts has no dist/: it then runs the
// TypeScript sources through tsx, which works but starts several times slower.
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/runtime/main.ts');
}
