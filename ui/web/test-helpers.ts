/**
 * For the browser tests: the real core behind the real UI server, with the built UI, and a Chromium page
 * that records console errors. The core is driven through its port (core/scheduler/test-helpers.ts);
 * the server observes it every `pollMs` and tells the page through its change feed.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { build } from 'vite';
import { NO_LOGGER } from '../../core/port.js';
import { harness } from '../../core/scheduler/test-helpers.js';
import { startUiServer } from '../server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const WEB_ROOT = join(HERE, 'dist');
export const SCREENSHOTS = join(HERE, '..', '..', 'test-results', 'ui');

/** The UI as `npm run build:ui` makes it; built here when a test runs before any build. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(WEB_ROOT, 'index.html'))) return;
  await build({ configFile: join(HERE, 'vite.config.ts'), logLevel: 'warn' });
}

export type Harness = ReturnType<typeof harness>;

export interface UiFixture {
  readonly h: Harness;
  readonly url: string;
  close(): Promise<void>;
}

/** A scheduler with `yaml`, set up by `setup`, served with the built UI on a free port. */
export async function startUi(yaml: string, setup: (h: Harness) => void, pollMs = 50): Promise<UiFixture> {
  await ensureBuilt();
  const h = harness(yaml, { start: Date.now() });
  setup(h);
  const server = await startUiServer({ port: 0, host: '127.0.0.1', scheduler: h.s, logger: NO_LOGGER, webRoot: WEB_ROOT, pollMs });
  return { h, url: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: string[];
  /** Full page loads so far: a navigation inside the app adds none. */
  readonly loads: () => number;
  readonly close: () => Promise<void>;
}

/** A fresh page (its own context: no cache, no history) that collects console errors. */
export async function openPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  let loads = 0;
  page.on('load', () => loads++);
  return { page, errors, loads: () => loads, close: () => context.close() };
}

/** One attribute of every element a locator matches, in document order. */
export async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)));
}

/** Scroll the element under `locator` to its end, as a person does, with the mouse wheel. */
export async function scrollToEnd(page: Page, locator: Locator): Promise<void> {
  await locator.hover({ position: { x: 50, y: 80 } });
  await page.mouse.wheel(0, 10_000_000);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
