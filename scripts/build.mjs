#!/usr/bin/env node
// Builds what `imagenest` runs: our TypeScript bundled into dist/ by esbuild (dependencies stay
// in node_modules), split at the dynamic imports so a command loads only what it uses; and the
// web console (web/, React) into dist/web by Vite, which `imagenest server` serves at `/`.
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

// Vite is a development dependency: an install without them (`npm ci --omit=dev`) gets the API
// and the CLI, and a server that says the console is not built.
let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('build: vite is not installed; the web console is not built (dist/web)');
}
if (vite) await vite.build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
