/** Small helpers every route file shares when it describes itself to OpenAPI. */
import type { z } from '@hono/zod-openapi';

/** A JSON response (or body) of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Routes that need `Authorization: Bearer <token>`. */
export const bearer = [{ Bearer: [] }];

/** Whether the client asked for plain text (`Accept: text/plain`, for Terraform's `http` data source) rather than JSON. */
export function wantsText(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/plain\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}
