/**
 * The console's API client: the CLI's typed client (checked against the served OpenAPI
 * document by test/openapi-client.test.ts), over the same origin, with the signed-in token.
 */
import { ApiError, ImagenestClient } from '../../src/cli/client.ts';
import { servicesClient } from '../../src/cli/services-client.ts';
import type { Account } from '../../src/contract/schemas.ts';
import type { Instance } from '../../src/contract/instances.ts';

export { ApiError };

export type InstanceEvent = { at: string; type: string; message: string };

/** Every call the console makes, for one token. */
export function apiFor(token: string | undefined) {
  const client = new ImagenestClient({ url: window.location.origin, token });
  return {
    client,
    services: servicesClient(client),
    account: () => client.request<Account>('GET', '/v1/account'),
    accounts: () => client.request<{ items: Account[] }>('GET', '/v1/accounts'),
    instances: {
      list: () => client.request<{ items: Instance[] }>('GET', '/v1/instances'),
      get: (id: string) => client.request<Instance>('GET', `/v1/instances/${encodeURIComponent(id)}`),
      events: (id: string) => client.request<{ items: InstanceEvent[] }>('GET', `/v1/instances/${encodeURIComponent(id)}/events`),
      create: (body: { service: string; region: string; parameters?: Record<string, string> }) => client.request<Instance>('POST', '/v1/instances', { body }),
    },
  };
}
export type Api = ReturnType<typeof apiFor>;

/** A sentence for people from anything a call throws. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.code === 'UNREACHABLE' ? 'The Imagenest server cannot be reached; check that it is running, then try again.' : `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
