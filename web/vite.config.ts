/** The console's build: web/ → dist/web, JSX by Vite's own transform (no React plugin). */
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  oxc: { jsx: { runtime: 'automatic' } },
  // `npx vite web` during development: the API of a local `imagenest server` on its default port.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
