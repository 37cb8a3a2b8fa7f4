/** /v1/services: services, their revisions under review, associations and visibility. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppDeps } from '../app/deps.ts';
import * as review from '../app/review.ts';
import * as services from '../app/services.ts';
import { ErrorBody } from '../contract/schemas.ts';
import { PageQuery, ServiceParam } from '../contract/params.ts';
import { text } from '../contract/text.ts';
import {
  AssociateRequest,
  CreateServiceRequest,
  RejectRequest,
  Service,
  ServiceEvent,
  ServiceList,
  SetVisibilityRequest,
  TemplateUpdateResult,
  UpdateTemplateRequest,
} from '../contract/services.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json } from './openapi.ts';

const errors = {
  400: json(ErrorBody, 'invalid request: every failing field with the rule it broke'),
  401: json(ErrorBody, 'missing or unknown token'),
  403: json(ErrorBody, 'the caller sees the service but may not do this'),
  404: json(ErrorBody, 'no such service visible to the caller'),
  409: json(ErrorBody, 'conflict: name taken, state transition refused, not ready to submit, placeholder or package unusable'),
};


type Action = 'submit' | 'approve' | 'publish' | 'offline';
const ACTIONS: Record<Action, { summary: string; run: typeof review.submit }> = {
  submit: { summary: 'Submit the revision under work for review (refused with every problem unless the template is clean and fully associated)', run: review.submit },
  approve: { summary: 'Approve the submitted revision (admin)', run: review.approve },
  publish: { summary: 'Publish the approved revision: it goes Online, the previous Online revision Offline', run: review.publish },
  offline: { summary: 'Take the Online revision offline: consumers can no longer deploy the service', run: review.offline },
};

export function serviceRoutes(deps: AppDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/services',
      summary: 'Create a service with its first Draft revision',
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: CreateServiceRequest } } } },
      responses: { 201: json(Service, 'created'), ...errors, 403: json(ErrorBody, 'only suppliers create services') },
    }),
    async (c) => c.json(await services.createService(deps, c.var.caller, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/services',
      summary: "List services: the caller's own and the Online ones visible to it (admin: all)",
      security: bearer,
      request: {
        query: z.object({
          ...PageQuery,
          state: text(64).optional().openapi({ description: 'only this displayed state, e.g. Submitted (the review queue)' }),
        }),
      },
      responses: { 200: json(ServiceList, 'one page'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await services.listServices(deps, c.var.caller, { limit: q.limit === undefined ? undefined : Number(q.limit), nextToken: q.nextToken, state: q.state }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/services/{service}',
      summary: 'Get a service with its Online and draft revisions',
      security: bearer,
      request: { params: ServiceParam },
      responses: { 200: json(Service, 'the service'), ...errors },
    }),
    async (c) => c.json(await services.getService(deps, c.var.caller, c.req.valid('param').service), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/services/{service}/template',
      summary: 'Replace the template of the revision under work (a new Draft when only an Online one exists); reports dropped associations',
      security: bearer,
      request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: UpdateTemplateRequest } } } },
      responses: { 200: json(TemplateUpdateResult, 'updated'), ...errors },
    }),
    async (c) => c.json(await services.updateTemplate(deps, c.var.caller, c.req.valid('param').service, c.req.valid('json').template), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/services/{service}/visibility',
      summary: 'Set who may see and deploy the service, at once and without review',
      security: bearer,
      request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: SetVisibilityRequest } } } },
      responses: { 200: json(Service, 'updated'), ...errors },
    }),
    async (c) => c.json(await services.setVisibility(deps, c.var.caller, c.req.valid('param').service, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/services/{service}/associations',
      summary: "Associate a template placeholder with a version of one of the caller's packages",
      security: bearer,
      request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: AssociateRequest } } } },
      responses: { 200: json(Service, 'associated'), ...errors },
    }),
    async (c) => c.json(await services.associate(deps, c.var.caller, c.req.valid('param').service, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/services/{service}/associations',
      summary: "Remove a placeholder's association from the revision under work",
      security: bearer,
      request: { params: ServiceParam, query: z.object({ placeholder: text().openapi({ description: 'the placeholder to release' }) }) },
      responses: { 200: json(Service, 'removed'), ...errors },
    }),
    async (c) => c.json(await services.dissociate(deps, c.var.caller, c.req.valid('param').service, c.req.valid('query').placeholder), 200),
  );

  for (const [action, { summary, run }] of Object.entries(ACTIONS)) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/services/{service}/${action}`,
        summary,
        security: bearer,
        request: { params: ServiceParam },
        responses: { 200: json(Service, 'done'), ...errors },
      }),
      async (c) => c.json(await run(deps, c.var.caller, c.req.valid('param').service), 200),
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/services/{service}/reject',
      summary: 'Reject the submitted revision with a reason (admin)',
      security: bearer,
      request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: RejectRequest } } } },
      responses: { 200: json(Service, 'rejected'), ...errors },
    }),
    async (c) => c.json(await review.reject(deps, c.var.caller, c.req.valid('param').service, c.req.valid('json').reason), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/services/{service}/events',
      summary: "The service's timeline: who did what when, each review transition from → to",
      security: bearer,
      request: { params: ServiceParam },
      responses: { 200: json(z.object({ items: z.array(ServiceEvent) }), 'events, oldest first'), ...errors },
    }),
    async (c) => c.json({ items: await services.serviceEvents(deps, c.var.caller, c.req.valid('param').service) }, 200),
  );

  return app;
}
