/**
 * For the benchmark (`npm run bench`): the time to first render of the Queues page in headless
 * Chromium, against a running UI server. Each run opens a fresh browser context (empty cache, as a
 * first visit) at `/queues` and reports two times, both from the start of the navigation:
 *   markMs     the page's own mark `drover:queues-rendered`, set after the first frame that holds the
 *              tree (the REST answer fetched, decoded and drawn): what a person waits for;
 *   visibleMs  wall clock until the first queue row is visible to Playwright (adds the round trips of
 *              the automation protocol, an upper bound).
 * and how many rows the page drew (windowing keeps this near the viewport's, whatever the tree's size).
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';

/** The page's performance mark (ui/web/src/pages/queues.tsx). */
export const QUEUES_RENDERED_MARK = 'drover:queues-rendered';

export interface FirstRender {
  readonly markMs: number;
  readonly visibleMs: number;
  /** Queue rows in the DOM. */
  readonly rows: number;
}

export interface FirstRenderOptions {
  readonly runs?: number;
  readonly partition?: string;
  /** A browser to reuse; else one is launched and closed. */
  readonly browser?: Browser;
  readonly viewport?: { readonly width: number; readonly height: number };
}

export async function measureQueuesFirstRender(baseUrl: string, o: FirstRenderOptions = {}): Promise<FirstRender[]> {
  const browser = o.browser ?? (await launchChromium());
  const url = `${baseUrl.replace(/\/$/, '')}/queues${o.partition === undefined || o.partition === 'default' ? '' : `?partition=${encodeURIComponent(o.partition)}`}`;
  const out: FirstRender[] = [];
  try {
    for (let i = 0; i < (o.runs ?? 5); i++) {
      const context = await browser.newContext({ viewport: o.viewport ?? { width: 1440, height: 900 } });
      try {
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(url, { waitUntil: 'commit' });
        await page.locator('[data-testid="queue-tree"] [data-queue]').first().waitFor({ state: 'visible', timeout: 60_000 });
        const visibleMs = Date.now() - started;
        await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, QUEUES_RENDERED_MARK, { timeout: 60_000 });
        const markMs = await page.evaluate((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN, QUEUES_RENDERED_MARK);
        const rows = await page.locator('[data-testid="queue-tree"] [data-queue]').count();
        out.push({ markMs, visibleMs, rows });
      } finally {
        await context.close();
      }
    }
  } finally {
    if (o.browser === undefined) await browser.close();
  }
  return out;
}
