/**
 * Marketplace versions end to end, through the real server and CLI on the simulator's seeded
 * catalogue: checked at save against where the product version is sold, mapped on publish to
 * each region's marketplace image with no copy, and usable like any version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketplaceImageId } from '../src/cloud/simulator/marketplace.ts';
import { createDatabase } from './support/pg-database.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let token: string;

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  database = base ? await createDatabase(base) : undefined;
  server = await startServerProcess(['--sim-speed', '1000', ...(database ? ['--database-url', database.url] : [])]);
  token = (await runCli(['--url', server.url, '--token', server.adminToken, 'account', 'create', '--name', 'mkt_vendor', '--role', 'supplier', '--json'])).json.token;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const cli = (args: string[]) => runCli(['--url', server.url, '--token', token, ...args]);

// WordPress V6.4 is sold in cn-hangzhou, cn-shanghai, cn-beijing, ap-southeast-1 and eu-central-1.
const PRODUCT = ['--image-type', 'marketplace', '--product-code', 'cmjj000202', '--product-version', 'V6.4', '--source-region', 'cn-hangzhou'];
const SOLD = ['ap-southeast-1', 'cn-beijing', 'cn-hangzhou', 'cn-shanghai', 'eu-central-1'];
const TARGETS = ['cn-shanghai', 'ap-southeast-1', 'eu-central-1'];

describe('a marketplace package', { timeout: 300_000 }, () => {
  it('is refused at save when a region is not one where the product is sold, listing where it is', async () => {
    const r = await cli(['package', 'create', '--name', 'wp_anywhere', '--version-name', 'v6_4', '--description', 'WordPress from the marketplace', ...PRODUCT, '--regions', 'cn-shanghai,us-east-1', '--json']);
    expect([r.code, r.json.error.code]).toEqual([1, 'VALIDATION_FAILED']);
    expect(r.json.error.details.violations).toEqual([expect.objectContaining({ field: 'version.content.regions', rule: 'marketplace', allowed: SOLD })]);
    // Nothing was created.
    expect((await cli(['package', 'list', '--json'])).json.items).toEqual([]);
  });

  it('is refused at save for a version of the product that is not sold, listing the versions that are', async () => {
    const r = await cli(['package', 'create', '--name', 'wp_old', '--version-name', 'v5_0', '--description', 'WordPress from the marketplace', ...PRODUCT.slice(0, 4), '--product-version', 'V5.0', '--source-region', 'cn-hangzhou', '--regions', 'cn-shanghai', '--json']);
    expect([r.code, r.json.error.code]).toEqual([1, 'VALIDATION_FAILED']);
    expect(r.json.error.details.violations).toEqual([expect.objectContaining({ field: 'version.content.productVersion', allowed: ['V6.4'] })]);
  });

  it('publishes to three regions where it is sold: Available at once, each region with its own marketplace image, nothing copied', async () => {
    const created = await cli(['package', 'create', '--name', 'wp_site', '--version-name', 'v6_4', '--description', 'WordPress from the marketplace', ...PRODUCT, '--regions', TARGETS.join(','), '--json']);
    expect(created.code).toBe(0);
    const published = await cli(['package', 'publish', 'wp_site', '--wait', '--json']);
    expect(published.code).toBe(0);
    const status = await cli(['package', 'status', 'wp_site', '--json']);
    expect(status.json.state).toBe('Available');
    for (const region of ['cn-hangzhou', ...TARGETS]) {
      const id = await cli(['package', 'image-id', 'wp_site', '--version', '1', '--region', region, '--json']);
      expect([id.code, id.json.imageId]).toEqual([0, marketplaceImageId('cmjj000202', 'V6.4', region)]);
    }
    // Nothing was copied: the server's cloud-call counters have DescribeImages (the catalogue) and no CopyImage.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/imagenest_cloud_api_calls_total\{action="DescribeImages",outcome="ok"\} [1-9]/);
    expect(metrics).not.toMatch(/imagenest_cloud_api_calls_total\{action="CopyImage"/);
    // A region it was not published to has no image for it.
    const refused = await cli(['package', 'image-id', 'wp_site', '--version', '1', '--region', 'cn-beijing', '--json']);
    expect([refused.code, refused.json.error.code]).toEqual([1, 'REGION_NOT_AVAILABLE']);
  });

  it('is deleted at once: its images are the marketplace\'s, nothing of ours to remove', async () => {
    const r = await cli(['package', 'delete', 'wp_site', '--version', '1', '--json']);
    expect([r.code, r.json.state]).toEqual([0, 'Deleted']);
  });
});
