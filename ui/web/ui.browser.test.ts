/**
 * The browser UI against the real UI server and the real core, in Debian's Chromium: every page loads
 * without console errors, the queue tree shows the configured queues with the numbers of the REST
 * answers, a queue over its guarantee is marked, a waiting application says why in words, the node
 * filter works, deep links open the right page, and a new allocation in the core appears without a
 * reload (through the change feed). Screenshots go to test-results/ui/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { GiB } from '../../core/scheduler/test-helpers.js';
import { launchChromium } from './chromium.js';
import { formatQuantity } from './src/format.js';
import { attributes, openPage, screenshot, startUi } from './test-helpers.js';
import type { UiFixture, WatchedPage } from './test-helpers.js';

const YAML = `
partitions:
  - name: default
    placementrules: [{name: provided, create: true}]
    queues:
      - name: root
        submitacl: "*"
        queues:
          - name: analytics
            resources: {guaranteed: {vcore: 2, memory: 4Gi}, max: {vcore: 8, memory: 16Gi}}
            queues:
              - name: etl
                resources: {guaranteed: {vcore: 1}, max: {vcore: 4}}
              - name: adhoc
          - name: ml
            maxapplications: 5
            resources: {guaranteed: {vcore: 4}, max: {vcore: 6}}
          - name: small
            resources: {max: {vcore: 1, memory: 2Gi}}
`;

/** Every queue of YAML, in tree order. */
const QUEUES = ['root', 'root.analytics', 'root.analytics.adhoc', 'root.analytics.etl', 'root.ml', 'root.small'];

let fixture: UiFixture;
let browser: Browser;
let current: WatchedPage | undefined;

beforeAll(async () => {
  fixture = await startUi(YAML, (h) => {
    h.node('node-1', 8, 32);
    h.node('node-2', 8, 32);
    h.node('gpu-node-1', 16, 64, { labels: { 'nvidia.com/gpu.present': 'true' }, occupied: { vcore: 2000, memory: 4 * GiB } });
    h.node('node-3', 8, 32, { schedulable: false });
    // root.analytics.etl: 2 cores against a guarantee of 1: over its guarantee.
    h.app('etl-1', 'root.analytics.etl', 'alice');
    h.ask('etl-1-a', 'etl-1', { vcore: 1000, memory: GiB });
    h.ask('etl-1-b', 'etl-1', { vcore: 1000, memory: GiB });
    // root.ml: 1 core of a guarantee of 4.
    h.app('ml-1', 'root.ml', 'bob');
    h.ask('ml-1-a', 'ml-1', { vcore: 1000, memory: 2 * GiB });
    // root.small: max 1 core, asks 2: waits on the queue's quota.
    h.app('small-1', 'root.small', 'carol');
    h.ask('small-1-a', 'small-1', { vcore: 2000, memory: GiB });
    // root.ml: a Spark gang whose driver took over its placeholder; one executor placeholder is left.
    const each = { vcore: 500, memory: GiB, pods: 1 };
    h.gangApp('spark-1', 'root.ml', { style: 'Soft', timeoutMs: 3_600_000, taskGroups: [{ name: 'spark-driver', minMember: 1, minResource: each }, { name: 'spark-executor', minMember: 1, minResource: each }] });
    h.askWith('spark-1-ph-d', 'spark-1', each, { placeholder: true, taskGroup: 'spark-driver' });
    h.askWith('spark-1-ph-e', 'spark-1', each, { placeholder: true, taskGroup: 'spark-executor' });
    h.askWith('spark-1-driver', 'spark-1', { vcore: 500, memory: GiB }, { taskGroup: 'spark-driver', role: 'driver', originator: true });
    h.s.schedule();
    h.s.schedule();
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

async function open(path: string): Promise<Page> {
  current = await openPage(browser);
  await current.page.goto(`${fixture.url}${path}`);
  return current.page;
}

afterEach(async () => {
  const errors = current?.errors ?? [];
  await current?.close();
  current = undefined;
  expect(errors).toEqual([]);
});

function watched(): WatchedPage {
  if (current === undefined) return expect.fail('no page open');
  return current;
}

const row = (page: Page, queue: string) => page.locator(`[data-queue="${queue}"]`);

async function restJson(path: string): Promise<unknown> {
  const res = await fetch(`${fixture.url}${path}`);
  expect(res.status).toBe(200);
  return res.json();
}

interface RestQueue {
  readonly queuename: string;
  readonly allocatedResource?: Record<string, number>;
  readonly maxResource?: Record<string, number>;
  readonly children?: readonly RestQueue[];
}

function flatten(q: RestQueue): RestQueue[] {
  return [q, ...(q.children ?? []).flatMap(flatten)];
}

describe('the UI in Chromium', () => {
  it('shows the dashboard: capacity, applications by state, utilisation, waiting reasons', async () => {
    const page = await open('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    await page.getByRole('heading', { name: 'Cluster capacity' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('4 nodes, 3 schedulable');
    expect(text).toContain('Queue quota');
    expect(text).toContain('root.analytics.etl');
    await expect.poll(() => page.locator('.live-live').count()).toBe(1);
    await screenshot(page, 'dashboard');
  });

  it('shows every configured queue in the tree, with the allocations the REST API reports', async () => {
    const page = await open('/queues');
    await row(page, 'root').waitFor();
    await page.getByRole('button', { name: 'Expand all' }).click();
    const shown = await attributes(page.locator('[data-testid="queue-tree"] [data-queue]'), 'data-queue');
    expect(shown).toEqual(QUEUES);

    const rest = flatten((await restJson('/ws/v1/partition/default/queues')) as RestQueue);
    expect(rest.map((q) => q.queuename).sort()).toEqual([...QUEUES].sort());
    for (const q of rest) {
      const bars = await row(page, q.queuename).locator('.bar-text').allInnerTexts();
      const max = q.maxResource?.['vcore'];
      // The CPU bar reads "<allocated> / <max>", the max "∞" when the queue has none of its own.
      expect(bars[0], q.queuename).toBe(`${formatQuantity('vcore', q.allocatedResource?.['vcore'] ?? 0)} / ${max === undefined ? '∞' : formatQuantity('vcore', max)}`);
    }
    await screenshot(page, 'queues');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'queues-dark');
  });

  it('marks a queue over its guarantee, and only that one', async () => {
    const page = await open('/queues');
    await row(page, 'root.analytics.etl').waitFor();
    const over = await attributes(page.locator('[data-over-guarantee="true"]'), 'data-queue');
    expect(over).toEqual(['root.analytics.etl']);
    await expect.poll(() => row(page, 'root.analytics.etl').innerText()).toContain('over guarantee');
    expect(await row(page, 'root.ml').innerText()).not.toContain('over guarantee');
    // Collapsed, its parent says a queue below is over.
    await page.getByRole('button', { name: 'Collapse root.analytics' }).click();
    await expect.poll(() => row(page, 'root.analytics').innerText()).toContain('1 below');
  });

  it('opens a queue from a deep link, with its details and a way to its applications', async () => {
    const page = await open('/queues/root.analytics.etl');
    const detail = page.getByRole('complementary');
    await detail.getByRole('heading', { name: 'root.analytics.etl' }).waitFor();
    expect(await row(page, 'root.analytics.etl').getAttribute('aria-selected')).toBe('true');
    expect(await detail.innerText()).toContain('Allocated above its guarantee for CPU');
    await screenshot(page, 'queue-detail');
    await detail.getByRole('link', { name: /Applications in root.analytics.etl/ }).click();
    await page.waitForURL(/\/applications\?queue=root.analytics.etl$/);
    await page.locator('[data-app="etl-1"]').waitFor();
    expect(await page.locator('[data-app]').count()).toBe(1);
  });

  it('lists applications with their state, user, resources and why they wait, in words', async () => {
    const page = await open('/applications');
    const small = page.locator('[data-app="small-1"]');
    await small.waitFor();
    expect(await page.locator('[data-app]').count()).toBe(4);
    const text = await small.innerText();
    expect(text).toContain('root.small');
    expect(text).toContain('carol');
    expect(text).toContain('Queue quota');
    // The core's message, from /api/v1/partition/default/pending.
    const pending = (await restJson('/api/v1/partition/default/pending')) as { asks: { applicationId: string; reason: { message: string } | null }[] };
    const message = pending.asks.find((a) => a.applicationId === 'small-1')?.reason?.message;
    expect(message).toBeTruthy();
    expect(await small.locator('.reason').getAttribute('title')).toContain(message);
    expect(await page.locator('[data-app="etl-1"]').innerText()).toContain('2 cores, 2 GiB');
    await screenshot(page, 'applications');
  });

  it('filters applications by queue from a deep link, a parent queue including those below', async () => {
    const page = await open('/applications?queue=root.analytics');
    await page.getByRole('heading', { name: 'Applications in root.analytics' }).waitFor();
    await page.locator('[data-app="etl-1"]').waitFor();
    expect(await attributes(page.locator('[data-app]'), 'data-app')).toEqual(['etl-1']);
    // Typing keeps the focus in the field while the URL and the title follow.
    const field = page.getByLabel('Queue (and below)');
    await field.fill('');
    await field.pressSequentially('root.ml');
    await page.waitForURL(/\/applications\?queue=root.ml$/);
    expect(await field.and(page.locator(':focus')).count()).toBe(1);
    await expect.poll(() => attributes(page.locator('[data-app]'), 'data-app')).toEqual(['ml-1', 'spark-1']);
  });

  it('shows one application with why its pods wait', async () => {
    const page = await open('/applications/small-1');
    await page.getByRole('heading', { name: 'Why it waits' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Queue quota (1 pod)');
    await screenshot(page, 'application');
  });

  it('shows a gang: its task groups, placeholders and the roles of its pods', async () => {
    const page = await open('/applications/spark-1');
    await page.getByRole('heading', { name: 'Gang' }).waitFor();
    const gang = page.locator('table.table-plain');
    expect(await gang.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^spark-driver\s+1\s+.*\s+1\s+0$/), expect.stringMatching(/^spark-executor\s+1\s+.*\s+0\s+0$/)]);
    const pods = page.getByRole('grid', { name: 'Running pods' }).or(page.locator('[aria-label="Running pods"]'));
    const text = await pods.innerText();
    expect(text).toContain('driver · group spark-driver · took over a placeholder');
    expect(text).toContain('placeholder · group spark-executor');
    await screenshot(page, 'application-gang');
  });

  it('filters nodes by name, label and schedulability, keeping the filter in the URL', async () => {
    const page = await open('/nodes');
    await page.locator('[data-node="node-1"]').waitFor();
    expect(await page.locator('[data-node]').count()).toBe(4);
    await page.getByLabel(/^Filter/).fill('gpu');
    await page.waitForURL(/\/nodes\?filter=gpu$/);
    await expect.poll(() => page.locator('[data-node]').count()).toBe(1);
    expect(await page.locator('[data-node="gpu-node-1"]').innerText()).toContain('2 cores, 4 GiB');
    await page.getByLabel(/^Filter/).fill('nvidia.com/gpu.present=true');
    await expect.poll(() => page.locator('[data-node]').count()).toBe(1);
    await page.getByLabel(/^Filter/).fill('');
    await page.getByLabel('Schedulable').selectOption('no');
    await expect.poll(() => attributes(page.locator('[data-node]'), 'data-node')).toEqual(['node-3']);
    await screenshot(page, 'nodes');
  });

  it('opens the nodes page filtered from a deep link', async () => {
    const page = await open('/nodes?filter=node-2');
    await page.locator('[data-node="node-2"]').waitFor();
    expect(await page.locator('[data-node]').count()).toBe(1);
    expect(await page.getByLabel(/^Filter/).inputValue()).toBe('node-2');
  });

  it('shows the health checks', async () => {
    const page = await open('/health');
    await page.getByText('The scheduler is healthy').waitFor();
    await screenshot(page, 'health');
  });

  it('navigates between pages without reloading, and back', async () => {
    const page = await open('/');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [link, path, heading] of [
      ['Queues', '/queues', 'Queues'],
      ['Applications', '/applications', 'Applications'],
      ['Nodes', '/nodes', 'Nodes'],
      ['Health', '/health', 'Health'],
    ] as const) {
      await nav.getByRole('link', { name: link }).click();
      await page.waitForURL(`${fixture.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await nav.getByRole('link', { name: link }).getAttribute('aria-current')).toBe('page');
    }
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Nodes' }).waitFor();
    expect(watched().loads()).toBe(1);
  });

  it('says so for an unknown page or queue', async () => {
    const page = await open('/no/such/page');
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.goto(`${fixture.url}/queues/root.nope`);
    await page.getByText('There is no queue root.nope in partition default.').waitFor();
  });

  it('shows a new allocation without a reload, through the change feed', async () => {
    const page = await open('/applications?queue=root.ml');
    const ml = page.locator('[data-app="ml-1"]');
    await ml.waitFor();
    await expect.poll(() => page.locator('.live-live').count()).toBe(1);
    expect(await ml.locator('.num').innerText()).toBe('1');

    fixture.h.ask('ml-1-b', 'ml-1', { vcore: 1000, memory: 2 * GiB });
    expect(fixture.h.s.schedule()).toHaveLength(1);

    await expect.poll(() => ml.locator('.num').innerText(), { timeout: 10_000 }).toBe('2');
    expect(await ml.innerText()).toContain('2 cores, 4 GiB');
    expect(watched().loads()).toBe(1);
    await screenshot(page, 'live-update');
  });
});
