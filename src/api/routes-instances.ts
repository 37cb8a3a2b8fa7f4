/** Service instances, test deployments and the resolved template for pipelines. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deployer } from '../cloud/deployer.ts';
import * as deployments from '../app/deployments.ts';
import type { AppDeps } from '../app/deps.ts';
import { ErrorBody } from '../contract/schemas.ts';
import { IdParam, ServiceParam } from '../contract/params.ts';
import { text } from '../contract/text.ts';
import { CreateInstanceBody, DeployRequestBody, Instance, InstanceEvents, InstanceList, RegionDeployability, ResolvedTemplate } from '../contract/instances.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json, wantsText } from './openapi.ts';

const errors = {
  400: json(ErrorBody, 'invalid request'),
  403: json(ErrorBody, 'the caller sees the service but may not do this'),
  404: json(ErrorBody, 'no such service or instance visible to the caller'),
  409: json(ErrorBody, 'IMAGE_NOT_AVAILABLE_IN_REGION (details.refusals names every placeholder), or not in a state that allows this'),
};

export function instanceRoutes(deps: AppDeps, deployer: Deployer): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  const d = { ...deps, deployer };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/instances',
      summary: "Deploy a visible service's Online revision in a region, with each placeholder's image there",
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: CreateInstanceBody } } } },
      responses: { 201: json(Instance, 'deployed, or failed with the cloud’s code'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await deployments.createInstance(d, c.var.caller, b.service, b), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/instances', summary: "The caller's instances", security: bearer, responses: { 200: json(InstanceList, 'instances') } }),
    async (c) => c.json(await deployments.listInstances(d, c.var.caller), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/instances/{id}', summary: 'One of the caller’s instances', security: bearer, request: { params: IdParam }, responses: { 200: json(Instance, 'the instance'), ...errors } }),
    async (c) => c.json(await deployments.getInstance(d, c.var.caller, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/v1/instances/{id}', summary: 'Release the instance’s resources', security: bearer, request: { params: IdParam }, responses: { 200: json(Instance, 'Deleted, or Failed'), ...errors } }),
    async (c) => c.json(await deployments.deleteInstance(d, c.var.caller, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/instances/{id}/events', summary: 'The instance’s timeline', security: bearer, request: { params: IdParam }, responses: { 200: json(InstanceEvents, 'events'), ...errors } }),
    async (c) => c.json(await deployments.instanceEvents(d, c.var.caller, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/services/{service}/test',
      summary: 'The owner’s test deployment of its open revision (a draft association only in its source region)',
      security: bearer,
      request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: DeployRequestBody } } } },
      responses: { 201: json(Instance, 'the test instance'), ...errors },
    }),
    async (c) => c.json(await deployments.testService(d, c.var.caller, c.req.valid('param').service, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/services/{service}/template',
      summary: 'The Online revision (or the owner’s open one, revision=draft) resolved for a region, byte-exact',
      security: bearer,
      request: {
        params: ServiceParam,
        query: z.object({ region: text(), revision: z.literal('draft').optional() }),
      },
      responses: {
        200: { content: { 'application/json': { schema: ResolvedTemplate }, 'text/plain': { schema: z.string() } }, description: 'the resolved template; text/plain: its single file' },
        ...errors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await deployments.resolvedTemplate(d, c.var.caller, c.req.valid('param').service, q.region, q.revision);
      const body = { service: r.service, revision: r.revision, region: r.region, images: deployments.imagesView(r.images), files: r.template.files };
      if (wantsText(c.req.header('accept')) && r.template.files.length === 1) return c.text(r.template.files[0]!.text, 200);
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/services/{service}/regions',
      summary: 'Where the service can be deployed now, region by region, and why not elsewhere',
      security: bearer,
      request: { params: ServiceParam, query: z.object({ revision: z.literal('draft').optional() }) },
      responses: { 200: json(RegionDeployability, 'every catalogue region'), ...errors },
    }),
    async (c) => c.json(await deployments.regionDeployability(d, c.var.caller, c.req.valid('param').service, c.req.valid('query').revision), 200),
  );

  return app;
}
