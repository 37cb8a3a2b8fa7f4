/** Wire schemas of service instances, test deployments and resolved templates (issue 10). */
import { z } from '@hono/zod-openapi';
import { Timestamp } from './schemas.ts';
import { text } from './text.ts';

/** Template parameters in one request: more than any template declares. */
const MAX_PARAMETERS = 200;

export const DeployRequestBody = z
  .object({
    region: text().openapi({ example: 'eu-central-1' }),
    parameters: z
      .record(text(), text())
      .refine((p) => Object.keys(p).length <= MAX_PARAMETERS, { message: `at most ${MAX_PARAMETERS} parameters`, params: { rule: 'maxItems' } })
      .optional().openapi({ description: 'template parameters, K → V' }),
  })
  .strict()
  .openapi('DeployRequest');

export const CreateInstanceBody = DeployRequestBody.extend({
  service: text().openapi({ description: "service ID, or the caller's own service name" }),
})
  .strict()
  .openapi('CreateInstanceRequest');
export type CreateInstanceBody = z.infer<typeof CreateInstanceBody>;

export const InstanceImage = z
  .object({
    placeholder: z.string(),
    package: z.string(),
    packageId: z.string(),
    version: z.union([z.number().int(), z.literal('draft')]),
    imageId: z.string(),
  })
  .openapi('InstanceImage');

export const Instance = z
  .object({
    id: z.string(),
    service: z.string(),
    revision: z.string(),
    state: z.enum(['Deploying', 'Deployed', 'Failed', 'Deleting', 'Deleted']),
    region: z.string(),
    test: z.boolean(),
    parameters: z.record(z.string(), z.string()),
    images: z.array(InstanceImage),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Instance');
export type Instance = z.infer<typeof Instance>;

export const InstanceList = z.object({ items: z.array(Instance) }).openapi('InstanceList');

export const InstanceEvents = z
  .object({ items: z.array(z.object({ at: Timestamp, type: z.string(), message: z.string() })) })
  .openapi('InstanceEvents');

export const ResolvedTemplate = z
  .object({
    service: z.string(),
    revision: z.number().int(),
    region: z.string(),
    images: z.array(InstanceImage),
    files: z.array(z.object({ name: z.string(), text: z.string() })),
  })
  .openapi('ResolvedTemplate');
export type ResolvedTemplate = z.infer<typeof ResolvedTemplate>;

export const Refusal = z
  .object({
    placeholder: z.string().optional(),
    packageId: z.string(),
    packageName: z.string().optional(),
    version: z.union([z.number().int(), z.literal('draft')]),
    region: z.string(),
    state: z.string().openapi({ description: "why: the copy's state there (Pending, Copying, Failed, Cancelled), or NotDistributed, DraftOnlyInSourceRegion, …" }),
  })
  .openapi('Refusal');

export const RegionDeployability = z
  .object({
    service: z.string(),
    revision: z.number().int(),
    items: z.array(
      z.object({
        region: z.string(),
        deployable: z.boolean().openapi({ description: 'every placeholder has an Available image there now' }),
        refusals: z.array(Refusal).openapi({ description: 'when not deployable: each placeholder without an image there, and why' }),
      }),
    ),
  })
  .openapi('RegionDeployability');
export type RegionDeployability = z.infer<typeof RegionDeployability>;
