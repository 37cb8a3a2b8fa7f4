/**
 * The simulator's Deployer: reads the resolved template with the project's template engine and,
 * for every image value of a supported resource, makes a simulated ECS resource in the region.
 * It is the end-to-end oracle of image resolution: it refuses an image that does not exist in
 * the region or that the deploying account may not use (not its own, not shared with it, not
 * public), so a wrong mapping cannot pass a test. All or nothing: a refused deployment makes nothing.
 */
import { createHash } from 'node:crypto';
import { analyze } from '../../templates/engine.ts';
import { hasErrors, type ImageSite } from '../../templates/model.ts';
import type { DeployedResource, DeployEvent, Deployer, DeployRequest, DeployStatus, DestroyResult } from '../deployer.ts';
import { imageUse } from './sim-image-use.ts';
import type { SimDb } from './sim-schema.ts';
import type { SimClock } from './simulator.ts';
import type { SimInstanceRecord } from '../simulator-port.ts';
import { describeSimInstances, liveInstanceRows } from './sim-instances.ts';

/** One resource the simulated cloud runs, as `describeInstances` reports it. */
export type SimInstance = SimInstanceRecord;

function resourceId(deploymentId: string, n: number): string {
  return `i-${createHash('sha256').update(`${deploymentId}:${n}`).digest('hex').slice(0, 20)}`;
}

export class SimulatorDeployer implements Deployer {
  constructor(
    private readonly db: SimDb,
    private readonly clock: SimClock,
  ) {}

  async start(req: DeployRequest): Promise<DeployStatus> {
    const sites: ImageSite[] = [];
    for (const f of req.template.files) {
      const a = analyze(f.name, f.text);
      if (hasErrors(a)) {
        const d = a.diagnostics.find((x) => x.severity === 'error')!;
        return { state: 'failed', code: 'TEMPLATE_UNSUPPORTED', message: `${f.name}:${d.line}:${d.column}: ${d.message}`, events: [] };
      }
      sites.push(...a.sites);
    }
    const nowMs = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      // A repeated start of the same deployment finds what the first made.
      const made = await liveInstanceRows(trx, { deploymentId: req.instanceId });
      if (made.length > 0) return { state: 'succeeded', resources: made.map(toResource), events: [] };
      const ids = [...new Set(sites.map((s) => s.value))];
      const rows = ids.length === 0 ? [] : await trx.selectFrom('images').selectAll().where('image_id', 'in', ids).where('region', '=', req.region).execute();
      for (const id of ids) {
        const v = imageUse(rows.find((r) => r.image_id === id), id, req.region, req.account, nowMs);
        if (!v.ok) return { state: 'failed', code: v.code, message: v.message, events: [{ type: 'DeployRefused', message: v.message }] };
      }
      const resources: DeployedResource[] = [];
      const events: DeployEvent[] = [];
      for (const [n, s] of sites.entries()) {
        const r = { resourceId: resourceId(req.instanceId, n), resourceType: s.resourceType, logicalId: s.resource, imageId: s.value };
        await trx
          .insertInto('instances')
          .values({ resource_id: r.resourceId, deployment_id: req.instanceId, account: req.account, region: req.region, image_id: r.imageId, resource_type: r.resourceType, logical_id: r.logicalId, created_at_ms: nowMs, deleted_at_ms: null })
          .execute();
        resources.push(r);
        events.push({ type: 'ResourceCreated', message: `${r.resourceType} ${r.logicalId} is ${r.resourceId} running ${r.imageId} in ${req.region}` });
      }
      return { state: 'succeeded', resources, events };
    });
  }

  async poll(req: { account: string; region: string; handle: string }): Promise<DeployStatus> {
    // Deployments here finish inside `start`: a handle is that deployment's ID.
    const made = await liveInstanceRows(this.db, { deploymentId: req.handle });
    return { state: 'succeeded', resources: made.map(toResource), events: [] };
  }

  async destroy(req: { account: string; region: string; resources: readonly DeployedResource[] }): Promise<DestroyResult> {
    const ids = req.resources.map((r) => r.resourceId);
    if (ids.length === 0) return { ok: true };
    await this.db
      .updateTable('instances')
      .set({ deleted_at_ms: this.clock.nowMs() })
      .where('resource_id', 'in', ids)
      .where('account', '=', req.account)
      .where('region', '=', req.region)
      .where('deleted_at_ms', 'is', null)
      .execute();
    return { ok: true };
  }

  /** What runs in the account, in one region or all: tests check the cloud with this, not the database. */
  async describeInstances(req: { account: string; region?: string }): Promise<SimInstance[]> {
    return describeSimInstances(this.db, req);
  }
}

function toResource(r: { resource_id: string; resource_type: string; logical_id: string; image_id: string }): DeployedResource {
  return { resourceId: r.resource_id, resourceType: r.resource_type, logicalId: r.logical_id, imageId: r.image_id };
}
