/** Path, query and header parameters shared by several routes, with the same bounds as bodies. */
import { z } from '@hono/zod-openapi';
import { LIMITS } from '../domain/package-rules.ts';
import { list, text } from './text.ts';

/** A path segment names one thing: an ID or a name, never a text. */
const MAX_SEGMENT_CHARS = 256;
const segment = (name: string, description?: string) =>
  text(MAX_SEGMENT_CHARS).openapi({ param: { name, in: 'path' }, ...(description ? { description } : {}) });

export const PackageParam = z.object({ package: segment('package', 'package ID or name') });
export const VersionParam = PackageParam.extend({ version: segment('version', '"draft", a version number, or a version ID') });
export const RegionParam = VersionParam.extend({ region: segment('region') });
export const ServiceParam = z.object({ service: segment('service', "service ID, or the name of one of the caller's own") });
export const IdParam = z.object({ id: segment('id') });

export const IdempotencyHeader = z.object({
  'idempotency-key': text(MAX_SEGMENT_CHARS).optional().openapi({ description: 'a repeat with the same key returns the first result' }),
});

/** `limit` and `nextToken` of a listing. */
export const PageQuery = {
  limit: text(16).optional().openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'page size, 1–100' }),
  nextToken: text(MAX_SEGMENT_CHARS).optional(),
};

export const PackageListQuery = z.object({
  ...PageQuery,
  nameContains: text().optional(),
  resourceGroup: text().optional(),
  tag: z
    .union([text(), list(text(), LIMITS.tags.max)])
    .optional()
    .openapi({ description: 'KEY=VALUE; repeat to require several' }),
});
