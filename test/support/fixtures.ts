/** Deterministic helpers shared by the tests: deps over a store, accounts, package inputs. */
import { randomIds } from '../../src/app/ids.ts';
import type { AppDeps } from '../../src/app/deps.ts';
import type { SourceImages } from '../../src/app/ports.ts';
import type { Caller } from '../../src/domain/account.ts';
import type { CreatePackageInput } from '../../src/domain/package.ts';
import { insertAccount } from '../../src/store/accounts-repo.ts';
import type { Store } from '../../src/store/database.ts';
import { hashToken } from '../../src/app/ids.ts';
import { RegionWakeups } from '../../src/distribution/wakeups.ts';
import { simulatorMarketplaceCatalog } from '../../src/cloud/simulator/marketplace.ts';

/** A cloud in which every source image exists and is Available, for use cases that need no cloud. */
export const USABLE_SOURCE_IMAGES: SourceImages = { inspect: async () => ({ state: 'usable', sizeGiB: 20 }) };

/**
 * Use-case tests need no job queue (wake-ups are recorded in region_schedule and go no further)
 * and, unless they give one, no cloud.
 */
export function depsFor(store: Store, sourceImages: SourceImages = USABLE_SOURCE_IMAGES): AppDeps {
  const wakeups = new RegionWakeups({ nowMs: () => Date.now(), realDelayMs: (ms) => ms }, { enqueue: async () => {} });
  return { db: store.db, clock: { now: () => new Date() }, ids: randomIds, wakeups, sourceImages, marketplace: simulatorMarketplaceCatalog() };
}

/** Inserts an account and returns it as a caller, with its token. */
export async function makeAccount(deps: AppDeps, role: Caller['role'] = 'supplier'): Promise<Caller & { token: string }> {
  const id = deps.ids.id('acc');
  const token = deps.ids.token();
  await deps.db.transaction().execute((trx) =>
    insertAccount(trx, { id, name: `${role}_${id.slice(-6)}`, role, createdAt: new Date() }, hashToken(token)),
  );
  return { accountId: id, role, token };
}

export function packageInput(overrides: Partial<CreatePackageInput> = {}): CreatePackageInput {
  return {
    name: 'web_app',
    description: 'The web application server image',
    version: {
      name: 'v1_0',
      content: { imageType: 'custom', sourceRegion: 'cn-hangzhou', imageId: 'm-bp1example01', regions: ['cn-shanghai', 'ap-southeast-1'] },
    },
    ...overrides,
  };
}

/** A ROS template with one ECS instance per image value, in order (Vm0, Vm1, …). */
export function rosTemplate(images: readonly string[]): string {
  return [
    'ROSTemplateFormatVersion: "2015-09-01"',
    'Resources:',
    ...images.flatMap((img, i) => [`  Vm${i}:`, '    Type: ALIYUN::ECS::Instance', '    Properties:', `      ImageId: ${img}`]),
    '',
  ].join('\n');
}
