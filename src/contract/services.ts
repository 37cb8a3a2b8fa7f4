/**
 * The wire contract of services (issue 10): requests and the service view. Shape and hard
 * bounds only; the field rules live in the domain (domain/service/) so every violation is
 * reported with its rule.
 */
import { z } from '@hono/zod-openapi';
import { Timestamp } from './schemas.ts';
import { SERVICE_LIMITS } from '../domain/service/service-rules.ts';
import { int32, list, text } from './text.ts';

/** Files in one Terraform bundle: more than any real module has, few enough to answer about. */
const MAX_BUNDLE_FILES = 200;
const TemplateText = text(SERVICE_LIMITS.templateBytes);
const Whitelist = list(text(), SERVICE_LIMITS.whitelistAccounts);

export const DeployType = z.enum(['ros', 'terraform']);
export const ServiceVisibility = z.enum(['private', 'public', 'whitelist']);
export const RevisionState = z.enum(['Draft', 'Submitted', 'Approved', 'Rejected', 'Online', 'Offline']);
export const VersionRef = z
  .union([z.literal('draft'), int32()])
  .openapi({ description: "a published version number, or 'draft'" });

export const TemplateInput = z
  .union([
    TemplateText.openapi({ description: 'one ROS or Terraform file' }),
    z
      .object({
        files: z
          .record(text(SERVICE_LIMITS.fileName), TemplateText)
          .refine((files) => Object.keys(files).length <= MAX_BUNDLE_FILES, { message: `at most ${MAX_BUNDLE_FILES} files`, params: { rule: 'maxItems' } }),
      })
      .strict().openapi({ description: 'a Terraform bundle: file name → text' }),
  ])
  .openapi('TemplateInput');

export const CreateServiceRequest = z
  .object({
    name: text().openapi({ description: '3–128 characters: letters, digits, _; unique per account; immutable' }),
    description: text().openapi({ description: '10–500 characters' }),
    deployType: text().optional().openapi({ description: "'ros' or 'terraform'" }),
    serviceType: text().optional().openapi({ description: "'private' (deployed into the consumer's account); the default" }),
    visibility: text().optional().openapi({ description: "'private' (default), 'public' or 'whitelist'" }),
    accounts: Whitelist.optional().openapi({ description: 'the whitelist: account IDs (visibility whitelist only)' }),
    template: TemplateInput,
  })
  .strict()
  .openapi('CreateServiceRequest');
export type CreateServiceRequest = z.infer<typeof CreateServiceRequest>;

export const UpdateTemplateRequest = z.object({ template: TemplateInput }).strict().openapi('UpdateTemplateRequest');

export const SetVisibilityRequest = z
  .object({ visibility: text().openapi({ description: "'private', 'public' or 'whitelist'" }), accounts: Whitelist.optional() })
  .strict()
  .openapi('SetVisibilityRequest');

export const AssociateRequest = z
  .object({
    placeholder: text().openapi({ description: "the template's literal image value" }),
    package: text().openapi({ description: "ID or name of one of the caller's packages" }),
    version: VersionRef,
  })
  .strict()
  .openapi('AssociateRequest');
export type AssociateRequest = z.infer<typeof AssociateRequest>;

export const RejectRequest = z.object({ reason: text().openapi({ description: '1–500 characters' }) }).strict().openapi('RejectRequest');

export const PlaceholderSite = z
  .object({ file: z.string(), line: z.number().int(), column: z.number().int(), resource: z.string(), resourceType: z.string(), property: z.string() })
  .openapi('PlaceholderSite');

export const AssociationView = z
  .object({
    packageId: z.string(),
    packageName: z.string().nullable().openapi({ description: 'null when the package is gone' }),
    version: VersionRef,
    availableRegions: z.array(z.string()).openapi({ description: 'regions where this version can be deployed now' }),
  })
  .openapi('Association');
export type AssociationView = z.infer<typeof AssociationView>;

export const PlaceholderView = z
  .object({ value: z.string(), sites: z.array(PlaceholderSite), association: AssociationView.nullable() })
  .openapi('Placeholder');

export const TemplateDiagnostic = z
  .object({
    file: z.string(),
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    resource: z.string().nullable(),
  })
  .openapi('TemplateDiagnostic');

export const StaleAssociation = z
  .object({ placeholder: z.string(), packageId: z.string(), version: VersionRef })
  .openapi('StaleAssociation');

export const RevisionView = z
  .object({
    id: z.string(),
    number: z.number().int(),
    state: RevisionState,
    rejectReason: z.string().nullable(),
    createdAt: Timestamp,
    submittedAt: Timestamp.nullable(),
    reviewedAt: Timestamp.nullable(),
    publishedAt: Timestamp.nullable(),
    // The owner's and the admin's view only:
    template: z.object({ files: z.array(z.object({ name: z.string(), text: z.string() })) }).optional(),
    diagnostics: z.array(TemplateDiagnostic).optional(),
    placeholders: z.array(PlaceholderView).optional(),
    staleAssociations: z.array(StaleAssociation).optional().openapi({ description: 'associations whose placeholder is no longer in the template' }),
  })
  .openapi('Revision');
export type RevisionView = z.infer<typeof RevisionView>;

const serviceFields = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  deployType: DeployType,
  serviceType: z.string(),
  visibility: ServiceVisibility,
  accounts: z.array(z.string()).optional().openapi({ description: "the whitelist (the owner's and the admin's view only)" }),
  ownerId: z.string(),
  state: RevisionState.openapi({ description: "the Online revision's state if any, else the latest revision's" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ServiceSummary = z
  .object({ ...serviceFields, onlineRevision: z.number().int().nullable(), draftRevision: z.number().int().nullable() })
  .openapi('ServiceSummary');
export type ServiceSummary = z.infer<typeof ServiceSummary>;

export const Service = z
  .object({
    ...serviceFields,
    revisions: z.object({
      online: RevisionView.nullable().openapi({ description: 'what consumers deploy' }),
      draft: RevisionView.nullable().openapi({ description: 'the revision the vendor works on (Draft, Submitted, Approved or Rejected)' }),
    }),
  })
  .openapi('Service');
export type Service = z.infer<typeof Service>;

export const TemplateUpdateResult = z
  .object({
    ...Service.shape,
    droppedAssociations: z.array(StaleAssociation).openapi({ description: 'associations removed because their placeholder left the template' }),
  })
  .openapi('TemplateUpdateResult');
export type TemplateUpdateResult = z.infer<typeof TemplateUpdateResult>;

export const ServiceList = z.object({ items: z.array(ServiceSummary), nextToken: z.string().nullable() }).openapi('ServiceList');
export type ServiceList = z.infer<typeof ServiceList>;

export const ServiceEvent = z
  .object({
    at: Timestamp,
    actor: z.string().nullable(),
    type: z.string(),
    revision: z.number().int().nullable(),
    from: RevisionState.nullable(),
    to: RevisionState.nullable(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'what changed, by event type (e.g. the association set, the visibility before and after)' }),
  })
  .openapi('ServiceEvent');
export type ServiceEvent = z.infer<typeof ServiceEvent>;
