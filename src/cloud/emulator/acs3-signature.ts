/**
 * Checks an Alibaba Cloud API request's ACS3-HMAC-SHA256 signature (the V3 signature the
 * official SDKs send), recomputing it with the SDK's own canonicalisation so both sides agree
 * by construction.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { OpenApiUtil } from '../alibaba/sdk.ts';

export const ACS3 = 'ACS3-HMAC-SHA256';
/** How far a request's x-acs-date may be from the emulator's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];

export interface SignedRequest {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export type SignatureCheck =
  | { ok: true; accessKeyId: string; nonce: string; dateMs: number }
  | { ok: false; status: number; code: string; message: string };

/** The one x-acs-date format ECS documents (ISO 8601, UTC, whole seconds). */
const ACS_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** The instant of a documented x-acs-date, or NaN for anything else (RFC 2822, offsets, millis, Feb 30). */
export function parseAcsDate(value: string): number {
  const m = ACS_DATE.exec(value);
  if (!m) return Number.NaN;
  const ms = Date.parse(value);
  return new Date(ms).toISOString().replace('.000Z', 'Z') === value ? ms : Number.NaN;
}

const AUTH = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/;

export function checkAcs3Signature(req: SignedRequest, secretOf: (accessKeyId: string) => string | undefined, nowMs: number): SignatureCheck {
  const auth = req.headers.authorization;
  const m = auth ? AUTH.exec(auth) : null;
  if (!m) {
    return { ok: false, status: 400, code: 'IncompleteSignature', message: `the request must carry an Authorization header "${ACS3} Credential=…,SignedHeaders=…,Signature=…"` };
  }
  const [, accessKeyId, signedList, signature] = m as unknown as [string, string, string, string];
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, status: 404, code: 'InvalidAccessKeyId.NotFound', message: `the AccessKey ID ${accessKeyId} does not exist` };
  const signed = signedList.split(';');
  const missing = REQUIRED_SIGNED.filter((h) => !signed.includes(h) || req.headers[h] === undefined);
  if (missing.length > 0) return { ok: false, status: 400, code: 'IncompleteSignature', message: `these headers must be present and signed: ${missing.join(', ')}` };
  const date = parseAcsDate(req.headers['x-acs-date']!);
  if (Number.isNaN(date)) {
    return { ok: false, status: 400, code: 'InvalidTimeStamp.Format', message: `x-acs-date must be ISO 8601 in UTC, YYYY-MM-DDThh:mm:ssZ; got ${JSON.stringify(req.headers['x-acs-date']!.slice(0, 64))}` };
  }
  if (Math.abs(nowMs - date) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, status: 400, code: 'InvalidTimeStamp.Expired', message: `x-acs-date ${req.headers['x-acs-date']} is more than 15 minutes from the server's time` };
  }
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (req.headers['x-acs-content-sha256'] !== bodyHash) {
    return { ok: false, status: 400, code: 'SignatureDoesNotMatch', message: 'x-acs-content-sha256 does not match the request body' };
  }
  const headers = Object.fromEntries(signed.map((h) => [h, req.headers[h] ?? '']));
  // The SDK's canonicalisation takes its own Request model; only these four fields are read.
  const request = { pathname: req.path, method: req.method, query: req.query, headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0];
  const expected = /Signature=([0-9a-f]{64})$/.exec(OpenApiUtil.getAuthorization(request, ACS3, bodyHash, accessKeyId, secret))?.[1] ?? '';
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { ok: false, status: 400, code: 'SignatureDoesNotMatch', message: 'the request signature does not match; check the AccessKey secret and how the request was signed' };
  }
  return { ok: true, accessKeyId, nonce: req.headers['x-acs-signature-nonce']!, dateMs: date };
}
