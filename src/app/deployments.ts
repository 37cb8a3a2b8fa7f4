/**
 * Service instances (SPEC §7): a consumer deploys a visible service's Online revision, the vendor
 * test-deploys its open revision, and pipelines read a revision resolved for a region. Nothing is
 * deployed (no instance row either) unless every placeholder has its image in the region.
 */
import type { Deployer, DeployedResource, DeployRequest, DeployStatus } from '../cloud/deployer.ts';
import { CloudError } from '../cloud/provider.ts';
import type { Caller } from '../domain/account.ts';
import { deploymentRevision, type DeploymentPurpose } from '../domain/deployment/deployable.ts';
import { applyInstanceEvent } from '../domain/deployment/instance-state.ts';
import { checkParameters, undeclaredParameters } from '../domain/deployment/parameters.ts';
import { ErrorCode, ImagenestError, notFound, validationError } from '../domain/errors.ts';
import { REGIONS } from '../domain/regions.ts';
import type { RegionDeployability } from '../contract/instances.ts';
import type { ServiceAction } from '../domain/service/access.ts';
import type { Db } from '../store/database.ts';
import * as instances from '../store/instances-repo.ts';
import { findServiceById } from '../store/services-repo.ts';
import type { InstanceImageColumn } from '../store/services-schema.ts';
import type { AppDeps } from './deps.ts';
import { resolveRevision, type ResolvedRevision } from './revision-resolution.ts';
import { loadService } from './service-context.ts';

export interface DeployDeps extends AppDeps {
  deployer: Deployer;
}

export interface InstanceView {
  id: string;
  service: string;
  revision: string;
  state: instances.InstanceRecord['state'];
  region: string;
  test: boolean;
  parameters: Record<string, string>;
  images: { placeholder: string; package: string; packageId: string; version: number | 'draft'; imageId: string }[];
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** The images a deployment uses, as the wire shows them (package by name and ID). */
export function imagesView(images: readonly InstanceImageColumn[]): InstanceView['images'] {
  return images.map((m) => ({ placeholder: m.placeholder, package: m.packageName, packageId: m.packageId, version: m.version, imageId: m.imageId }));
}

export function instanceView(i: instances.InstanceRecord): InstanceView {
  return {
    id: i.id,
    service: i.serviceId,
    revision: i.revisionId,
    state: i.state,
    region: i.region,
    test: i.isTest,
    parameters: i.parameters,
    images: imagesView(i.images),
    error: i.errorCode ? { code: i.errorCode, message: i.errorMessage ?? '' } : null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/**
 * The revision a purpose uses, from a service the caller may take `action` on: the one access
 * table decides (domain/service/access.ts), so what a caller may deploy or read here agrees with
 * what it may see through /v1/services — NOT_FOUND when it may not see it, FORBIDDEN when it sees.
 */
async function revisionFor(db: Db, caller: Caller, ref: string, purpose: DeploymentPurpose, action: ServiceAction) {
  const { service, revisions } = await loadService(db, caller, ref, action);
  return { service, revision: deploymentRevision(service.id, revisions, purpose) };
}

export interface DeployInput {
  region: string;
  parameters?: Record<string, string> | undefined;
}

async function deploy(deps: DeployDeps, caller: Caller, ref: string, input: DeployInput, purpose: DeploymentPurpose): Promise<InstanceView> {
  const parameters = input.parameters ?? {};
  const violations = checkParameters(parameters);
  if (violations.length > 0) throw validationError(violations);
  const now = deps.clock.now();
  const record = await deps.db.transaction().execute(async (trx) => {
    const { service, revision } = await revisionFor(trx, caller, ref, purpose, purpose === 'test' ? 'test' : 'deploy');
    const resolved = await resolveRevision(trx, revision, input.region, deps.lookups);
    const undeclared = resolved.parameters === null ? [] : undeclaredParameters(parameters, resolved.parameters);
    if (undeclared.length > 0) throw validationError(undeclared);
    const r: instances.InstanceRecord = {
      id: deps.ids.id('si'),
      serviceId: service.id,
      revisionId: revision.id,
      ownerId: caller.accountId,
      region: input.region,
      state: 'Deploying',
      isTest: purpose === 'test',
      parameters,
      images: resolved.images,
      resolvedTemplate: resolved.template,
      resources: [],
      errorCode: null,
      errorMessage: null,
      createdAt: now,
      updatedAt: now,
    };
    await instances.insertInstance(trx, r);
    const used = resolved.images.map((i) => `${i.placeholder}=${i.imageId}`).join(', ');
    await instances.appendInstanceEvent(trx, { instanceId: r.id, at: now, type: 'DeployRequested', message: `deploying revision ${revision.number} of ${service.name} in ${input.region}${used ? ` with ${used}` : ''}` });
    return { r, deployType: service.deployType };
  });
  return instanceView(await settle(deps, record.r.id, await startRefusable(deps.deployer, startRequest(record.r, record.deployType))));
}

/** The deployer's start of an instance: keyed by its ID, so a repeated start finds the first deployment. */
function startRequest(i: instances.InstanceRecord, deployType: 'ros' | 'terraform'): DeployRequest {
  return { instanceId: i.id, account: i.ownerId, region: i.region, deployType, template: i.resolvedTemplate, parameters: i.parameters };
}

/**
 * The deployer's start, with a call the cloud refused outright (the consumer's keys unknown or
 * wrong, a permission missing) as the instance's failure: nothing was deployed, and the instance
 * says why instead of staying Deploying. A cloud that could not be reached still throws.
 */
async function startRefusable(deployer: Deployer, req: DeployRequest): Promise<DeployStatus> {
  try {
    return await deployer.start(req);
  } catch (err) {
    if (!(err instanceof CloudError) || err.kind === 'transient' || err.kind === 'throttled') throw err;
    return { state: 'failed', code: 'DEPLOY_FAILED', message: `the cloud refused ${err.action} for account ${req.account} (${err.code}): ${err.message}`, events: [] };
  }
}

/** A consumer's deployment of the Online revision of a service visible to it. */
export function createInstance(deps: DeployDeps, caller: Caller, ref: string, input: DeployInput): Promise<InstanceView> {
  return deploy(deps, caller, ref, input, 'consumer');
}

/** The owner's test deployment of its open revision: a draft association only in its package's source region. */
export function testService(deps: DeployDeps, caller: Caller, ref: string, input: DeployInput): Promise<InstanceView> {
  return deploy(deps, caller, ref, input, 'test');
}

/** Records what the deployer answered: Deployed or Failed with its code, or still running with its handle. */
async function settle(deps: AppDeps, id: string, status: DeployStatus): Promise<instances.InstanceRecord> {
  return deps.db.transaction().execute(async (trx) => {
    const i = (await instances.findInstanceById(trx, id))!;
    const at = deps.clock.now();
    for (const e of status.events) await instances.appendInstanceEvent(trx, { instanceId: id, at, type: e.type, message: e.message });
    if (i.state !== 'Deploying') return i;
    if (status.state === 'running') {
      await instances.appendInstanceEvent(trx, { instanceId: id, at, type: 'DeployRunning', message: 'the cloud is deploying', data: { handle: status.handle } });
      return i;
    }
    const ok = status.state === 'succeeded';
    const state = applyInstanceEvent(i.state, ok ? { type: 'deployed' } : { type: 'fail' }, id);
    const changes = ok ? { state, resources: status.resources } : { state, errorCode: status.code, errorMessage: status.message };
    await instances.updateInstance(trx, id, { ...changes, updatedAt: at });
    await instances.appendInstanceEvent(trx, { instanceId: id, at, type: ok ? 'Deployed' : 'DeployFailed', message: ok ? `${status.resources.length} resource(s) running` : `${status.code}: ${status.message}` });
    return (await instances.findInstanceById(trx, id))!;
  });
}

async function ownedInstance(db: Db, caller: Caller, id: string): Promise<instances.InstanceRecord> {
  const i = await instances.findOwnedInstance(db, caller.accountId, id);
  if (!i) throw notFound('instance', id);
  return i;
}

/** The handle the deployer answered `running` with, recorded on the instance's DeployRunning event. */
async function deploymentHandle(db: Db, id: string): Promise<string | undefined> {
  const running = (await instances.listInstanceEvents(db, id)).filter((e) => e.type === 'DeployRunning').pop();
  return (running?.data as { handle?: string } | null)?.handle;
}

/** One of the caller's instances; a deployment the cloud still runs asynchronously is polled first. */
export async function getInstance(deps: DeployDeps, caller: Caller, id: string): Promise<InstanceView> {
  const i = await ownedInstance(deps.db, caller, id);
  if (i.state !== 'Deploying') return instanceView(i);
  const handle = await deploymentHandle(deps.db, id);
  if (handle) return instanceView(await settle(deps, id, await deps.deployer.poll({ account: i.ownerId, region: i.region, handle })));
  // The start's answer never arrived (the cloud unreachable, the process gone): start again; the
  // deployer finds the first deployment by the instance ID. Still unreachable: still Deploying.
  const service = await findServiceById(deps.db, i.serviceId);
  if (!service) return instanceView(i);
  try {
    return instanceView(await settle(deps, id, await startRefusable(deps.deployer, startRequest(i, service.deployType))));
  } catch (err) {
    if (err instanceof CloudError && (err.kind === 'transient' || err.kind === 'throttled')) return instanceView(i);
    throw err;
  }
}

export async function listInstances(deps: AppDeps, caller: Caller): Promise<{ items: InstanceView[] }> {
  const rows = await instances.listOwnedInstances(deps.db, caller.accountId, { limit: 100 });
  return { items: rows.map(instanceView) };
}

export async function instanceEvents(deps: AppDeps, caller: Caller, id: string) {
  await ownedInstance(deps.db, caller, id);
  const rows = await instances.listInstanceEvents(deps.db, id);
  return { items: rows.map((e) => ({ at: e.at.toISOString(), type: e.type, message: e.message })) };
}

/** Deleting → Deleted once the cloud released every resource (Failed, to be deleted again, otherwise). */
export async function deleteInstance(deps: DeployDeps, caller: Caller, id: string): Promise<InstanceView> {
  const i = await deps.db.transaction().execute(async (trx) => {
    const cur = await instances.findOwnedInstance(trx, caller.accountId, id, { forUpdate: true });
    if (!cur) throw notFound('instance', id);
    const state = applyInstanceEvent(cur.state, { type: 'delete' }, id);
    const at = deps.clock.now();
    await instances.updateInstance(trx, id, { state, updatedAt: at });
    await instances.appendInstanceEvent(trx, { instanceId: id, at, type: 'DeleteRequested', message: `releasing ${cur.resources.length} resource(s)` });
    return cur;
  });
  const r = await deps.deployer.destroy({ account: i.ownerId, region: i.region, resources: i.resources as DeployedResource[], handle: await deploymentHandle(deps.db, id) });
  await deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const state = applyInstanceEvent('Deleting', r.ok ? { type: 'deleted' } : { type: 'fail' }, id);
    await instances.updateInstance(trx, id, r.ok ? { state, resources: [], updatedAt: at } : { state, errorCode: r.code, errorMessage: r.message, updatedAt: at });
    await instances.appendInstanceEvent(trx, { instanceId: id, at, type: r.ok ? 'Deleted' : 'DeleteFailed', message: r.ok ? 'every resource released' : `${r.code}: ${r.message}` });
  });
  return instanceView(await ownedInstance(deps.db, caller, id));
}

/** A revision resolved for a region, for pipelines: the Online one, or the owner's open one with `revision=draft`. */
export async function resolvedTemplate(deps: AppDeps, caller: Caller, ref: string, region: string, revision?: 'draft'): Promise<ResolvedRevision & { service: string; revision: number }> {
  const { service, revision: rev } = revision === 'draft'
    ? await revisionFor(deps.db, caller, ref, 'test', 'test')
    : await revisionFor(deps.db, caller, ref, 'consumer', 'view');
  const r = await resolveRevision(deps.db, rev, region, deps.lookups);
  return { ...r, service: service.id, revision: rev.number };
}

/**
 * Where the Online revision (or the owner's open one, `revision=draft`) can be deployed now, region
 * by region of the catalogue: the same resolution a deployment makes, its refusals kept as the why.
 */
export async function regionDeployability(deps: AppDeps, caller: Caller, ref: string, revision?: 'draft'): Promise<RegionDeployability> {
  const { service, revision: rev } = revision === 'draft'
    ? await revisionFor(deps.db, caller, ref, 'test', 'test')
    : await revisionFor(deps.db, caller, ref, 'consumer', 'view');
  const items = await Promise.all(
    REGIONS.map(async ({ id: region }) => {
      try {
        await resolveRevision(deps.db, rev, region, deps.lookups);
        return { region, deployable: true, refusals: [] };
      } catch (err) {
        if (!(err instanceof ImagenestError) || err.code !== ErrorCode.IMAGE_NOT_AVAILABLE_IN_REGION) throw err;
        return { region, deployable: false, refusals: (err.details as { refusals: RegionDeployability['items'][number]['refusals'] }).refusals };
      }
    }),
  );
  return { service: service.id, revision: rev.number, items };
}
