/** Small helpers every route file shares when it describes itself to OpenAPI. */
import type { z } from '@hono/zod-openapi';

/** A JSON response (or body) of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Routes that need `Authorization: Bearer <token>`. */
export const bearer = [{ Bearer: [] }];
