import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { createRegistry } from '../../src/metrics/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { createWobserver, start } from '../../src/server/index.js';
import { launch } from '../helpers/browser.js';
import { shot } from '../helpers/shots.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  body: { textContent: string | null };
};
declare function getComputedStyle(element: unknown): { backgroundColor: string };


/** Until System's three load figures show numbers (the sampler's first samples are in). */
async function figuresIn(page: Page): Promise<void> {
  await page.waitForFunction(() => ['cpu', 'elu', 'delay'].every((id) => /\d/.test(document.querySelector(`[data-testid="figure-${id}"] [data-testid="figure-value"]`)?.textContent ?? '')));
}

/** Opens a page by its link in the menu and waits until `ready` shows; returns how long that took. */
async function open(page: Page, linkName: string, ready: string): Promise<number> {
  const t0 = Date.now();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: linkName, exact: true }).click();
  await page.getByText(ready, { exact: false }).first().waitFor({ timeout: 10_000 });
  return Date.now() - t0;
}

test('every page of the UI shows the demo\'s live data, in a real Chromium', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 50 });
  // Things this test causes, to find them in the UI.
  demo.observer.tables.register('e2e.things', new Map([['alpha', { n: 1 }], ['beta', { n: 2 }], ['gamma', { n: 3 }]]), { description: 'made by the browser test' });
  const clicks = demo.registry.counter({ name: 'e2e_clicks_total', help: 'Clicks the browser test made' });
  clicks.inc(7);
  const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
  await new Promise((resolve) => worker.once('online', resolve));
  demo.observer.pages.register({ title: 'E2E map', command: 'e2e-map', callback: () => ({ colour: 'teal', answer: 42 }) });
  demo.observer.pages.register({ title: 'E2E list', command: 'e2e-list', callback: () => [{ city: 'Oslo', people: 709_000 }, { city: 'Lima', people: 9_750_000 }] });
  demo.observer.pages.register({ title: 'E2E tables', command: 'e2e-tables', callback: () => ({ totals: { ok: 3 }, rows: [{ id: 'r1' }, { id: 'r2' }] }) });
  // 10,000 series: the Metrics page's table must stay smooth (virtual scrolling).
  const rows = demo.registry.counter({ name: 'e2e_rows_total', help: 'One series per row', labelNames: ['row'], maxSeries: 20_000 });
  for (let i = 0; i < 10_000; i++) rows.inc({ row: `row ${i}` });
  demo.observer.pages.register({ title: 'E2E hidden', command: 'e2e-hidden', apiOnly: true, callback: () => ({}) });
  const switches: Record<string, number> = {};
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/`);

    // System, with the connection state and the node switcher.
    await page.getByText(String(process.pid), { exact: true }).first().waitFor();
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();
    const about = (await (await fetch(`${demo.url}/api/about`)).json()) as { node: string };
    await page.getByRole('combobox', { name: 'Node' }).locator('option').first().waitFor({ state: 'attached' });
    assert.deepEqual(await page.getByRole('combobox', { name: 'Node' }).locator('option').allTextContents(), [`${about.node} (this node)`]);
    await figuresIn(page);
    await shot(page, 'system');

    switches.load = await open(page, 'Load charts', 'samples, one every');
    await page.locator('.chart canvas').first().waitFor();
    assert.equal(await page.locator('.chart').count(), 7);
    await page.waitForFunction(() => /^[2-9]\d* samples/.test(document.querySelector('main p.muted')?.textContent ?? ''));
    await shot(page, 'load');

    switches.memory = await open(page, 'Memory', 'Heap spaces');
    await page.getByRole('table', { name: 'heap spaces' }).getByText('New space').waitFor();
    await shot(page, 'memory');

    switches.applications = await open(page, 'Applications', 'Dependency diagram');
    await page.locator('svg.graph g.node[data-id^="ws@"]').click();
    assert.match((await page.getByRole('table', { name: 'Package details' }).textContent()) ?? '', /Used by.*wobserver@/);
    await page.getByRole('list', { name: 'Execution units' }).getByText(`worker thread ${worker.threadId}`).waitFor();
    await shot(page, 'applications');

    switches.processes = await open(page, 'Processes', 'Threads and processes');
    const units = page.getByRole('table', { name: 'execution units' });
    await units.getByText(`worker:${worker.threadId}`, { exact: true }).click();
    await page.getByRole('table', { name: 'Process details' }).getByText(String(worker.threadId), { exact: true }).first().waitFor();
    assert.match(page.url(), new RegExp(`#/processes/worker%3A${worker.threadId}`), 'the selection is in the URL');
    // Client-side sorting: the Id column, descending, puts worker rows before main.
    await units.getByRole('columnheader', { name: /^Id/ }).click();
    await units.locator('th[aria-sort="ascending"]', { hasText: 'Id' }).waitFor();
    await units.getByRole('columnheader', { name: /^Id/ }).click();
    await units.locator('th[aria-sort="descending"]', { hasText: 'Id' }).waitFor();
    const firstId = await units.locator('tbody tr:not([aria-hidden]) td').first().textContent();
    assert.match(firstId ?? '', /^worker:/);
    await page.getByRole('tab', { name: /Requests in flight/ }).click();
    await page.getByRole('table', { name: 'requests in flight' }).waitFor();
    await shot(page, 'processes');

    switches.ports = await open(page, 'Ports', 'Sockets (');
    await page.getByRole('table', { name: 'sockets', exact: true }).getByText(/127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:\d+/).first().waitFor();
    // The viewport: the whole page, with every file descriptor, is taller than docs/ui.md needs.
    await shot(page, 'ports', { fullPage: false });

    switches.tables = await open(page, 'Tables', 'e2e.things');
    await page.getByRole('link', { name: 'e2e.things' }).click();
    const entries = page.getByRole('table', { name: 'entries of e2e.things' });
    await entries.getByText('alpha').waitFor();
    await entries.getByRole('columnheader', { name: /^Key/ }).click();
    await entries.getByRole('columnheader', { name: /^Key/ }).click();
    await page.waitForFunction(() => document.querySelector('table[aria-label="entries of e2e.things"] tbody tr td')?.textContent === 'gamma');
    await page.getByRole('searchbox', { name: 'Search entries' }).fill('beta');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="entries of e2e.things"] tbody tr').length === 1);
    assert.equal(await entries.locator('tbody td').first().textContent(), 'beta');
    assert.match(page.url(), /search=beta/, 'the search is part of the deep link');
    await page.reload();
    await entries.getByText('beta').waitFor();
    assert.equal(await entries.locator('tbody tr').count(), 1, 'a deep link survives a reload');
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();
    await shot(page, 'tables');

    switches.metrics = await open(page, 'Metrics', 'Every series in the registry');
    await page.getByRole('searchbox', { name: 'Search metrics' }).fill('e2e_clicks');
    const metricRow = page.getByRole('table', { name: 'metrics' }).locator('tbody tr', { hasText: 'e2e_clicks_total' });
    await metricRow.waitFor();
    assert.match((await metricRow.textContent()) ?? '', /counter7/);
    clicks.inc(5);
    await page.waitForFunction(() => /counter12/.test(document.querySelector('table[aria-label="metrics"] tbody tr:not([aria-hidden])')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await shot(page, 'metrics');

    // Custom pages: all three shapes, apiOnly hidden, and 10,000 rows through virtual scrolling.
    const menu = page.getByRole('navigation', { name: 'Pages' });
    assert.equal(await menu.getByRole('link', { name: 'E2E hidden' }).count(), 0);
    await open(page, 'E2E map', 'colour');
    await page.getByRole('table', { name: 'E2E map' }).getByText('teal').waitFor();
    await open(page, 'E2E list', 'city');
    await page.getByRole('table', { name: 'E2E list' }).getByText('Lima').waitFor();
    await open(page, 'E2E tables', 'totals');
    await page.getByRole('table', { name: 'totals' }).getByText('3').waitFor();
    await page.getByRole('table', { name: 'rows' }).getByText('r2').waitFor();
    await shot(page, 'custom-page');
    await open(page, 'Metrics', 'Every series in the registry');
    await page.getByRole('searchbox', { name: 'Search metrics' }).fill('e2e_rows');
    await page.waitForFunction(() => /^10,000 of /.test(document.querySelector('[data-testid="row-count"]')?.textContent ?? ''));
    const rendered = await page.locator('table[aria-label="metrics"] tbody tr:not([aria-hidden])').count();
    assert.ok(rendered < 100, `only the rows in view are in the page: ${rendered}`);
    await page.locator('.table-scroll').evaluate((el) => (el.scrollTop = 28 * 5000));
    await page.getByText('row="row 5000"', { exact: true }).waitFor();

    // Diagnostics: the report downloads as a file that parses.
    switches.diagnostics = await open(page, 'Diagnostics', 'Diagnostic report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()]);
    assert.match(download.suggestedFilename(), /^report-.*\.json$/);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { header: { processId: number } };
    assert.equal(report.header.processId, process.pid);
    await shot(page, 'diagnostics');

    switches.about = await open(page, 'About', 'What this is');
    await page.getByText('websocket', { exact: true }).waitFor();
    await shot(page, 'about');

    // The theme follows the system setting.
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(page, 'System', 'Runtime');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(20, 23, 27)', 'dark background in dark mode');
    await figuresIn(page);
    await shot(page, 'system-dark');

    assert.deepEqual(errors, [], 'no errors in the page');
    const median = Object.values(switches).sort((a, b) => a - b)[Math.floor(Object.keys(switches).length / 2)];
    t.diagnostic(`page switch to data shown, ms: ${JSON.stringify(switches)} (median ${median})`);
    await context.close();
  } finally {
    await browser.close();
    await worker.terminate();
    await demo.close();
  }
});

test('the UI says when it reconnects, keeps the page dimmed and marked stale meanwhile, and recovers after the server restarts', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const registry = createRegistry();
  const observer = createObserver();
  let s = await start({ port: 0, registry, observer });
  const port = Number(new URL(s.url).port);
  try {
    const page = await browser.newPage();
    await page.goto(`${s.url}/#/system`);
    await page.getByText(String(process.pid), { exact: true }).first().waitFor();
    assert.equal(await page.locator('section.page.stale').count(), 0, 'fresh data is not marked');
    await s.close();
    await page.getByTestId('connection').getByText('reconnecting…').waitFor();
    // What the page had stays, dimmed and marked stale since when.
    await page.getByTestId('stale').getByText(/^stale — reconnecting/).waitFor();
    assert.equal(await page.locator('section.page.stale').count(), 1, 'the page is dimmed');
    assert.match((await page.getByTestId('stale').textContent()) ?? '', /since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    await shot(page, 'reconnecting');
    s = await start({ port, registry, observer });
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByTestId('stale').waitFor({ state: 'detached' });
    assert.equal(await page.locator('section.page.stale').count(), 0, 'no longer dimmed once data flows');
    // Data flows again: the uptime moves.
    const uptime = async (): Promise<string> => (await page.locator('tr', { has: page.locator('th', { hasText: /^Uptime$/ }) }).locator('td').textContent()) ?? '';
    const before = await uptime();
    await page.waitForFunction((b) => !document.body.textContent?.includes(`Uptime${b}`), before, { timeout: 10_000 });
  } finally {
    await browser.close();
    await s.close();
    observer.close();
    registry.close();
  }
});

test('under a prefix and with WebSocket upgrades refused, the UI works over the HTTP fallback', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const wob = createWobserver({ prefix: '/wobserver' });
  // No wob.attach(server): this server refuses upgrades, as some proxies do.
  const server = createServer((req, res) => void wob.handle(req, res, () => res.end('the app')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wobserver`;
  try {
    const page = await browser.newPage();
    await page.goto(base);
    assert.equal(new URL(page.url()).pathname, '/wobserver/', 'the bare prefix redirects into the folder');
    await page.getByText(String(process.pid), { exact: true }).first().waitFor();
    assert.equal(await page.getByTestId('connection').textContent(), 'connected (HTTP fallback)');
    await page.getByRole('link', { name: 'Load charts' }).click();
    await page.waitForFunction(() => /^[2-9]\d* samples/.test(document.querySelector('main p.muted')?.textContent ?? ''), undefined, { timeout: 15_000 });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.getByRole('link', { name: 'Memory' }).click();
    await page.getByText('Heap spaces').waitFor();
    assert.ok(requests.every((p) => p.startsWith('/wobserver/')), `every request stays under the prefix: ${requests.join(', ')}`);
    await shot(page, 'fallback');
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    wob.close();
  }
});

test('the node switcher lists the fleet and shows another node\'s data, dimmed and marked stale once that node goes down', { timeout: 90_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const { ports, startNode, stopAll } = await import('../helpers/fleet.js');
  const [px, py] = await ports(2);
  const all = [px, py].map((p) => `127.0.0.1:${p}`);
  const secret = 'the-ui-test-fleet-shared-secret';
  const nodes = [await startNode({ name: 'node-x', port: px!, secret, static: all }), await startNode({ name: 'node-y', port: py!, secret, static: all })];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${nodes[0]!.url}/#/system`);
    await page.getByText(String(nodes[0]!.pid), { exact: true }).first().waitFor();
    const switcher = page.getByRole('combobox', { name: 'Node' });
    await page.waitForFunction(() => document.querySelectorAll('select[aria-label="Node"] option').length === 2);
    assert.deepEqual(await switcher.locator('option').allTextContents(), ['node-x (this node)', 'node-y']);
    await switcher.selectOption('node-y');
    await page.getByText(String(nodes[1]!.pid), { exact: true }).first().waitFor();
    assert.match(page.url(), /node=node-y/);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Tables', exact: true }).click();
    await page.getByRole('link', { name: 'table-node-y' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Load charts', exact: true }).click();
    await page.waitForFunction(() => /^[2-9]\d* samples/.test(document.querySelector('main p.muted')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await shot(page, 'other-node', { docs: false });
    // The node looked at goes down: what the page has stays, dimmed and marked stale, and the switcher says so.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'System', exact: true }).click();
    await page.getByText(String(nodes[1]!.pid), { exact: true }).first().waitFor();
    const exited = new Promise((resolve) => nodes[1]!.child.once('exit', resolve));
    nodes[1]!.child.kill('SIGKILL');
    await exited;
    await page.getByTestId('stale').getByText('stale — node down').waitFor({ timeout: 30_000 });
    assert.ok(await page.locator('section.page.stale').isVisible(), 'the page is dimmed');
    assert.ok(await page.getByText(String(nodes[1]!.pid), { exact: true }).first().isVisible(), 'and keeps what it had');
    await page.waitForFunction(() => /node-y — down/.test(document.querySelector('select[aria-label="Node"]')?.textContent ?? ''));
  } finally {
    await browser.close();
    await stopAll(nodes);
  }
});
