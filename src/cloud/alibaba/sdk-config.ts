/**
 * How an official Alibaba Cloud SDK client is configured for an account: its credentials (an
 * access key or the SDK's default chain), its region, and an endpoint that overrides the SDK's
 * own choice (an `imagenest emulator`, a proxy). One place for every product's client.
 */
import { CloudError } from '../provider.ts';
import { fromSdkError } from './ecs-errors.ts';
import { $OpenApiUtil, Credential } from './sdk.ts';

/** An account's access key, or the SDK's default credential chain (environment, profile, instance RAM role). */
export type SdkCredentials = { accessKeyId: string; accessKeySecret: string; securityToken?: string } | 'default-chain';

export interface SdkEndpoint {
  host: string;
  protocol: 'HTTP' | 'HTTPS';
}

/** `host:port` (HTTPS) or an http:// / https:// URL. */
export function parseEndpoint(endpoint: string): SdkEndpoint {
  if (!/^[a-z]+:\/\//i.test(endpoint)) return { host: endpoint, protocol: 'HTTPS' };
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the Alibaba Cloud endpoint must be http:// or https://, not ${url.protocol}`);
  return { host: url.host, protocol: url.protocol === 'http:' ? 'HTTP' : 'HTTPS' };
}

export function sdkConfig(creds: SdkCredentials, region: string, endpoint: SdkEndpoint | undefined, timeoutMs: number): InstanceType<typeof $OpenApiUtil.Config> {
  return new $OpenApiUtil.Config({
    regionId: region,
    ...(endpoint ? { endpoint: endpoint.host, protocol: endpoint.protocol } : {}),
    ...(creds === 'default-chain' ? { credential: new Credential() } : creds),
    readTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
  });
}

export interface SdkClientsOptions<C> {
  /** The credentials to call as `account`; undefined: that account is not configured. */
  credentialsFor(account: string): SdkCredentials | undefined;
  /** `host:port` or a URL; when set, every region's calls go to it (an emulator, a proxy). */
  endpoint?: string | undefined;
  /** Milliseconds before a call is abandoned. */
  timeoutMs?: number | undefined;
  /** Makes the product's client (`new Ecs(config)`, `new Ros(config)`). */
  make(config: InstanceType<typeof $OpenApiUtil.Config>): C;
  /** Said after "no credentials are configured for account X" (whose keys these are). */
  whose?: string;
}

/**
 * One product's SDK clients: one per account (and per region, unless a fixed endpoint serves
 * every region), made on first use with that account's keys; a call's SDK error becomes a
 * classified CloudError.
 */
export class SdkClients<C> {
  readonly #clients = new Map<string, C>();
  readonly #endpoint: SdkEndpoint | undefined;

  constructor(private readonly options: SdkClientsOptions<C>) {
    this.#endpoint = options.endpoint ? parseEndpoint(options.endpoint) : undefined;
  }

  async call<T>(account: string, region: string, action: string, fn: (client: C) => Promise<T>): Promise<T> {
    const client = this.client(account, region, action);
    try {
      return await fn(client);
    } catch (err) {
      throw fromSdkError(err, action);
    }
  }

  client(account: string, region: string, action: string): C {
    const key = `${account}\u0000${this.#endpoint ? '' : region}`;
    const cached = this.#clients.get(key);
    if (cached) return cached;
    const creds = this.options.credentialsFor(account);
    if (!creds) {
      throw new CloudError(
        'permanent',
        'InvalidAccessKeyId.NotFound',
        `no Alibaba Cloud credentials are configured for account ${account}${this.options.whose ? `, ${this.options.whose}` : ''}; add them to the file IMAGENEST_ALIBABA_CREDENTIALS names`,
        action,
        404,
      );
    }
    const client = this.options.make(sdkConfig(creds, region, this.#endpoint, this.options.timeoutMs ?? 30_000));
    this.#clients.set(key, client);
    return client;
  }
}
