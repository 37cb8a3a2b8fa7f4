/**
 * ECS instances through the ECS API (RunInstances, DescribeInstances, DeleteInstances) and a
 * custom image made from one (CreateImage with InstanceId: how a vendor makes a source image),
 * over the simulator's tables. Instances share the table of the resources deployments make, so
 * DescribeInstances sees a stack's instances too. An instance starts only from an image the
 * account may use in its region: the deployer's oracle (sim-image-use.ts).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { findRegion } from '../../domain/regions.ts';
import { CloudError, type CallAs, type CloudImage } from '../provider.ts';
import { imageCreationMs, INSTANCE_START_MS } from './model.ts';
import { systemImage, imageUse } from './sim-image-use.ts';
import { clientTokenUse, imageAt, imageMadeWith, insertOwnedImage } from './sim-images.ts';
import { liveInstanceRows } from './sim-instances.ts';
import { nextCounter } from './sim-meta.ts';
import type { SimDb, SimTrx } from './sim-schema.ts';
import type { SimClock } from './simulator.ts';

/** The resource types that are ECS instances (DescribeInstances lists them; launch templates and scaling configurations are not). */
export const INSTANCE_RESOURCE_TYPES: ReadonlySet<string> = new Set(['ALIYUN::ECS::Instance', 'ALIYUN::ECS::InstanceGroup', 'alicloud_instance', 'alicloud_ecs_instance_set']);
const RUN_INSTANCES_TYPE = 'ALIYUN::ECS::Instance';
export const MAX_RUN_AMOUNT = 100;

export type EcsInstanceStatus = 'Pending' | 'Running';

export interface EcsInstance {
  instanceId: string;
  regionId: string;
  imageId: string;
  instanceName: string;
  /** Null for an instance a deployment made (its template may not say). */
  instanceType: string | null;
  status: EcsInstanceStatus;
  creationTime: Date;
}

export interface RunInstancesRequest extends CallAs {
  regionId: string;
  imageId: string;
  instanceType: string;
  instanceName?: string | undefined;
  amount: number;
  clientToken?: string | undefined;
}

export interface InstancesRef extends CallAs {
  regionId: string;
  instanceIds: readonly string[];
}

export interface CreateImageFromInstanceRequest extends CallAs {
  regionId: string;
  instanceId: string;
  name?: string | undefined;
  clientToken?: string | undefined;
}

const statusAt = (createdAtMs: number, nowMs: number): EcsInstanceStatus => (nowMs - createdAtMs < INSTANCE_START_MS ? 'Pending' : 'Running');

function knownRegion(regionId: string, action: string): void {
  if (!findRegion(regionId)) throw new CloudError('permanent', 'InvalidRegionId.NotFound', `the region ${regionId} does not exist`, action, 404);
}

export class SimEcsInstances {
  constructor(
    private readonly db: SimDb,
    private readonly clock: SimClock,
    private readonly seed: number | string,
  ) {}

  /** Starts `amount` instances, or none: the image must be usable by the account in the region. The same ClientToken answers the same IDs. */
  async runInstances(req: RunInstancesRequest): Promise<string[]> {
    const action = 'RunInstances';
    knownRegion(req.regionId, action);
    if (!Number.isInteger(req.amount) || req.amount < 1 || req.amount > MAX_RUN_AMOUNT) {
      throw new CloudError('permanent', 'InvalidParameter.Amount', `Amount must be an integer from 1 to ${MAX_RUN_AMOUNT}`, action);
    }
    const token = req.clientToken === undefined ? undefined : clientTokenUse(req.clientToken, [req.regionId, req.imageId, req.instanceType, req.amount], action);
    const nowMs = this.clock.nowMs();
    return this.db.transaction().execute(async (trx) => {
      // One request's instances share a batch key: the token's when there is one.
      const batch = token ? `run-token:${createHash('sha256').update(`${req.account}\u0000${token.token}`).digest('hex')}` : `run:${await nextCounter(trx, 'runs')}`;
      if (token) {
        await sql`select pg_advisory_xact_lock(hashtext(${batch}))`.execute(trx);
        const prior = await trx.selectFrom('instances').select(['resource_id', 'image_id', 'region']).where('deployment_id', '=', batch).orderBy('resource_id').execute();
        if (prior.length > 0) {
          if (prior[0]!.image_id !== req.imageId || prior[0]!.region !== req.regionId || prior.length !== req.amount) {
            throw new CloudError('permanent', 'IdempotentParameterMismatch', 'the ClientToken was used for a different request', action);
          }
          return prior.map((r) => r.resource_id);
        }
      }
      const row = await trx.selectFrom('images').selectAll().where('image_id', '=', req.imageId).where('region', '=', req.regionId).executeTakeFirst();
      const use = imageUse(row, req.imageId, req.regionId, req.account, nowMs);
      // ECS says the same for an image that is not there and one the account may not use.
      if (!use.ok) throw new CloudError('notFound', 'InvalidImageId.NotFound', `The specified ImageId does not exist: ${use.message}`, action, 404);
      const ids: string[] = [];
      for (let i = 0; i < req.amount; i++) {
        const n = await nextCounter(trx, 'instances');
        const id = `i-${createHash('sha256').update(`${this.seed}:instance:${n}`).digest('hex').slice(0, 20)}`;
        await trx
          .insertInto('instances')
          .values({
            resource_id: id,
            deployment_id: batch,
            account: req.account,
            region: req.regionId,
            image_id: req.imageId,
            resource_type: RUN_INSTANCES_TYPE,
            logical_id: req.instanceName ?? id,
            instance_type: req.instanceType,
            created_at_ms: nowMs,
            deleted_at_ms: null,
          })
          .execute();
        ids.push(id);
      }
      return ids.sort();
    });
  }

  /** The account's instances in the region (every one, or those of `instanceIds`), oldest first. */
  async describeInstances(req: CallAs & { regionId: string; instanceIds?: readonly string[] | undefined }): Promise<EcsInstance[]> {
    knownRegion(req.regionId, 'DescribeInstances');
    const nowMs = this.clock.nowMs();
    const rows = await liveInstanceRows(this.db, { account: req.account, region: req.regionId });
    return rows
      .filter((r) => INSTANCE_RESOURCE_TYPES.has(r.resource_type) && (!req.instanceIds || req.instanceIds.includes(r.resource_id)))
      .map((r) => ({
        instanceId: r.resource_id,
        regionId: r.region,
        imageId: r.image_id,
        instanceName: r.logical_id,
        instanceType: r.instance_type,
        status: statusAt(r.created_at_ms, nowMs),
        creationTime: new Date(r.created_at_ms),
      }));
  }

  /**
   * Releases instances, all or none. Like ECS, only a Stopped instance is released without
   * `force`; instances here never stop, so releasing one takes `force`.
   */
  async deleteInstances(req: InstancesRef & { force: boolean }): Promise<void> {
    const action = 'DeleteInstances';
    knownRegion(req.regionId, action);
    const nowMs = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      const rows = await this.ownInstances(trx, req, action);
      if (!req.force) {
        const running = rows[0]!;
        throw new CloudError('permanent', 'IncorrectInstanceStatus', `instance ${running.resource_id} is ${statusAt(running.created_at_ms, nowMs)}; stop it first, or release it with Force=true`, action, 403);
      }
      await trx.updateTable('instances').set({ deleted_at_ms: nowMs }).where('resource_id', 'in', rows.map((r) => r.resource_id)).execute();
    });
  }

  /**
   * A custom image of the instance's system disk, owned by the caller: Creating until it is done
   * (model.ts imageCreationMs), then Available. The instance must be Running (ECS: or Stopped).
   */
  async createImageFromInstance(req: CreateImageFromInstanceRequest): Promise<CloudImage> {
    const action = 'CreateImage';
    knownRegion(req.regionId, action);
    const token = req.clientToken === undefined ? undefined : clientTokenUse(req.clientToken, [action, req.regionId, req.instanceId], action);
    const nowMs = this.clock.nowMs();
    const imageId = await this.db.transaction().execute(async (trx) => {
      const prior = token ? await imageMadeWith(trx, req.account, token, action) : undefined;
      if (prior) return prior;
      const [instance] = await this.ownInstances(trx, { ...req, instanceIds: [req.instanceId] }, action);
      if (statusAt(instance!.created_at_ms, nowMs) !== 'Running') {
        throw new CloudError('permanent', 'IncorrectInstanceStatus', `instance ${req.instanceId} is Pending; an image is made of a Running or Stopped instance`, action, 400);
      }
      const sizeGiB = await this.systemDiskGiB(trx, instance!.image_id, req.regionId);
      return insertOwnedImage(trx, this.seed, { account: req.account, regionId: req.regionId, sizeGiB, name: req.name, atMs: nowMs, readyAtMs: nowMs + imageCreationMs(sizeGiB), clientToken: token });
    });
    const row = await this.db.selectFrom('images').selectAll().where('image_id', '=', imageId).executeTakeFirstOrThrow();
    return imageAt(row, nowMs);
  }

  /** The account's live instances of these IDs in the region, every one of them, or InvalidInstanceId.NotFound. */
  private async ownInstances(trx: SimTrx, req: InstancesRef, action: string) {
    const rows = (await liveInstanceRows(trx, { account: req.account, region: req.regionId })).filter((r) => INSTANCE_RESOURCE_TYPES.has(r.resource_type) && req.instanceIds.includes(r.resource_id));
    const missing = req.instanceIds.filter((id) => !rows.some((r) => r.resource_id === id));
    if (missing.length > 0 || rows.length === 0) {
      throw new CloudError('notFound', 'InvalidInstanceId.NotFound', `The specified InstanceId does not exist: ${missing.join(', ') || '(none given)'} in ${req.regionId}`, action, 404);
    }
    return rows;
  }

  /** Its image's size: the system disk an image of the instance holds. */
  private async systemDiskGiB(trx: SimTrx, imageId: string, regionId: string): Promise<number> {
    const system = systemImage(imageId, regionId);
    if (system) return system.sizeGiB;
    const row = await trx.selectFrom('images').select('size_gib').where('image_id', '=', imageId).executeTakeFirst();
    return row?.size_gib ?? 40;
  }
}
