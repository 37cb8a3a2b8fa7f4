/** The HTTP API: middleware, auth, routes, OpenAPI document. */
import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { authenticate } from '../app/accounts.ts';
import type { AppDeps } from '../app/deps.ts';
import { REGIONS } from '../domain/regions.ts';
import { ErrorCode, ImagenestError } from '../domain/errors.ts';
import { Region } from '../contract/schemas.ts';
import type { ApiEnv } from './env.ts';
import { errorBody, toErrorResponse } from './errors.ts';
import { finishDocument } from './openapi-document.ts';
import { validationHook } from './validation-hook.ts';
import { accountRoutes } from './routes-accounts.ts';
import { packageRoutes } from './routes-packages.ts';
import { serviceRoutes } from './routes-services.ts';
import { distributionRoutes } from './routes-distribution.ts';
import { simulatorRoutes } from './routes-simulator.ts';
import { instanceRoutes } from './routes-instances.ts';
import { serveMetrics } from './metrics.ts';
import { isApiPath, serveConsole } from './console.ts';
import { eventRoutes, type LiveEventOptions } from './routes-events.ts';
import type { Deployer } from '../cloud/deployer.ts';
import type { SimulatorAdmin } from '../cloud/simulator-port.ts';
import type { Registry } from 'prom-client';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiOptions {
  logger: Logger;
  /** Checked by /readyz: resolves when ready. By default, when the database answers a query. */
  ready?: () => Promise<void>;
  version?: string;
  /** The embedded cloud simulator, when the server runs on it. */
  simulator?: SimulatorAdmin;
  /** Served at /metrics in Prometheus text format. */
  metrics?: Registry;
  /** Required of /metrics scrapes when set (`--metrics-token`). */
  metricsToken?: string | undefined;
  /** Runs service instances; without one, /v1/instances and service tests are not served. */
  deployer?: Deployer;
  /** The console's event stream: its ticks and the server's shutdown. */
  liveEvents?: LiveEventOptions;
  /** The built web console (dist/web), served at `/`; undefined: the API alone. */
  console?: { root: string | undefined };
}

/** Paths served without an API token (/metrics checks its own). */
const PUBLIC = new Set(['/healthz', '/readyz', '/metrics', '/v1/openapi.json', '/v1/regions']);

export function createApi(deps: AppDeps, options: ApiOptions): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 128) || randomUUID();
    const log = options.logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    // Headers are never logged: they carry bearer tokens.
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        account: c.get('caller')?.accountId,
      },
      'request',
    );
  });

  app.use('*', async (c, next) => {
    if (PUBLIC.has(c.req.path) || (options.console && !isApiPath(c.req.path))) return next();
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new ImagenestError(ErrorCode.UNAUTHENTICATED, "send 'Authorization: Bearer <token>'; an admin creates tokens with 'imagenest account create'");
    }
    const account = await authenticate(deps, match[1]!);
    if (!account) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new ImagenestError(ErrorCode.UNAUTHENTICATED, 'unknown token');
    }
    c.set('caller', { accountId: account.id, role: account.role });
    return next();
  });

  // After authentication: a body from someone without a token is never read, not even to count it.
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody(ErrorCode.PAYLOAD_TOO_LARGE, `request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB)`), 413),
    }),
  );

  app.onError((err, c) => {
    const { status, body } = toErrorResponse(err, c);
    return c.json(body, status as 400);
  });
  app.notFound((c) => c.json(errorBody(ErrorCode.NOT_FOUND, `no route ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await (options.ready ? options.ready() : sql`select 1`.execute(deps.db));
      return c.json({ status: 'ready' });
    } catch (err) {
      c.get('log').warn({ err }, 'not ready');
      return c.json({ status: 'not ready' }, 503);
    }
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/regions',
      summary: 'The region catalogue',
      responses: { 200: { content: { 'application/json': { schema: z.object({ items: z.array(Region) }) } }, description: 'regions' } },
    }),
    (c) => c.json({ items: REGIONS.map((r) => ({ ...r })) }, 200),
  );

  app.route('/', accountRoutes(deps));
  app.route('/', packageRoutes(deps));
  app.route('/', serviceRoutes(deps));
  app.route('/', distributionRoutes(deps));
  app.route('/', eventRoutes(deps, options.liveEvents));
  if (options.deployer) app.route('/', instanceRoutes(deps, options.deployer));
  if (options.simulator) app.route('/', simulatorRoutes(options.simulator));
  else {
    app.all('/v1/sim/*', (c) =>
      c.json(
        errorBody(
          ErrorCode.SIMULATOR_ONLY,
          'this server distributes on a real cloud, not the embedded simulator: make source images in your cloud account (on an `imagenest emulator`, with ECS CreateImage)',
        ),
        409,
      ),
    );
  }
  if (options.metrics) serveMetrics(app, { registry: options.metrics, token: options.metricsToken });

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  // Generated from the routes once, on first request, then finished (openapi-document.ts); the
  // server listed is the one the document was fetched from.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/v1/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Imagenest API',
        version: options.version ?? '0.1.0',
        description: 'Deployment packages: one VM image, replicated to every region, resolved into templates at deploy time. Errors answer `{"error": {"code", "message", "details"}}` with a code of the closed set in the Error schema.',
      },
    });
    return c.json(finishDocument(document, new URL(c.req.url).origin));
  });
  if (options.console) serveConsole(app, options.console.root);
  return app;
}
