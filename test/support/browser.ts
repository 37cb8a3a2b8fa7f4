/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (never a browser a
 * tool downloads), loopback only, every console error and page error collected, axe-core run in
 * the page, and screenshots at the two sizes the console is made for under test-results/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { skipReasonUnlessCi } from './outside-input.ts';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/console');
/** Runs in the page (the suite's own types have no DOM): the violations with their first nodes. */
const AXE_RUN = `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
})))`;
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** Null when Chromium is there; otherwise why the browser suites are skipped (in CI: thrown). */
export function browserSkipReason(suite: string): string | null {
  return skipReasonUnlessCi(existsSync(CHROMIUM), suite, `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export interface ConsoleTab {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Serious and critical axe-core violations of the page as shown now, at both sizes. */
  axe(): Promise<AxeFinding[]>;
  /** Screenshots of the page as shown now at both sizes, as test-results/console/<name>-<w>x<h>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh browser context (its own session storage) on the console at `baseUrl`. */
export async function openTab(browser: Browser, baseUrl: string): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: SIZES[0], reducedMotion: 'reduce' });
  // Loopback only: a page that reached for anything else would fail here, not leak.
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));

  const atEachSize = async <T>(run: (size: (typeof SIZES)[number]) => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      out.push(await run(size));
    }
    await page.setViewportSize(SIZES[0]);
    return out;
  };

  return {
    page,
    context,
    errors,
    async axe() {
      if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ content: AXE });
      const found = await atEachSize(() => page.evaluate<AxeFinding[]>(AXE_RUN));
      return found.flat().filter((v) => v.impact === 'serious' || v.impact === 'critical');
    },
    async screenshot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      await atEachSize((size) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true }));
    },
    close: () => context.close(),
  };
}
