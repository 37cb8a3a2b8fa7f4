/**
 * How an official Alibaba Cloud SDK client is configured for an account: its credentials (an
 * access key or the SDK's default chain), its region, and an endpoint that overrides the SDK's
 * own choice (an `imagenest emulator`, a proxy). One place for every product's client.
 */
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
