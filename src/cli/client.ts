/** A small typed client for the Imagenest HTTP API, used by the CLI (and tests). */
import { isErrorCode, ImagenestError, type ErrorCode } from '../domain/errors.ts';
import type {
  AccountWithToken,
  DeleteResult,
  Region,
  RegionImage,
  SimImage,
  VersionStatus,
  ErrorBody,
  Package,
  PackageList,
  PublishResult,
  Version,
} from '../contract/schemas.ts';

/** A failed API call: the server's error code, message and details, or a transport failure. */
export class ApiError extends ImagenestError {
  constructor(
    code: ErrorCode,
    message: string,
    details: unknown = null,
    readonly status = 0,
  ) {
    super(code, message, { details });
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  url: string;
  token?: string | undefined;
  /** Per-request timeout. */
  timeoutMs?: number;
}

type Query = Record<string, string | string[] | number | undefined>;

export class ImagenestClient {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ClientOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const url = new URL(this.#base + path);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new ApiError('UNREACHABLE', `cannot reach the Imagenest server at ${this.#base} (${cause}); is 'imagenest server' running? (--url, IMAGENEST_URL)`);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ApiError('BAD_RESPONSE', `the server answered ${res.status} with a body that is not JSON`, null, res.status);
    }
    if (!res.ok) {
      const e = (parsed as ErrorBody | undefined)?.error;
      if (!isErrorCode(e?.code)) {
        throw new ApiError('BAD_RESPONSE', `the server answered ${res.status}${e?.code ? ` with an error code this CLI does not know (${e.code})` : ' without an error document'}: ${e?.message ?? text.slice(0, 200)}`, e?.details ?? null, res.status);
      }
      throw new ApiError(e.code, e.message ?? `HTTP ${res.status}`, e.details ?? null, res.status);
    }
    return parsed as T;
  }

  createAccount(body: { name: string; role: 'supplier' | 'consumer' | 'admin' }): Promise<AccountWithToken> {
    return this.request('POST', '/v1/accounts', { body });
  }

  createPackage(body: unknown, idempotencyKey?: string): Promise<Package> {
    return this.request('POST', '/v1/packages', { body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
  }

  listPackages(query: Query): Promise<PackageList> {
    return this.request('GET', '/v1/packages', { query });
  }

  /** The region catalogue (served without a token). */
  regions(): Promise<{ items: Region[] }> {
    return this.request('GET', '/v1/regions');
  }

  getPackage(ref: string): Promise<Package> {
    return this.request('GET', `/v1/packages/${encodeURIComponent(ref)}`);
  }

  /** undefined: deleted; otherwise its regional copies are being removed first. */
  deletePackage(ref: string): Promise<DeleteResult | undefined> {
    return this.request('DELETE', `/v1/packages/${encodeURIComponent(ref)}`);
  }

  saveDraft(ref: string, body: unknown): Promise<Version> {
    return this.request('PATCH', `/v1/packages/${encodeURIComponent(ref)}/versions/draft`, { body });
  }

  publish(ref: string, idempotencyKey?: string): Promise<PublishResult> {
    return this.request('POST', `/v1/packages/${encodeURIComponent(ref)}/publish`, {
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });
  }

  getVersion(ref: string, version: string): Promise<Version> {
    return this.request('GET', `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}`);
  }

  /** undefined: deleted; otherwise its regional copies are being removed first. */
  deleteVersion(ref: string, version: string): Promise<DeleteResult | undefined> {
    return this.request('DELETE', `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}`);
  }

  status(ref: string, version: string): Promise<VersionStatus> {
    return this.request('GET', `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}/status`);
  }

  retry(ref: string, version: string, region?: string): Promise<VersionStatus> {
    return this.request('POST', `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}/retry`, { body: region ? { region } : {} });
  }

  cancel(ref: string, version: string): Promise<VersionStatus> {
    return this.request('POST', `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}/cancel`);
  }

  imageId(ref: string, version: string, region: string): Promise<RegionImage> {
    return this.request(
      'GET',
      `/v1/packages/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}/regions/${encodeURIComponent(region)}/image-id`,
    );
  }

  createSimImage(body: { region: string; sizeGiB: number; name?: string }): Promise<SimImage> {
    return this.request('POST', '/v1/sim/images', { body });
  }
}
