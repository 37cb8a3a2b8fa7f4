/**
 * The finished OpenAPI document: what every operation says beyond its route — an operationId and
 * tags for generated clients, a description and examples for readers — and the answers every
 * route can give because the middleware gives them (401 without a token, 413, 415, 500). Kept in
 * one table so that a route added without its entry fails the OpenAPI test, not a user.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface OperationDoc {
  operationId: string;
  tags: [Tag];
  description: string;
  /** An example request body, when the operation takes one. */
  requestExample?: unknown;
}

const TAGS = {
  regions: 'The region catalogue: every region ID the API accepts.',
  accounts: 'Accounts and their tokens. Admins create accounts; every account reads itself.',
  packages: 'Deployment packages: one source image, published as numbered, locked versions.',
  versions: 'Versions of a package: the draft, and the published versions in number order.',
  distribution: 'Where a published version stands in every region, its image there, retry and cancel.',
  services: 'Services: a template whose image placeholders are associated with package versions, and who may see it.',
  review: 'The review of a service revision: submit, approve or reject (admin), publish, take offline.',
  instances: 'Consumers deploying a service in a region with that region’s image; the owner’s test deployments.',
  events: 'Live updates for the console: which areas of the caller’s changed, as server-sent events.',
  simulator: 'The embedded cloud simulator (only on a server running it): source images, faults, what the cloud holds.',
} as const;
type Tag = keyof typeof TAGS;

const op = (operationId: string, tag: Tag, description: string, requestExample?: unknown): OperationDoc => ({
  operationId,
  tags: [tag],
  description,
  ...(requestExample === undefined ? {} : { requestExample }),
});

const CONTENT = { sourceRegion: 'cn-hangzhou', imageId: 'm-bp1example', regions: ['cn-shanghai', 'ap-southeast-1', 'eu-central-1'] };
const ROS_TEMPLATE = 'ROSTemplateFormatVersion: "2015-09-01"\nResources:\n  Web:\n    Type: ALIYUN::ECS::Instance\n    Properties:\n      ImageId: m-webplaceholder\n';

/** Every operation of the API, by `method path` as the document lists it. */
export const OPERATIONS: Readonly<Record<string, OperationDoc>> = {
  'get /v1/regions': op('listRegions', 'regions', 'Every region of the catalogue with its name and area; region IDs anywhere in the API are these.'),

  'post /v1/accounts': op('createAccount', 'accounts', 'Creates a supplier, consumer or admin account. The response holds its API token, shown this once; only its hash is stored.', { name: 'acme', role: 'supplier' }),
  'get /v1/accounts': op('listAccounts', 'accounts', 'Lists every account (admin only), without tokens.'),
  'get /v1/account': op('getCallingAccount', 'accounts', 'The account the token belongs to.'),

  'post /v1/packages': op('createPackage', 'packages', 'Creates a package and its first draft version. The name is unique per account and immutable. Repeat with the same Idempotency-Key to get the first result.', {
    name: 'web_app',
    description: 'Web application server image',
    tags: [{ key: 'team', value: 'web' }],
    version: { name: 'v1_0', description: 'First release', content: CONTENT },
  }),
  'get /v1/packages': op('listPackages', 'packages', "Lists the caller's packages, newest first, a page at a time (`limit`, then `nextToken` from the previous page); filters by name, resource group and tags."),
  'get /v1/packages/{package}': op('getPackage', 'packages', 'One of the caller’s packages, by ID or name, with every version.'),
  'patch /v1/packages/{package}': op('updatePackage', 'packages', "Changes a package's description, resource group or tags. The name cannot change.", { description: 'Web application server image, hardened' }),
  'delete /v1/packages/{package}': op('deletePackage', 'packages', 'Deletes a package and every version. With regional copies left it answers 202 Deleting: distribution is cancelled, copies are removed, then the package is gone. Refused while a service or instance uses a version (VERSION_IN_USE).'),

  'get /v1/events/stream': op('streamEvents', 'events', "Server-sent events: `ready` once, then `change` with the areas (packages, services, instances) in which something of the caller's changed: its packages, versions, regional copies and their events, the services it lists, its instances. Names areas, never data; read the API for what changed."),

  'get /v1/packages/{package}/versions': op('listVersions', 'versions', 'The published versions in number order, then the draft.'),
  'get /v1/packages/{package}/versions/{version}': op('getVersion', 'versions', 'One version: `draft`, a version number, or a version ID.'),
  'patch /v1/packages/{package}/versions/{version}': op('saveVersion', 'versions', 'Saves the draft (`draft`), creating it when the package has none; only the fields given change. A published version is locked (VERSION_LOCKED).', { content: { regions: ['cn-shanghai', 'eu-central-1'] } }),
  'delete /v1/packages/{package}/versions/{version}': op('deleteVersion', 'versions', 'Deletes a version; with regional copies left it answers 202 Deleting until they are removed.'),
  'post /v1/packages/{package}/publish': op('publishPackage', 'versions', 'Publishes the draft as the next version number, locks its content and starts its distribution to every region it names.'),

  'get /v1/packages/{package}/versions/{version}/status': op('getVersionStatus', 'distribution', 'Per region: state, progress, the engine’s estimate of the end, the image ID once Available, the error of a failed region; with the event timeline.'),
  'post /v1/packages/{package}/versions/{version}/retry': op('retryVersion', 'distribution', 'Retries the failed or cancelled regions (or the one named) in place; the version stays locked.', { region: 'eu-central-1' }),
  'post /v1/packages/{package}/versions/{version}/cancel': op('cancelVersion', 'distribution', 'Cancels a distribution: running copies are cancelled and finished ones deleted, region by region.'),
  'get /v1/packages/{package}/versions/{version}/regions/{region}/image-id': op('getRegionImageId', 'distribution', 'The version’s image ID in a region, once the cloud reports it Available (`Accept: text/plain` for the bare ID, e.g. for Terraform’s http data source).'),

  'post /v1/services': op('createService', 'services', 'Creates a service with its first Draft revision; the template’s image placeholders are found and listed with their sites.', { name: 'web_shop', description: 'A web shop on one ECS instance', deployType: 'ros', visibility: 'private', template: ROS_TEMPLATE }),
  'get /v1/services': op('listServices', 'services', "The caller's own services and the Online services visible to it (admins: every service)."),
  'get /v1/services/{service}': op('getService', 'services', 'A service with its Online and draft revisions, placeholders, associations and the regions each association is available in.'),
  'put /v1/services/{service}/template': op('replaceServiceTemplate', 'services', 'Replaces the template of the revision under work (a new Draft when only the Online one exists) and reports the associations whose placeholder disappeared.', { template: ROS_TEMPLATE }),
  'put /v1/services/{service}/visibility': op('setServiceVisibility', 'services', 'Sets who may see and deploy the service: private, public, or a whitelist of account IDs. Takes effect at once, without review; share permissions follow in every region.', { visibility: 'whitelist', accounts: ['acc-0123456789abcdef'] }),
  'put /v1/services/{service}/associations': op('associatePlaceholder', 'services', "Associates an image placeholder of the template with a published version (or the draft) of one of the caller's packages.", { placeholder: 'm-webplaceholder', package: 'web_app', version: 1 }),
  'delete /v1/services/{service}/associations': op('dissociatePlaceholder', 'services', "Removes a placeholder's association from the revision under work."),
  'get /v1/services/{service}/events': op('listServiceEvents', 'services', 'The service’s timeline: who did what and when, each review transition from → to.'),
  'get /v1/services/{service}/template': op('getResolvedTemplate', 'instances', 'The Online revision’s template (or the owner’s open one, `revision=draft`) with every placeholder replaced by its version’s image in the region, byte for byte otherwise (`Accept: text/plain` for a single file).'),
  'get /v1/services/{service}/regions': op('getServiceRegions', 'instances', 'Every catalogue region with whether the Online revision (or the owner’s open one, `revision=draft`) can be deployed there now, and otherwise the refusals: each placeholder’s package, version and state in that region. The same resolution a deployment makes.'),

  'post /v1/services/{service}/submit': op('submitService', 'review', 'Submits the revision under work for review. Refused with every problem listed (SERVICE_NOT_READY) unless the template is clean and every placeholder associated.'),
  'post /v1/services/{service}/approve': op('approveService', 'review', 'Approves the submitted revision (admin).'),
  'post /v1/services/{service}/reject': op('rejectService', 'review', 'Rejects the submitted revision with a reason (admin); the owner edits and submits again.', { reason: 'The template opens port 22 to the internet.' }),
  'post /v1/services/{service}/publish': op('publishService', 'review', 'Publishes the approved revision: it goes Online and the previous Online revision Offline.'),
  'post /v1/services/{service}/offline': op('takeServiceOffline', 'review', 'Takes the Online revision offline: consumers can no longer deploy the service.'),

  'post /v1/instances': op('createInstance', 'instances', "Deploys a visible service's Online revision in a region, every placeholder replaced by its version's image there; refused with IMAGE_NOT_AVAILABLE_IN_REGION (every refusal listed) and nothing created when one has none, and with VALIDATION_FAILED (rule `declared`) for a parameter the template does not declare.", { service: 'web_shop', region: 'eu-central-1', parameters: { InstanceType: 'ecs.g7.large' } }),
  'get /v1/instances': op('listInstances', 'instances', "The caller's instances."),
  'get /v1/instances/{id}': op('getInstance', 'instances', 'One of the caller’s instances, with the image used for each placeholder.'),
  'delete /v1/instances/{id}': op('deleteInstance', 'instances', 'Releases the instance’s resources.'),
  'get /v1/instances/{id}/events': op('listInstanceEvents', 'instances', 'The instance’s deployment timeline.'),
  'post /v1/services/{service}/test': op('testService', 'instances', "The owner's test deployment of its open revision in a region (a draft association only in its package's source region); a parameter the template does not declare is refused with VALIDATION_FAILED (rule `declared`).", { region: 'cn-hangzhou' }),

  'post /v1/sim/images': op('createSimulatedImage', 'simulator', 'Makes a custom image owned by the caller in a region, Available at once: a source image to publish from.', { region: 'cn-hangzhou', sizeGiB: 40 }),
  'get /v1/sim/images': op('listSimulatedImages', 'simulator', 'Every image an account holds in the simulated cloud, copies with their request and completion times, and share permissions (admin).'),
  'get /v1/sim/instances': op('listSimulatedInstances', 'simulator', 'The ECS resources deployments made in the simulated cloud for an account, with the image each runs (admin).'),
  'put /v1/sim/faults': op('setSimulatedFaults', 'simulator', 'Sets the faults the simulated cloud injects (admin).', { throttleRate: 0.05, regionFailureRate: { 'eu-central-1': 0.2 } }),
  'get /v1/sim/faults': op('getSimulatedFaults', 'simulator', 'The faults the simulated cloud injects.'),
};

/** The error answer of a status, in the document's own shape. */
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

interface Operation {
  operationId?: string;
  tags?: string[];
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}

/** Completes the document @hono/zod-openapi generated from the routes (see the module comment). */
export function finishDocument<D extends { paths?: object; tags?: unknown; servers?: unknown }>(doc: D, serverUrl?: string): D {
  // A deep copy: the generated document is cached and finished again for each server URL.
  const out = structuredClone(doc);
  for (const [path, item] of Object.entries((out.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, value] of Object.entries(item)) {
      const o = value as Operation;
      const entry = OPERATIONS[`${method as Method} ${path}`];
      if (entry) {
        o.operationId = entry.operationId;
        o.tags = entry.tags;
        o.description = entry.description;
        const body = o.requestBody?.content?.['application/json'];
        if (body && entry.requestExample !== undefined) body.example = entry.requestExample;
      }
      if (o.security?.length) o.responses['401'] ??= errorResponse('UNAUTHENTICATED: no token, or one that belongs to no account');
      if (o.requestBody) {
        o.responses['400'] ??= errorResponse('VALIDATION_FAILED (every failing field), MALFORMED_JSON or INVALID_REQUEST');
        o.responses['413'] ??= errorResponse('PAYLOAD_TOO_LARGE: the body is over 1 MiB');
        o.responses['415'] ??= errorResponse("UNSUPPORTED_MEDIA_TYPE: send the body with 'Content-Type: application/json'");
      }
      o.responses['500'] ??= errorResponse('INTERNAL: a bug; the server log has the details under the x-request-id of the answer');
    }
  }
  return {
    ...out,
    servers: [{ url: serverUrl ?? 'http://127.0.0.1:8080', description: serverUrl ? 'this server' : 'the default of `imagenest server`' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  };
}
