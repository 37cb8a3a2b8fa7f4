/** A deployment whose call the cloud refuses outright (the consumer's keys) fails the instance with the reason; an unreachable cloud is an error of the request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as deployments from '../src/app/deployments.ts';
import type { Deployer } from '../src/cloud/deployer.ts';
import { CloudError } from '../src/cloud/provider.ts';
import type { Store } from '../src/store/database.ts';
import { draftServiceFixture, type DraftServiceFixture } from './support/deploy-fixture.ts';
import { pgliteBackend } from './support/stores.ts';

const refusing = (err: CloudError): Deployer => ({
  start: () => Promise.reject(err),
  poll: () => Promise.reject(err),
  destroy: () => Promise.resolve({ ok: true }),
});

describe('a deployment the cloud refuses', () => {
  let store: Store;
  let f: DraftServiceFixture;
  beforeAll(async () => {
    store = await pgliteBackend.open();
    f = await draftServiceFixture(store);
  });
  afterAll(async () => store?.close());

  it('fails the instance with DEPLOY_FAILED naming the account and the cloud\'s code, and it can be deleted', async () => {
    const deps = { ...f.deps, deployer: refusing(new CloudError('permanent', 'InvalidAccessKeyId.NotFound', 'no Alibaba Cloud credentials are configured', 'CreateStack', 404)) };
    const i = await deployments.testService(deps, f.supplier, f.serviceId, { region: 'cn-hangzhou' });
    expect([i.state, i.error?.code]).toEqual(['Failed', 'DEPLOY_FAILED']);
    expect(i.error?.message).toContain(f.supplier.accountId);
    expect(i.error?.message).toContain('InvalidAccessKeyId.NotFound');
    expect((await deployments.deleteInstance(deps, f.supplier, i.id)).state).toBe('Deleted');
  });

  it('answers an unreachable cloud with an error, not a failed instance', async () => {
    const deps = { ...f.deps, deployer: refusing(new CloudError('transient', 'NetworkError', 'connect ECONNREFUSED', 'CreateStack', 503)) };
    await expect(deployments.testService(deps, f.supplier, f.serviceId, { region: 'cn-hangzhou' })).rejects.toMatchObject({ code: 'NetworkError' });
  });
});
