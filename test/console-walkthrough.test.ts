/**
 * The SPEC walk-through in the console, in Chromium against a real server process on the
 * embedded simulator: a supplier creates a package (the form shows each broken rule, with the
 * API's own message, before sending), publishes it and watches its regions turn Available
 * without reloading; creates a service, selects the package for its placeholder, submits; the
 * admin approves from the review queue; the supplier publishes; a consumer sees where the
 * service can be deployed now and why not elsewhere, deploys in a region and sees that region's
 * image ID. Every main page passes axe at both sizes and is photographed at both sizes; no page
 * logs a console error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ImagenestClient } from '../src/cli/client.ts';
import { browserSkipReason, launchBrowser, openTab, type ConsoleTab } from './support/browser.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const SOURCE = 'cn-hangzhou';
const TARGETS = ['cn-shanghai', 'ap-southeast-1'];
const DEPLOY_IN = 'cn-shanghai';
const NOT_DISTRIBUTED = 'us-west-1';
const PLACEHOLDER = 'm-placeholder';

const skip = browserSkipReason('Console browser suite');

describe.skipIf(skip !== null)('the walk-through in the console', () => {
  let server: ServerProcess;
  let browser: Browser;
  const tabs: ConsoleTab[] = [];
  let supplierToken: string;
  let consumerToken: string;
  let sourceImage: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(['--sim-speed', '2000']), launchBrowser()]);
    const admin = new ImagenestClient({ url: server.url, token: server.adminToken });
    supplierToken = (await admin.createAccount({ name: 'acme', role: 'supplier' })).token;
    consumerToken = (await admin.createAccount({ name: 'globex', role: 'consumer' })).token;
    sourceImage = (await new ImagenestClient({ url: server.url, token: supplierToken }).createSimImage({ region: SOURCE, sizeGiB: 1 })).imageId;
  });
  afterAll(async () => {
    for (const t of tabs) await t.close();
    await browser?.close();
    await server?.stop();
  });

  /** The simulated cloud's injected faults (admin). */
  const faults = (body: object) => new ImagenestClient({ url: server.url, token: server.adminToken }).request('PUT', '/v1/sim/faults', { body });

  async function signedIn(token: string): Promise<ConsoleTab> {
    const tab = await openTab(browser, server.url);
    tabs.push(tab);
    await tab.page.goto(server.url);
    await tab.page.getByLabel('Account token').fill(token);
    await tab.page.getByRole('button', { name: 'Sign in' }).click();
    await tab.page.getByRole('button', { name: 'Sign out' }).waitFor();
    return tab;
  }

  /** axe at both sizes, then screenshots at both sizes. */
  async function check(tab: ConsoleTab, name: string) {
    expect([name, await tab.axe()]).toEqual([name, []]);
    await tab.screenshot(name);
  }

  it('runs from package to deployed instance', { timeout: 240_000 }, async () => {
    const supplier = await signedIn(supplierToken);
    const sp = supplier.page;
    await sp.getByText('No deployment packages yet').waitFor();
    await check(supplier, 'packages-empty');

    // The create form: broken rules shown as typed, in the API's own words, before any request.
    await sp.getByRole('link', { name: 'Create package' }).click();
    await sp.getByLabel('Package name').fill('ab');
    await sp.getByLabel('Description', { exact: true }).fill('short');
    await sp.getByLabel('Source image ID').fill('nope');
    await sp.getByLabel('Version name').focus();
    const api = await new ImagenestClient({ url: server.url, token: supplierToken })
      .createPackage({ name: 'ab', description: 'short', version: { name: 'v1_0', content: { sourceRegion: SOURCE, imageId: 'nope', regions: TARGETS } } })
      .then(() => [], (err: ApiError) => (err.details as { violations: { field: string; message: string }[] }).violations);
    const message = (field: string) => api.find((v) => v.field === field)!.message;
    const errorOf = async (label: string, exact = false) => (await sp.getByLabel(label, { exact }).getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'));
    for (const [label, field] of [['Package name', 'name'], ['Source image ID', 'version.content.imageId']] as const) {
      expect(await sp.locator(`[id="${await errorOf(label)}"]`).textContent()).toContain(message(field));
    }
    expect(await sp.locator(`[id="${await errorOf('Description', true)}"]`).textContent()).toContain(message('description'));
    await check(supplier, 'package-create-invalid');

    await sp.getByLabel('Package name').fill('web_app');
    await sp.getByLabel('Description', { exact: true }).fill('The web application server image');
    await sp.getByLabel('Version name').fill('v1_0');
    await sp.getByLabel('Source region').selectOption(SOURCE);
    await sp.getByLabel('Source image ID').fill(sourceImage);
    for (const r of TARGETS) await sp.getByRole('checkbox', { name: new RegExp(`^${r}`) }).check();
    expect(await sp.locator('[aria-invalid="true"]').count()).toBe(0);
    await sp.getByRole('button', { name: 'Create and save draft' }).click();

    // Publish with the confirmation that the content locks; the regions turn Available live.
    await faults({ regionFailureRate: { [TARGETS[1]!]: 1 } });
    await sp.getByRole('button', { name: 'Publish…' }).click();
    await expect.poll(() => sp.getByRole('dialog').textContent()).toContain('content is then locked');
    await sp.getByRole('button', { name: 'Publish and distribute' }).click();
    const grid = sp.getByRole('list', { name: 'Regions by state' });
    const tile = (r: string, state: string) => grid.locator('li', { hasText: r }).and(sp.locator(`li.${state}`));
    // The second region's copy fails in the cloud: shown Failed with the cloud's error, and retried in place.
    await tile(TARGETS[1]!, 'Failed').waitFor({ timeout: 120_000 });
    expect(await sp.locator(`tr[data-region="${TARGETS[1]}"]`).textContent()).toMatch(/Retry/);
    await faults({});
    await sp.getByRole('button', { name: `Retry ${TARGETS[1]}` }).click();
    for (const r of TARGETS) await tile(r, 'Available').waitFor({ timeout: 120_000 });
    const shanghai = sp.locator(`tr[data-region="${DEPLOY_IN}"]`);
    const imageId = (await new ImagenestClient({ url: server.url, token: supplierToken }).imageId('web_app', '1', DEPLOY_IN)).imageId;
    await expect.poll(() => shanghai.locator('code').textContent()).toBe(imageId);
    await check(supplier, 'package-details');
    // A new draft from the published version: saved beside it, the published one untouched.
    await sp.getByRole('button', { name: 'New draft' }).click();
    await sp.getByRole('form', { name: 'Draft' }).getByLabel('Version name').fill('v2_0');
    await sp.getByRole('button', { name: 'Save draft' }).click();
    await sp.getByRole('heading', { name: /^Draft · v2_0/ }).waitFor();
    await sp.getByRole('link', { name: '← Deployment packages' }).click();
    await sp.getByRole('link', { name: 'web_app' }).waitFor();
    await check(supplier, 'packages');

    // A service: its placeholder associated through "select deployment package"; made public; submitted.
    await sp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
    await sp.getByRole('link', { name: 'Create service' }).click();
    await sp.getByLabel('Service name').fill('web_service');
    await sp.getByLabel('Description').fill('The web application, one instance');
    await check(supplier, 'service-create');
    await sp.getByRole('button', { name: 'Create service' }).click();
    await sp.getByRole('button', { name: `Select deployment package for ${PLACEHOLDER}` }).click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByLabel('Deployment package').selectOption({ label: 'web_app' });
    await dialog.getByLabel('Version').selectOption({ label: 'v1 (v1_0) · Available' });
    await expect.poll(() => dialog.textContent()).toContain(`Available now in ${TARGETS.length + 1} region(s)`);
    await dialog.getByRole('button', { name: 'Associate' }).click();
    await expect.poll(() => sp.getByRole('table', { name: 'Image placeholders' }).textContent()).toContain('web_app · v1');
    await sp.getByLabel('Visibility', { exact: true }).selectOption('public');
    await sp.getByRole('button', { name: 'Save visibility' }).click();
    await expect.poll(() => sp.locator('h1 + p + p.hint').textContent()).toContain('public');
    await check(supplier, 'service-details');
    await sp.getByRole('button', { name: 'Submit for review' }).click();
    await sp.locator('h1 .badge.Submitted').waitFor();

    // The admin approves from the review queue.
    const admin = await signedIn(server.adminToken);
    await admin.page.getByRole('link', { name: 'web_service' }).waitFor();
    await check(admin, 'review-queue');
    await admin.page.getByRole('link', { name: 'web_service' }).click();
    await admin.page.getByRole('button', { name: 'Approve' }).click();
    await admin.page.locator('h1 .badge.Approved').waitFor();

    // The supplier's page learns of the approval without a reload, and publishes.
    await sp.getByRole('button', { name: 'Publish', exact: true }).click({ timeout: 30_000 });
    await sp.locator('h1 .badge.Online').waitFor();

    // The consumer: deployable where the version is Available, and told why not elsewhere.
    const consumer = await signedIn(consumerToken);
    const cp = consumer.page;
    await cp.getByRole('link', { name: 'Deploy web_service' }).waitFor();
    await check(consumer, 'catalog');
    await cp.getByRole('link', { name: 'Deploy web_service' }).click();
    const region = (id: string) => cp.locator(`label[data-region="${id}"]`);
    await region(DEPLOY_IN).waitFor();
    expect(await region(DEPLOY_IN).textContent()).toContain('Deployable now');
    expect(await region(NOT_DISTRIBUTED).textContent()).toContain('Not deployable: web_app v1 is not distributed to this region');
    expect(await region(NOT_DISTRIBUTED).getByRole('radio').isDisabled()).toBe(true);
    await check(consumer, 'deploy-region-picker');
    await region(DEPLOY_IN).getByRole('radio').check();
    await cp.getByRole('button', { name: 'Create instance' }).click();
    const images = cp.getByRole('table', { name: 'Images used' });
    await images.waitFor();
    expect(await cp.getByTestId('instance-region').textContent()).toBe(DEPLOY_IN);
    expect(await images.locator('tbody tr').first().locator('code').nth(1).textContent()).toBe(imageId);
    await check(consumer, 'instance');

    for (const t of tabs) expect(t.errors).toEqual([]);
  });
});
