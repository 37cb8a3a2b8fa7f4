/**
 * The web console: its built files (dist/web) at `/`, and its index page for every other
 * path that is not the API's, so a reload of `/packages/x` opens the app there. The API keeps
 * `/v1`, the probes and /metrics; the console's pages are public (they hold no data: every
 * datum comes from the API with the signed-in account's token).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './env.ts';

/** Paths that belong to the API, never to the console. */
export function isApiPath(p: string): boolean {
  return p === '/v1' || p.startsWith('/v1/') || p === '/healthz' || p === '/readyz' || p === '/metrics';
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Imagenest</title></head>
<body><main><h1>Imagenest</h1><p>The web console is not built in this installation: run <code>npm run build</code>
(or <code>npm ci</code>, which builds it), then restart the server. The API is at <a href="/v1/openapi.json">/v1</a>.</p></main></body></html>`;

/**
 * Serves the console from `root` (a directory with index.html). Hashed assets are cached for
 * good; the index is revalidated so a new build is picked up on reload.
 */
export function serveConsole(app: OpenAPIHono<ApiEnv>, root: string | undefined): void {
  if (root === undefined || !existsSync(path.join(root, 'index.html'))) {
    app.get('*', async (c, next) => (isApiPath(c.req.path) ? next() : c.html(NOT_BUILT, 200)));
    return;
  }
  const files = serveStatic<ApiEnv>({ root });
  const index = serveStatic<ApiEnv>({ root, path: 'index.html' });
  app.get('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    const asset = c.req.path.startsWith('/assets/');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    let found = true;
    const res = await files(c, async () => {
      found = false;
    });
    if (found) return res;
    // A missing asset is a 404, not the app: a stale page must not run index.html as a script.
    if (!asset) return index(c, next);
    c.header('Cache-Control', undefined);
    return next();
  });
}
