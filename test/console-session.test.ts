/**
 * The console's sign-in in Chromium against a real server process: a wrong token is refused
 * with a message, the right one signs in and survives a reload (session storage), sign-out
 * forgets it; the page is served for any console path and passes axe at both sizes.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
