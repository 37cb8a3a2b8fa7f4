/**
 * The envelope of an Alibaba Cloud RPC-style API as the emulator serves it, whatever the product:
 * the request is read the way its signature reads it (one value per query parameter, a bounded
 * body), the ACS3-HMAC-SHA256 signature and its nonce are checked, the version must be the
 * product's, and the action gets the parameters of the query and of a form body (ROS sends
 * `TemplateBody` there). Answers are `{RequestId, …}`; errors `{RequestId, HostId, Code, Message,
 * Recommend}` with the product's HTTP status.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { CloudError } from '../provider.ts';
import { checkAcs3Signature, MAX_CLOCK_SKEW_MS } from './acs3-signature.ts';
import { NonceRegister } from './nonce-register.ts';
import { MAX_BODY_BYTES, readBoundedBody, readQuery } from './request-limits.ts';

/** A refusal an action answers with: the product's code and HTTP status. */
export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type RpcAction = (params: URLSearchParams, account: string) => Promise<Record<string, unknown>>;

export interface RpcApiOptions {
  /** The product's API version, e.g. `2019-09-10`. */
  version: string;
  /** Names the product in errors, e.g. `ros.emulator.imagenest`. */
  hostId: string;
  actions: Readonly<Record<string, RpcAction>>;
  /** Access key ID → secret; the ID is also the account the request acts as. */
  accessKeys: ReadonlyMap<string, string>;
  /** Wall-clock time for signature dates (requests are signed with real time). */
  nowMs?: () => number;
}

/** A Hono handler serving the API's actions at `/`. */
export function signedRpcHandler(options: RpcApiOptions): (c: Context) => Promise<Response> {
  const now = options.nowMs ?? Date.now;
  const nonces = new NonceRegister();
  const fail = (c: Context, requestId: string, status: number, code: string, message: string) =>
    c.json({ RequestId: requestId, HostId: options.hostId, Code: code, Message: message, Recommend: '' }, status as 400);

  return async (c) => {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(c.req.url);
    const query = readQuery(url.search);
    if (!query.ok) return fail(c, requestId, 400, 'InvalidParameter', `the parameter ${JSON.stringify(query.name.slice(0, 128))} appears more than once; give each parameter once`);
    const read = await readBoundedBody(c.req.raw);
    if (!read.ok) {
      c.header('connection', 'close');
      return fail(c, requestId, 413, 'RequestBodyTooLarge', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    const nowMs = now();
    const check = checkAcs3Signature({ method: c.req.method, path: url.pathname, query: query.query, headers, body: read.body }, (id) => options.accessKeys.get(id), nowMs);
    if (!check.ok) return fail(c, requestId, check.status, check.code, check.message);
    if (!nonces.claim(check.accessKeyId, check.nonce, check.dateMs + MAX_CLOCK_SKEW_MS, nowMs)) {
      return fail(c, requestId, 400, 'SignatureNonceUsed', 'the x-acs-signature-nonce of this request was used already; sign every request with a new nonce');
    }
    if (headers['x-acs-version'] !== options.version) {
      return fail(c, requestId, 400, 'InvalidVersion', `this endpoint serves API version ${options.version}, not ${headers['x-acs-version']}`);
    }
    // The action reads exactly what the signature covered: the signed query, and the hashed body.
    const params = new URLSearchParams(query.query);
    if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [name, value] of new URLSearchParams(Buffer.from(read.body).toString('utf8'))) {
        if (params.has(name)) return fail(c, requestId, 400, 'InvalidParameter', `the parameter ${JSON.stringify(name.slice(0, 128))} appears more than once; give each parameter once`);
        params.set(name, value);
      }
    }
    const action = headers['x-acs-action'] ?? '';
    const handler = Object.hasOwn(options.actions, action) ? options.actions[action] : undefined;
    if (!handler) return fail(c, requestId, 404, 'InvalidAction.NotFound', `the action ${action || '(none)'} is not served here; served: ${Object.keys(options.actions).join(', ')}`);
    try {
      return c.json({ RequestId: requestId, ...(await handler(params, check.accessKeyId)) });
    } catch (err) {
      if (err instanceof RpcError) return fail(c, requestId, err.status, err.code, err.message);
      if (err instanceof CloudError) return fail(c, requestId, err.httpStatus, err.code, err.message);
      return fail(c, requestId, 500, 'InternalError', 'The request processing has failed due to some unknown error.');
    }
  };
}
