/**
 * Issue 11 finding 3, over a real socket: what the emulator acts on is what was signed. A signed
 * request is built here with the SDK's own signing (OpenApiUtil), then altered or replayed as an
 * attacker who captured it would; the official SDK's own calls keep working.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floodChunked } from '../../../test/support/flood.ts';
import { pgliteBackend } from '../../../test/support/stores.ts';
import type { Store } from '../../store/database.ts';
import { $Ecs, $OpenApiUtil, OpenApiUtil } from '../alibaba/sdk.ts';
import { VirtualClock } from '../simulator/clocks.ts';
import { openSimDatabase } from '../simulator/sim-migrations.ts';
import { CloudSimulator } from '../simulator/simulator.ts';
import { ACS3 } from './acs3-signature.ts';
import { ECS_API_VERSION as VERSION, ecsEmulatorApi } from './ecs-api.ts';
import { MAX_BODY_BYTES } from './request-limits.ts';

const KEY = 'supplier';
const SECRET = 'supplier-secret';
let store: Store;
let sim: CloudSimulator;
let server: ReturnType<typeof serve>;
let host: string;

beforeAll(async () => {
  store = await pgliteBackend.open();
  sim = new CloudSimulator(await openSimDatabase(store.db), new VirtualClock(), 1);
  const api = ecsEmulatorApi({ cloud: sim, accessKeys: new Map([[KEY, SECRET]]), createImage: (req) => sim.createImage(req) });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await store?.close();
});

const sdk = () => new $Ecs.default(new $OpenApiUtil.Config({ accessKeyId: KEY, accessKeySecret: SECRET, endpoint: host, protocol: 'HTTP', regionId: 'cn-hangzhou' }));

/** The headers the SDK would send for `query`, signed by the SDK's own code. */
function sign(action: string, query: Record<string, string>, over: { date?: string; nonce?: string } = {}): Record<string, string> {
  const bodyHash = createHash('sha256').update('').digest('hex');
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-version': VERSION,
    'x-acs-date': over.date ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': over.nonce ?? `nonce-${Math.random()}`,
    'x-acs-content-sha256': bodyHash,
  };
  const req = { pathname: '/', method: 'POST', query, headers } as unknown as Parameters<typeof OpenApiUtil.getAuthorization>[0];
  return { ...headers, authorization: OpenApiUtil.getAuthorization(req, ACS3, bodyHash, KEY, SECRET) };
}

/** A raw POST: the query string exactly as given, which the SDK would never send. */
function post(search: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: { Code?: string; ImageId?: string } }> {
  return fetch(`http://${host}/?${search}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as { Code?: string } }));
}

async function exists(imageId: string): Promise<boolean> {
  return (await sim.describeImages({ account: KEY, regionId: 'cn-hangzhou', imageIds: [imageId] })).length > 0;
}

describe('the query the signature covers is the query acted on', () => {
  it('refuses a DeleteImage signed for a decoy that names another image first, and deletes neither', async () => {
    const target = (await sim.createImage({ account: KEY, regionId: 'cn-hangzhou', sizeGiB: 10 })).imageId;
    const decoy = (await sim.createImage({ account: KEY, regionId: 'cn-hangzhou', sizeGiB: 10 })).imageId;
    const headers = sign('DeleteImage', { RegionId: 'cn-hangzhou', ImageId: decoy });
    const res = await post(`ImageId=${target}&RegionId=cn-hangzhou&ImageId=${decoy}`, headers);
    expect([res.status, res.json.Code]).toEqual([400, 'InvalidParameter']);
    expect([await exists(target), await exists(decoy)]).toEqual([true, true]);
  });

  it('acts on a request signed and sent the same way (the SDK path)', async () => {
    const image = (await sim.createImage({ account: KEY, regionId: 'cn-hangzhou', sizeGiB: 10 })).imageId;
    await sdk().deleteImage(new $Ecs.DeleteImageRequest({ regionId: 'cn-hangzhou', imageId: image }));
    expect(await exists(image)).toBe(false);
  });
});

describe('replays', () => {
  it('refuses a captured signed CreateImage sent again (SignatureNonceUsed), making one image', async () => {
    const query = { RegionId: 'cn-hangzhou', ImageName: 'replayed', 'DiskDeviceMapping.1.Size': '20' };
    const headers = sign('CreateImage', query);
    const search = new URLSearchParams(query).toString();
    const first = await post(search, headers);
    expect(first.status).toBe(200);
    const again = await post(search, headers);
    expect([again.status, again.json.Code]).toEqual([400, 'SignatureNonceUsed']);
    const named = (await sim.describeImages({ account: KEY, regionId: 'cn-hangzhou' })).filter((i) => i.name === 'replayed');
    expect(named).toHaveLength(1);
  });

  it('serves the SDK calling again and again (a new nonce each time)', async () => {
    const client = sdk();
    const mapping = [new $Ecs.CreateImageRequestDiskDeviceMapping({ size: 10 })];
    const a = await client.createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', imageName: 'twice', diskDeviceMapping: mapping }));
    const b = await client.createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', imageName: 'twice', diskDeviceMapping: mapping }));
    expect(a.body?.imageId).not.toBe(b.body?.imageId);
  });
});

describe('x-acs-date', () => {
  it.each([
    ['RFC 2822', () => new Date().toUTCString()],
    ['ISO with milliseconds', () => new Date().toISOString()],
    ['ISO with an offset', () => new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00')],
  ])('refuses a correctly signed %s date (InvalidTimeStamp.Format)', async (_what, date) => {
    const query = { RegionId: 'cn-hangzhou' };
    const res = await post(new URLSearchParams(query).toString(), sign('DescribeRegions', query, { date: date() }));
    expect([res.status, res.json.Code]).toEqual([400, 'InvalidTimeStamp.Format']);
  });
});

describe('body size', () => {
  it('refuses a body over the limit from its Content-Length, before reading it', async () => {
    const res = await post('RegionId=cn-hangzhou', { 'x-acs-action': 'DescribeRegions' }, 'x'.repeat(MAX_BODY_BYTES + 1));
    expect([res.status, res.json.Code]).toEqual([413, 'RequestBodyTooLarge']);
  });

  it('refuses a chunked body once it passes the limit, without reading the rest', async () => {
    // 64 MiB offered; the answer must come long before.
    const { status, sentBytes } = await floodChunked(`http://${host}/?RegionId=cn-hangzhou`, {}, 64 * MAX_BODY_BYTES);
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(32 * MAX_BODY_BYTES);
  });
});
