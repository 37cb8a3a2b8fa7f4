/** Simulator-only routes: make a custom image to publish from; inject faults and read the simulated cloud (admin). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { SimFaults, SimulatorAdmin } from '../cloud/simulator-port.ts';
import { ErrorCode, ImagenestError, validationError } from '../domain/errors.ts';
import { canOwnPackages } from '../domain/account.ts';
import { findRegion, REGIONS, unknownRegion } from '../domain/regions.ts';
import { ErrorBody, SimImage, SimImageRequest } from '../contract/schemas.ts';
import { list, text } from '../contract/text.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json } from './openapi.ts';

/** Simulated milliseconds since the epoch, within what a Date holds. */
const simTimeMs = z.number().min(0).max(8.64e15);
const MAX_OUTAGES = 100;

const Faults = z
  .object({
    throttleRate: z.number().min(0).max(1).default(0),
    transientRate: z.number().min(0).max(1).default(0),
    regionFailureRate: z
      .record(text(64), z.number().min(0).max(1))
      .refine((r) => Object.keys(r).length <= REGIONS.length, { message: `at most one rate per region (${REGIONS.length})`, params: { rule: 'maxItems' } })
      .default({}),
    outages: list(z.object({ region: text(64), fromMs: simTimeMs, toMs: simTimeMs }).strict(), MAX_OUTAGES).default([]),
  })
  .strict()
  .openapi('SimFaults');

const SimImageRecord = z.object({
  imageId: z.string(),
  region: z.string(),
  status: z.string(),
  progress: z.number(),
  sizeGiB: z.number(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
  deleted: z.boolean(),
  copiedFrom: z.string().nullable(),
  sharedWith: z.array(z.string()),
  isPublic: z.boolean(),
});

const SimInstanceRecord = z.object({
  resourceId: z.string(),
  deploymentId: z.string(),
  account: z.string(),
  region: z.string(),
  imageId: z.string(),
  resourceType: z.string(),
  logicalId: z.string(),
});

/** `GET path?account=A` (admin): one account's records in the simulated cloud, as the cloud keeps them. */
function adminListing<T extends z.ZodTypeAny>(
  app: OpenAPIHono<ApiEnv>,
  path: string,
  summary: string,
  item: T,
  description: string,
  list: (account: string) => Promise<z.infer<T>[]>,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path,
      summary,
      security: bearer,
      request: { query: z.object({ account: text(256) }) },
      responses: { 200: json(z.object({ items: z.array(item) }), description), 403: json(ErrorBody, 'not an admin') },
    }),
    async (c) => {
      if (c.var.caller.role !== 'admin') throw new ImagenestError(ErrorCode.FORBIDDEN, 'only an admin may list the simulated cloud');
      return c.json({ items: await list(c.req.valid('query').account) }, 200);
    },
  );
}

export function simulatorRoutes(sim: SimulatorAdmin): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sim/images',
      summary: 'Simulator only: make a custom image owned by the caller, Available at once',
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: SimImageRequest } } } },
      responses: { 201: json(SimImage, 'created'), 400: json(ErrorBody, 'invalid request'), 403: json(ErrorBody, 'a consumer owns no source images') },
    }),
    async (c) => {
      // A source image is what a supplier publishes from; a consumer has no use for one.
      if (!canOwnPackages(c.var.caller.role)) throw new ImagenestError(ErrorCode.FORBIDDEN, 'only suppliers and admins make source images');
      const body = c.req.valid('json');
      if (!findRegion(body.region)) {
        throw validationError([unknownRegion('region', body.region)]);
      }
      const image = await sim.createImage({ account: c.var.caller.accountId, regionId: body.region, sizeGiB: body.sizeGiB, name: body.name });
      return c.json({ imageId: image.imageId, region: image.regionId, sizeGiB: image.sizeGiB }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/sim/faults',
      summary: 'Simulator only (admin): set the injected faults',
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: Faults } } } },
      responses: { 200: json(Faults, 'the faults now in force'), 403: json(ErrorBody, 'not an admin') },
    }),
    async (c) => {
      if (c.var.caller.role !== 'admin') throw new ImagenestError(ErrorCode.FORBIDDEN, 'only an admin may inject faults');
      const faults: SimFaults = c.req.valid('json');
      await sim.setFaults(faults);
      return c.json(faults, 200);
    },
  );

  adminListing(
    app,
    '/v1/sim/images',
    'Simulator only (admin): every image an account owns in the simulated cloud, copies with their request and completion times',
    SimImageRecord,
    'images, including deleted and cancelled ones',
    (account) => sim.imageRecords(account),
  );
  adminListing(
    app,
    '/v1/sim/instances',
    'Simulator only (admin): the ECS resources deployments run in an account, as the simulated cloud records them',
    SimInstanceRecord,
    'live resources, oldest first',
    (account) => sim.instanceRecords(account),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sim/faults',
      summary: 'Simulator only: the injected faults',
      security: bearer,
      responses: { 200: json(Faults, 'faults') },
    }),
    async (c) => c.json(await sim.getFaults(), 200),
  );

  return app;
}

