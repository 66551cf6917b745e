/**
 * The UI at size: 1,011 queues (root, 10 departments of 100 teams) and 10,000 applications in the real
 * core, served by the real UI server, in Chromium. The pages must stay small (windowed lists: rows in
 * the DOM stay near what the viewport holds), reach every row by scrolling, and draw the queue tree
 * quickly; the time to first render is measured with bench-helpers.ts, as `npm run bench` does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { measureQueuesFirstRender } from './bench-helpers.js';
import { launchChromium } from './chromium.js';
import { openPage, screenshot, scrollToEnd, startUi } from './test-helpers.js';
import type { UiFixture } from './test-helpers.js';

const DEPARTMENTS = 10;
const TEAMS = 100;
const APPS = 10_000;
/** A viewport of 900 px holds about 20 rows of 44 px; with the overscan, well under this. */
const MAX_ROWS_IN_DOM = 60;

const team = (i: number) => `root.dept-${Math.floor(i / TEAMS)}.team-${String(i % TEAMS).padStart(2, '0')}`;

/** Every tenth team is guaranteed 0.5 cores and gets 1 core (over); every 50th has a max of 0.2 cores (its asks wait). */
function yaml(): string {
  const lines = ['partitions:', '  - name: default', '    placementrules: [{name: provided, create: false}]', '    queues:', '      - name: root', '        submitacl: "*"', '        queues:'];
  for (let d = 0; d < DEPARTMENTS; d++) {
    lines.push(`          - name: dept-${d}`, '            queues:');
    for (let t = 0; t < TEAMS; t++) {
      const i = d * TEAMS + t;
      const resources = i % 50 === 0 ? ', resources: {max: {vcore: 200m}}' : i % 10 === 0 ? ', resources: {guaranteed: {vcore: 500m}}' : '';
      lines.push(`              - {name: team-${String(t).padStart(2, '0')}${resources}}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

let fixture: UiFixture;
let browser: Browser;

beforeAll(async () => {
  const started = performance.now();
  fixture = await startUi(yaml(), (h) => {
    for (let n = 0; n < 100; n++) h.node(`node-${n}`, 64, 256);
    for (let a = 0; a < APPS; a++) {
      const id = `app-${String(a).padStart(5, '0')}`;
      h.clock.ms += 1;
      h.app(id, team(a % (DEPARTMENTS * TEAMS)), `user-${a % 37}`);
      h.ask(`${id}-0`, id, { vcore: 100, memory: 2 ** 28 });
    }
    h.s.schedule();
  });
  browser = await launchChromium();
  console.log(`scale fixture: ${Math.round(performance.now() - started)} ms`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

describe('the UI with 1,011 queues and 10,000 applications', () => {
  it('draws the queue tree quickly, with a small DOM, and every queue reachable', async () => {
    const runs = await measureQueuesFirstRender(fixture.url, { runs: 3, browser });
    console.log(`queues page, time to first render (ms): mark ${runs.map((r) => Math.round(r.markMs)).join(', ')}; visible ${runs.map((r) => r.visibleMs).join(', ')}`);
    for (const r of runs) {
      expect(r.markMs).toBeGreaterThan(0);
      expect(r.rows).toBeLessThan(MAX_ROWS_IN_DOM);
    }

    const { page, errors, close } = await openPage(browser);
    try {
      await page.goto(`${fixture.url}/queues`);
      await page.getByText('1,011 queues, 80 over guarantee').waitFor();
      // Two levels open by default: every department's teams are rows, but few are in the DOM.
      const tree = page.getByTestId('queue-tree');
      expect(await tree.getAttribute('aria-rowcount')).toBe(String(1 + 1 + DEPARTMENTS + DEPARTMENTS * TEAMS));
      expect(await tree.locator('[data-queue]').count()).toBeLessThan(MAX_ROWS_IN_DOM);
      await scrollToEnd(page, tree);
      await page.locator('[data-queue="root.dept-9.team-99"]').waitFor();
      expect(await tree.locator('[data-queue]').count()).toBeLessThan(MAX_ROWS_IN_DOM);
      await page.getByLabel('Find a queue').fill('team-42');
      await page.getByText('10 match').waitFor();
      expect(await tree.locator('[data-queue]').count()).toBe(1 + DEPARTMENTS * 2);
      await screenshot(page, 'queues-1000');
      // A deep link to a queue far down opens its department and scrolls to it.
      await page.goto(`${fixture.url}/queues/root.dept-7.team-70`);
      await page.getByRole('complementary').getByRole('heading', { name: 'root.dept-7.team-70' }).waitFor();
      await expect.poll(() => page.locator('[data-queue="root.dept-7.team-70"]').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lists 10,000 applications with a small DOM, every row reachable, and filters them', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const started = Date.now();
      await page.goto(`${fixture.url}/applications`);
      await page.getByText('10,000 active applications').waitFor({ timeout: 30_000 });
      console.log(`applications page with 10,000 applications: ${Date.now() - started} ms to the table`);
      const table = page.getByTestId('applications');
      expect(await table.locator('[data-app]').count()).toBeLessThan(MAX_ROWS_IN_DOM);
      await scrollToEnd(page, table);
      // Newest first: the last row is the first application submitted.
      await page.locator('[data-app="app-00000"]').waitFor();
      expect(await table.locator('[data-app]').count()).toBeLessThan(MAX_ROWS_IN_DOM);
      await screenshot(page, 'applications-10000');

      await page.getByLabel('Queue (and below)').fill('root.dept-3');
      await page.getByText('1,000 of 10,000 active applications').waitFor();
      await page.getByLabel('Waiting because').selectOption('QueueQuotaExceeded');
      // Teams 300 and 350 have a max of 0.2 cores: of their 10 applications each, 2 run, 8 wait.
      await page.getByText('16 of 10,000 active applications').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
