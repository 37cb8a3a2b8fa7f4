/** Distribution of published versions: status and timeline, retry, cancel, regional image IDs. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import * as distribution from '../app/distribution.ts';
import type { AppDeps } from '../app/deps.ts';
import { ErrorBody, RegionImage, RetryRequest, VersionStatus } from '../contract/schemas.ts';
import { RegionParam, VersionParam } from '../contract/params.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json, wantsText } from './openapi.ts';

const errors = {
  400: json(ErrorBody, 'invalid request'),
  404: json(ErrorBody, 'no such package or version visible to the caller'),
  409: json(ErrorBody, 'not in a state that allows this'),
};


export function distributionRoutes(deps: AppDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages/{package}/versions/{version}/status',
      summary: 'Per-region distribution state, progress, image IDs and errors, with the event timeline',
      security: bearer,
      request: { params: VersionParam },
      responses: { 200: json(VersionStatus, 'status'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await distribution.versionStatus(deps, c.var.caller, p.package, p.version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/packages/{package}/versions/{version}/retry',
      summary: 'Retry the failed regions (or one region) in place; the version stays locked',
      security: bearer,
      request: { params: VersionParam, body: { required: false, content: { 'application/json': { schema: RetryRequest } } } },
      responses: { 202: json(VersionStatus, 'retry started'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const region = c.req.valid('json')?.region;
      return c.json(await distribution.retry(deps, c.var.caller, p.package, p.version, region), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/packages/{package}/versions/{version}/cancel',
      summary: 'Cancel a distribution: running copies are cancelled, finished copies deleted',
      security: bearer,
      request: { params: VersionParam },
      responses: { 202: json(VersionStatus, 'cancellation started'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await distribution.cancel(deps, c.var.caller, p.package, p.version), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages/{package}/versions/{version}/regions/{region}/image-id',
      summary: "The version's image ID in a region; only once the cloud reports the copy Available",
      security: bearer,
      request: { params: RegionParam },
      responses: {
        200: { content: { 'application/json': { schema: RegionImage }, 'text/plain': { schema: z.string() } }, description: 'the image ID; text/plain: the ID alone' },
        ...errors,
      },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await distribution.imageId(deps, c.var.caller, p.package, p.version, p.region);
      if (wantsText(c.req.header('accept'))) return c.text(r.imageId, 200);
      return c.json(r, 200);
    },
  );

  return app;
}
