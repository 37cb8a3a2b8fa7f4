/**
 * The emulator's ECS instance actions — RunInstances, DescribeInstances, DeleteInstances — and
 * CreateImage, as ECS takes and answers them. CreateImage with `InstanceId` is how a vendor
 * makes a source image (Creating, then Available in emulated time, owned by the caller). One
 * liberty remains: with only `DiskDeviceMapping.1.Size` (ECS would want a snapshot), it makes an
 * Available image of that size out of nothing, for a supplier account that has no instance.
 */
import type { CloudImage } from '../provider.ts';
import type { SimEcsInstances } from '../simulator/sim-ecs-instances.ts';
import { bool, ecsTime, list, page, ParamError, positiveInt, required, type Params } from './ecs-params.ts';

/** What the instance actions need of the cloud underneath (the simulator's SimEcsInstances). */
export type EcsInstancesBackend = Pick<SimEcsInstances, 'runInstances' | 'describeInstances' | 'deleteInstances' | 'createImageFromInstance'>;

/** Makes a custom image of a size out of nothing (the CreateImage liberty). */
export type CreateImageOutOfNothing = (req: { account: string; regionId: string; sizeGiB: number; name?: string }) => Promise<CloudImage>;

export type EcsAction = (p: Params, account: string) => Promise<Record<string, unknown>>;

const MAX_IDS = 100;

/** DescribeInstances' `InstanceIds`: a JSON array of up to 100 IDs. */
function instanceIds(p: Params): string[] | undefined {
  const raw = p.get('InstanceIds');
  if (raw === null) return undefined;
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    ids = null;
  }
  if (!Array.isArray(ids) || ids.length > MAX_IDS || !ids.every((i) => typeof i === 'string')) {
    throw new ParamError('InvalidInstanceIds.Malformed', `InstanceIds must be a JSON array of up to ${MAX_IDS} instance IDs, e.g. ["i-1","i-2"]`);
  }
  return ids as string[];
}

/** The instance actions, and CreateImage with whichever sources are given. */
export function instanceActions(instances: EcsInstancesBackend | undefined, outOfNothing: CreateImageOutOfNothing | undefined): Record<string, EcsAction> {
  const actions: Record<string, EcsAction> = {};
  if (instances || outOfNothing) {
    actions.CreateImage = async (p, account) => {
      const regionId = required(p, 'RegionId');
      const name = p.get('ImageName') ?? undefined;
      const instanceId = p.get('InstanceId');
      if (instanceId && instances) {
        const img = await instances.createImageFromInstance({ account, regionId, instanceId, name, clientToken: p.get('ClientToken') ?? undefined });
        return { ImageId: img.imageId };
      }
      const size = positiveInt(p, 'DiskDeviceMapping.1.Size', 0, 32_768);
      if (size === 0 || !outOfNothing) {
        throw new ParamError('MissingParameter', `the input parameter InstanceId${outOfNothing ? ' or DiskDeviceMapping.1.Size' : ''} that is mandatory for processing this request is not supplied`);
      }
      return { ImageId: (await outOfNothing({ account, regionId, sizeGiB: size, ...(name === undefined ? {} : { name }) })).imageId };
    };
  }
  if (!instances) return actions;
  actions.RunInstances = async (p, account) => {
    const ids = await instances.runInstances({
      account,
      regionId: required(p, 'RegionId'),
      imageId: required(p, 'ImageId'),
      instanceType: required(p, 'InstanceType'),
      instanceName: p.get('InstanceName') ?? undefined,
      amount: positiveInt(p, 'Amount', 1, 100),
      clientToken: p.get('ClientToken') ?? undefined,
    });
    return { InstanceIdSets: { InstanceIdSet: ids } };
  };
  actions.DescribeInstances = async (p, account) => {
    const regionId = required(p, 'RegionId');
    const status = p.get('Status');
    const found = await instances.describeInstances({ account, regionId, instanceIds: instanceIds(p) });
    const { items, ...paging } = page(p, status === null ? found : found.filter((i) => i.status === status));
    return {
      ...paging,
      Instances: {
        Instance: items.map((i) => ({
          InstanceId: i.instanceId,
          InstanceName: i.instanceName,
          HostName: i.instanceName,
          ImageId: i.imageId,
          RegionId: i.regionId,
          ZoneId: `${i.regionId}-a`,
          Status: i.status,
          InstanceType: i.instanceType ?? '',
          InstanceChargeType: 'PostPaid',
          CreationTime: ecsTime(i.creationTime, 'minute'),
        })),
      },
    };
  };
  actions.DeleteInstances = async (p, account) => {
    const ids = list(p, 'InstanceId');
    if (ids.length === 0) throw new ParamError('MissingParameter', 'the input parameter "InstanceId.1" that is mandatory for processing this request is not supplied');
    if (ids.length > MAX_IDS) throw new ParamError('InvalidParameter.InstanceIds', `at most ${MAX_IDS} instances a call`);
    await instances.deleteInstances({ account, regionId: required(p, 'RegionId'), instanceIds: ids, force: bool(p, 'Force') ?? false });
    return {};
  };
  return actions;
}
