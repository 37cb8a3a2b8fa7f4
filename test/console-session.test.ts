/**
 * The console's sign-in in Chromium against a real server process: a wrong token is refused
 * with a message, the right one signs in and survives a reload (session storage), sign-out
 * forgets it; the page is served for any console path and passes axe at both sizes. A page
 * follows changes made elsewhere without a reload: over the server's event stream, and by
 * polling when the stream cannot be had.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagenestClient } from '../src/cli/client.ts';
import { browserSkipReason, launchBrowser, openTab, type ConsoleTab } from './support/browser.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const skip = browserSkipReason('Console browser suite');

describe.skipIf(skip !== null)('console sign-in', () => {
  let server: ServerProcess;
  let browser: Browser;
  let tab: ConsoleTab;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchBrowser()]);
    tab = await openTab(browser, server.url);
  });
  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await server?.stop();
  });

  it('signs in with a token kept for the tab, and signs out', async () => {
    const { page } = tab;
    await page.goto(`${server.url}/packages`);
    await page.getByLabel('Account token').waitFor();
    expect(await tab.axe()).toEqual([]);
    await tab.screenshot('sign-in');

    await page.getByLabel('Account token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('UNAUTHENTICATED');

    await page.getByLabel('Account token').fill(server.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("imagenest.token")')).toBe(server.adminToken);

    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Account token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    // The wrong token's 401 is the one error the browser itself logs.
    expect(tab.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  /** Signs in as a new supplier in a fresh tab, the event stream blocked or not; the list shows what the API adds meanwhile. */
  async function followsChanges(blockStream: boolean) {
    const admin = new ImagenestClient({ url: server.url, token: server.adminToken });
    const token = (await admin.createAccount({ name: `live_${blockStream}`, role: 'supplier' })).token;
    const t = await openTab(browser, server.url);
    try {
      const streams: string[] = [];
      t.page.on('request', (r) => {
        if (r.url().endsWith('/v1/events/stream')) streams.push(r.url());
      });
      if (blockStream) await t.context.route('**/v1/events/stream', (r) => r.abort('connectionrefused'));
      await t.page.goto(server.url);
      await t.page.getByLabel('Account token').fill(token);
      await t.page.getByRole('button', { name: 'Sign in' }).click();
      await t.page.getByText('No deployment packages yet').waitFor();
      await new ImagenestClient({ url: server.url, token }).createPackage({
        name: 'made_elsewhere',
        description: 'Created through the API meanwhile',
        version: { name: 'v1_0', content: { sourceRegion: 'cn-hangzhou', imageId: 'm-elsewhere', regions: ['cn-shanghai'] } },
      });
      await t.page.getByRole('link', { name: 'made_elsewhere' }).waitFor({ timeout: 30_000 });
      expect(streams.length).toBeGreaterThan(0);
      return t.errors;
    } finally {
      await t.close();
    }
  }

  it('shows changes made elsewhere without a reload, over the event stream', async () => {
    expect(await followsChanges(false)).toEqual([]);
  });

  it('shows them by polling when the event stream is refused', async () => {
    // The refused stream is the one error the browser logs.
    expect((await followsChanges(true)).filter((e) => !e.includes('ERR_CONNECTION_REFUSED') && !e.includes('Failed to fetch'))).toEqual([]);
  });
});
