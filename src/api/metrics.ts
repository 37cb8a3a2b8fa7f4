/** `/metrics`: the Prometheus registry as it is in memory, optionally behind a bearer token of its own. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { ErrorCode } from '../domain/errors.ts';
import type { ApiEnv } from './env.ts';
import { errorBody } from './errors.ts';

export interface MetricsOptions {
  registry: Registry;
  /** When set, a scrape must send `Authorization: Bearer <token>`; API tokens do not open it. */
  token?: string | undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Serves the registry. Nothing here touches the database: the registry's gauges are refreshed
 * in the background, so scrapers never queue behind the API's queries.
 */
export function serveMetrics(app: Hono<ApiEnv>, { registry, token }: MetricsOptions): void {
  // Compared as digests of equal length, so the comparison time says nothing about the token.
  const expected = token ? digest(token) : undefined;
  app.get('/metrics', async (c) => {
    if (expected) {
      const sent = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!sent || !timingSafeEqual(digest(sent), expected)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return c.json(errorBody(ErrorCode.UNAUTHENTICATED, 'send the metrics token: Authorization: Bearer <--metrics-token>'), 401);
      }
    }
    return c.text(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
}
