/** /v1/packages: deployment packages and their versions. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import * as packages from '../app/packages.ts';
import type { AppDeps } from '../app/deps.ts';
import {
  CreatePackageRequest,
  DeleteResult,
  DraftInput,
  ErrorBody,
  Package,
  PackageList,
  PublishResult,
  UpdatePackageRequest,
  Version,
} from '../contract/schemas.ts';
import { IdempotencyHeader, PackageListQuery, PackageParam, VersionParam } from '../contract/params.ts';
import type { ApiEnv } from './env.ts';
import { createPackageViolations, draftChangeViolations, packageChangeViolations } from '../domain/package.ts';
import { withFieldRules } from './validation-hook.ts';
import { bearer, json } from './openapi.ts';

const errors = {
  400: json(ErrorBody, 'invalid request: every failing field with the rule it broke'),
  401: json(ErrorBody, 'missing or unknown token'),
  404: json(ErrorBody, 'no such package visible to the caller'),
  409: json(ErrorBody, 'conflict: name taken, version locked, no draft'),
};


export function packageRoutes(deps: AppDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/packages',
      summary: 'Create a package with its first draft version',
      security: bearer,
      request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: CreatePackageRequest } } } },
      responses: { 201: json(Package, 'created'), ...errors, 403: json(ErrorBody, 'role may not own packages') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      return c.json(await packages.createPackage(deps, c.var.caller, body, key), 201);
    },
  withFieldRules(CreatePackageRequest, (b) => createPackageViolations(b).violations),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages',
      summary: "List the caller's packages",
      security: bearer,
      request: {
        query: PackageListQuery,
      },
      responses: { 200: json(PackageList, 'one page'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const tag = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : [q.tag];
      const result = await packages.listPackages(deps, c.var.caller, {
        limit: q.limit === undefined ? undefined : Number(q.limit),
        nextToken: q.nextToken,
        nameContains: q.nameContains,
        resourceGroup: q.resourceGroup,
        tags: tag,
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages/{package}',
      summary: 'Get a package with its versions',
      security: bearer,
      request: { params: PackageParam },
      responses: { 200: json(Package, 'the package'), ...errors },
    }),
    async (c) => c.json(await packages.getPackage(deps, c.var.caller, c.req.valid('param').package), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/packages/{package}',
      summary: "Change a package's description, resource group or tags (the name is immutable)",
      security: bearer,
      request: { params: PackageParam, body: { required: true, content: { 'application/json': { schema: UpdatePackageRequest } } } },
      responses: { 200: json(Package, 'updated'), ...errors },
    }),
    async (c) =>
      c.json(await packages.updatePackage(deps, c.var.caller, c.req.valid('param').package, c.req.valid('json')), 200),
    withFieldRules(UpdatePackageRequest, packageChangeViolations),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/packages/{package}',
      summary: 'Delete a package and all its versions',
      description: 'Deleted at once when no regional copy exists (204); otherwise the distributions are cancelled, copies removed, and the package disappears once the last is gone (202).',
      security: bearer,
      request: { params: PackageParam },
      responses: { 204: { description: 'deleted' }, 202: json(DeleteResult, 'regional copies are being removed first'), ...errors },
    }),
    async (c) => {
      const outcome = await packages.deletePackage(deps, c.var.caller, c.req.valid('param').package);
      return outcome.state === 'Deleted' ? c.body(null, 204) : c.json(outcome, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages/{package}/versions',
      summary: 'List versions: published in number order, then the draft',
      security: bearer,
      request: { params: PackageParam },
      responses: { 200: json(z.object({ items: z.array(Version) }), 'versions'), ...errors },
    }),
    async (c) => c.json({ items: await packages.listVersions(deps, c.var.caller, c.req.valid('param').package) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/packages/{package}/versions/{version}',
      summary: "Save the draft ('draft': update it, or create it when the package has none); a published version answers VERSION_LOCKED",
      security: bearer,
      request: { params: VersionParam, body: { required: true, content: { 'application/json': { schema: DraftInput } } } },
      responses: { 200: json(Version, 'draft updated'), 201: json(Version, 'draft created'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const { version, created } = await packages.saveVersion(deps, c.var.caller, p.package, p.version, c.req.valid('json'));
      return created ? c.json(version, 201) : c.json(version, 200);
    },
    withFieldRules(DraftInput, (b) => draftChangeViolations(b, 'version'), 'version'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/packages/{package}/publish',
      summary: 'Publish the draft as the next numbered version and start its distribution',
      security: bearer,
      request: { params: PackageParam, headers: IdempotencyHeader },
      responses: { 202: json(PublishResult, 'published; distribution has started'), ...errors },
    }),
    async (c) => {
      const key = c.req.valid('header')['idempotency-key'];
      return c.json(await packages.publish(deps, c.var.caller, c.req.valid('param').package, key), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/packages/{package}/versions/{version}',
      summary: 'Get one version',
      security: bearer,
      request: { params: VersionParam },
      responses: { 200: json(Version, 'the version'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await packages.getVersion(deps, c.var.caller, p.package, p.version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/packages/{package}/versions/{version}',
      summary: 'Delete a version',
      description: 'Deleted at once when no regional copy exists (204); otherwise its distribution is cancelled, copies removed, and the version disappears once the last is gone (202).',
      security: bearer,
      request: { params: VersionParam },
      responses: { 204: { description: 'deleted' }, 202: json(DeleteResult, 'regional copies are being removed first'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const outcome = await packages.deleteVersion(deps, c.var.caller, p.package, p.version);
      return outcome.state === 'Deleted' ? c.body(null, 204) : c.json(outcome, 202);
    },
  );

  return app;
}
