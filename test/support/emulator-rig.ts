/**
 * The ECS emulator in-process over a real socket, on a simulator with a virtual clock: the
 * official SDK and the Alibaba adapter talk HTTP to it while tests move time and arrange
 * fixtures on the simulator underneath. Each account's access key ID is the account itself.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AlibabaEcsProvider } from '../../src/cloud/alibaba/ecs-provider.ts';
import { $Ecs, $OpenApiUtil } from '../../src/cloud/alibaba/sdk.ts';
import { ecsEmulatorApi } from '../../src/cloud/emulator/ecs-api.ts';
import { VirtualClock } from '../../src/cloud/simulator/clocks.ts';
import { openSimDatabase } from '../../src/cloud/simulator/sim-migrations.ts';
import { CloudSimulator } from '../../src/cloud/simulator/simulator.ts';
import type { ContractRig } from './cloud-contract.ts';
import { pgliteBackend } from './stores.ts';

export const secretOf = (account: string) => `secret-of-${account}`;

/** The emulator serving a simulator, as the adapter and the official SDK reach it. */
export interface ServedEmulator {
  /** The Alibaba adapter, signing as whichever account it is asked to call as. */
  cloud: AlibabaEcsProvider;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** The official SDK's client, signing as `account`. */
  sdk(account: string, secret?: string): InstanceType<typeof $Ecs.default>;
  /** Every request the emulator answered: action and query parameters. */
  requests: { action: string; params: URLSearchParams }[];
  close(): Promise<void>;
}

/** Serves the ECS API over `sim` on a free local port, with a key for each account. */
export async function serveEmulator(sim: CloudSimulator, accounts: readonly string[]): Promise<ServedEmulator> {
  const api = ecsEmulatorApi({ cloud: sim, accessKeys: new Map(accounts.map((a) => [a, secretOf(a)])), instances: sim.ecsInstances(), createImage: (req) => sim.createImage(req) });
  const requests: ServedEmulator['requests'] = [];
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: (req) => {
          requests.push({ action: req.headers.get('x-acs-action') ?? '', params: new URL(req.url).searchParams });
          return api.fetch(req);
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(s),
    );
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    cloud: new AlibabaEcsProvider({ endpoint, credentialsFor: (account) => ({ accessKeyId: account, accessKeySecret: secretOf(account) }) }),
    endpoint,
    requests,
    sdk: (account, secret = secretOf(account)) =>
      new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId: account, accessKeySecret: secret, endpoint: endpoint.replace('http://', ''), protocol: 'HTTP', regionId: 'cn-hangzhou' })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface EmulatorRig extends ContractRig, ServedEmulator {
  cloud: AlibabaEcsProvider;
  close(): Promise<void>;
}

/** A simulator of its own on a virtual clock, served. */
export async function openEmulatorRig(accounts: readonly string[]): Promise<EmulatorRig> {
  const store = await pgliteBackend.open();
  const clock = new VirtualClock();
  const sim = new CloudSimulator(await openSimDatabase(store.db), clock, 3);
  const served = await serveEmulator(sim, accounts);
  return {
    ...served,
    sim,
    clock,
    async close() {
      await served.close();
      await store.close();
    },
  };
}
