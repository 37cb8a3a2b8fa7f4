/**
 * GET /v1/events/stream: server-sent events telling the console what of the caller's changed
 * (`event: change`, data `{"areas": ["packages"]}`), so it reloads that without polling. Each
 * tick compares the caller's activity stamps (app/activity.ts), which only the caller's own
 * rows and listings move; the stream carries area names, never data.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { activityStamps, AREAS, changedAreas } from '../app/activity.ts';
import type { AppDeps } from '../app/deps.ts';
import { ErrorBody } from '../contract/schemas.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json } from './openapi.ts';

export interface LiveEventOptions {
  /** Resolves when the stream should look again (every second by default); tests tick by hand. */
  nextTick?: () => Promise<void>;
  /** Aborted when the server shuts down: open streams end so the server can close. */
  shutdown?: AbortSignal;
}

const TICK_MS = 1_000;
/** Quiet ticks between keep-alive comments, so proxies do not drop an idle stream. */
const KEEPALIVE_TICKS = 15;

export function eventRoutes(deps: AppDeps, options: LiveEventOptions = {}): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  const nextTick = options.nextTick ?? (() => new Promise<void>((r) => setTimeout(r, TICK_MS)));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/events/stream',
      summary: "Server-sent events naming the areas of the caller's that changed",
      security: bearer,
      responses: {
        200: {
          content: { 'text/event-stream': { schema: z.string().openapi({ example: 'event: change\ndata: {"areas":["packages"]}\n\n' }) } },
          description: "`event: ready` once, then `event: change` with `{areas}` (packages, services, instances) whenever something of the caller's in them changed",
        },
        401: json(ErrorBody, 'missing or unknown token'),
      },
    }),
    (c) => {
      const caller = c.var.caller;
      return streamSSE(c, async (stream) => {
        let open = true;
        const end = () => {
          open = false;
        };
        stream.onAbort(end);
        options.shutdown?.addEventListener('abort', end, { once: true });
        try {
          let last = await activityStamps(deps, caller);
          await stream.writeSSE({ event: 'ready', data: JSON.stringify({ areas: AREAS }) });
          let quiet = 0;
          while (open && !options.shutdown?.aborted) {
            await nextTick();
            if (!open || options.shutdown?.aborted) break;
            const now = await activityStamps(deps, caller);
            const areas = changedAreas(last, now);
            last = now;
            if (areas.length > 0) {
              quiet = 0;
              await stream.writeSSE({ event: 'change', data: JSON.stringify({ areas }) });
            } else if (++quiet % KEEPALIVE_TICKS === 0) {
              await stream.write(': keep-alive\n\n');
            }
          }
        } catch (err) {
          // The database went away (or failed) under an open stream: end it, and the console's
          // EventSource reconnects once the server answers again. Logged, never thrown into the void.
          c.var.log.warn({ err }, "event stream ended: looking at the caller's activity failed");
        }
        options.shutdown?.removeEventListener('abort', end);
      });
    },
  );
  return app;
}
