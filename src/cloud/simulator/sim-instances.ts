/**
 * The ECS resources deployments (and RunInstances: sim-ecs-instances.ts) made in the simulated
 * cloud, read back: the deployer answers a repeated start with them, and tests and admins see
 * what runs where (never the product's tables).
 */
import type { SimInstanceRecord } from '../simulator-port.ts';
import type { SimDb, SimTrx } from './sim-schema.ts';

export interface InstanceFilter {
  deploymentId?: string;
  account?: string;
  region?: string | undefined;
}

/** Live (not released) resources matching the filter, in creation order. */
export function liveInstanceRows(db: SimDb | SimTrx, f: InstanceFilter) {
  let q = db.selectFrom('instances').selectAll().where('deleted_at_ms', 'is', null);
  if (f.deploymentId !== undefined) q = q.where('deployment_id', '=', f.deploymentId);
  if (f.account !== undefined) q = q.where('account', '=', f.account);
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  return q.orderBy('created_at_ms').orderBy('resource_id').execute();
}

/** What runs in the account, in one region or all. */
export async function describeSimInstances(db: SimDb, req: { account: string; region?: string | undefined }): Promise<SimInstanceRecord[]> {
  const rows = await liveInstanceRows(db, { account: req.account, region: req.region });
  return rows.map((r) => ({
    resourceId: r.resource_id,
    resourceType: r.resource_type,
    logicalId: r.logical_id,
    imageId: r.image_id,
    deploymentId: r.deployment_id,
    account: r.account,
    region: r.region,
  }));
}
