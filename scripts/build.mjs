#!/usr/bin/env node
// Builds what `imagenest` runs: our TypeScript bundled into dist/ by esbuild (dependencies stay
// in node_modules), split at the dynamic imports so a command loads only what it uses.
// Run by `npm ci`/`npm install` (the `prepare` script), by `npm test` before the suite, and by hand
// (`npm run build`) after changing src/ when you run the CLI through `bin/`.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
await rm(path.join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/runtime/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
