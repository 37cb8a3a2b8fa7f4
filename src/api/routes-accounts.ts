/** /v1/accounts (admin) and /v1/account (the caller). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import * as accounts from '../app/accounts.ts';
import type { AppDeps } from '../app/deps.ts';
import { Account, AccountWithToken, CreateAccountRequest, ErrorBody } from '../contract/schemas.ts';
import type { ApiEnv } from './env.ts';
import { bearer, json } from './openapi.ts';


export function accountRoutes(deps: AppDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts',
      summary: 'Create an account (admin only); the response holds its token, shown once',
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: CreateAccountRequest } } } },
      responses: {
        201: json(AccountWithToken, 'created'),
        400: json(ErrorBody, 'invalid request'),
        403: json(ErrorBody, 'not an admin'),
      },
    }),
    async (c) => c.json(await accounts.createAccount(deps, c.var.caller, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts',
      summary: 'List accounts (admin only)',
      security: bearer,
      responses: { 200: json(z.object({ items: z.array(Account) }), 'accounts'), 403: json(ErrorBody, 'not an admin') },
    }),
    async (c) => c.json({ items: await accounts.listAccounts(deps, c.var.caller) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/account',
      summary: 'The calling account',
      security: bearer,
      responses: { 200: json(Account, 'the caller') },
    }),
    async (c) => c.json(await accounts.whoami(deps, c.var.caller), 200),
  );

  return app;
}
