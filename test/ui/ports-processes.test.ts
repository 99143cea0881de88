import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { axeViolations } from '../helpers/axe.js';
import { launch, resultsDir } from '../helpers/browser.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): { textContent: string | null; closest(selector: string): unknown; getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
};

const shot = (page: Page, name: string) => page.screenshot({ path: join(resultsDir(), `ports-processes-${name}.png`), fullPage: true });

/** `123 MiB` → bytes; `–` → -1 (no figure: sorted last when descending). */
function parseBytes(text: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB|TiB)$/.exec(text.trim());
  if (m === null) return -1;
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(m[2]!);
}

/** A child whose command line is 2,000 characters long. */
function longChild(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)', '--', `--padding=${'x'.repeat(2000)}`], { stdio: 'ignore' });
}

/** A server of the test's own whose responses wait until the test ends them; the request's path names it. */
async function holdingServer(): Promise<{ url: string; held: Map<string, ServerResponse>; close(): Promise<void> }> {
  const held = new Map<string, ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    held.set(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Nothing on the page, header included, reaches past the viewport's right edge, so the page does not scroll sideways. */
async function noHorizontalScroll(page: Page, what: string): Promise<void> {
  const past = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...(document.querySelectorAll('body *') as unknown as Iterable<{ tagName: string; className: unknown; getBoundingClientRect(): { right: number } }>)]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName}.${String(e.className)} → ${Math.round(e.getBoundingClientRect().right)} > ${width}`);
  });
  assert.deepEqual(past.slice(0, 5), [], `${what}: content past the right edge`);
}

test('Processes: a 2,000-character command line leaves memory and age in view, most memory first, the tab in the URL, and a request that finishes while open stays, marked finished', { timeout: 90_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 0 });
  const child = longChild();
  const slow = await holdingServer();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/#/processes`);
    const units = page.getByRole('table', { name: 'execution units' });
    const row = units.locator('tbody tr', { hasText: `child:${child.pid}` });
    await row.waitFor();

    // Memory and age of the long command's row are inside the 1440 px viewport; its text is cut, whole in the title.
    const headings = await units.locator('thead th').allTextContents();
    const memory = headings.findIndex((h) => h.startsWith('Memory'));
    const age = headings.findIndex((h) => h.startsWith('Age'));
    assert.ok(memory >= 0 && age >= 0, headings.join(' | '));
    await row.locator('td').nth(memory).filter({ hasText: /\d/ }).waitFor();
    for (const i of [memory, age]) {
      const box = await row.locator('td').nth(i).boundingBox();
      assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 1440, `column ${headings[i]} at ${JSON.stringify(box)} is within the viewport`);
    }
    assert.match((await row.locator('td').nth(age).textContent()) ?? '', /\d/, 'the age shows');
    assert.ok(((await row.locator('.clip').getAttribute('title')) ?? '').includes('x'.repeat(2000)), 'the whole command line is in the title');
    await noHorizontalScroll(page, 'processes at 1440 px');
    const scroller = await row.evaluate((tr) => {
      const box = (tr as unknown as { closest(s: string): { scrollWidth: number; clientWidth: number } }).closest('.table-scroll');
      return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    });
    assert.ok(scroller.scrollWidth <= scroller.clientWidth, `the table itself does not scroll sideways: ${JSON.stringify(scroller)}`);

    // The default order: most memory first (descending, rows without a figure last).
    assert.equal(await units.locator('thead th', { hasText: /^Memory/ }).getAttribute('aria-sort'), 'descending');
    const figures = (await units.locator(`tbody tr:not([aria-hidden]) td:nth-child(${memory + 1})`).allTextContents()).map(parseBytes);
    assert.ok(figures.length >= 3, JSON.stringify(figures));
    assert.deepEqual(figures, [...figures].sort((a, b) => b - a), `memory descending: ${JSON.stringify(figures)}`);
    await shot(page, 'processes-1440');

    // The tab is in the URL and survives a reload.
    await page.getByRole('tab', { name: /Requests in flight/ }).click();
    await page.getByRole('table', { name: 'requests in flight' }).waitFor();
    assert.match(page.url(), /[?&]tab=requests/);
    await page.reload();
    await page.getByRole('table', { name: 'requests in flight' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: /Requests in flight/ }).getAttribute('aria-selected'), 'true');

    // A request in flight: open its detail, let it finish, and the detail stays, marked finished.
    const answered = new Promise<number>((resolve) => {
      const req = request(`${slow.url}/held-by-the-test?step=1`, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(-1));
      req.end();
    });
    const requestRow = page.getByRole('table', { name: 'requests in flight' }).locator('tbody tr', { hasText: '/held-by-the-test' });
    await requestRow.waitFor({ timeout: 15_000 });
    await requestRow.click();
    const state = page.getByTestId('request-state');
    await state.getByText('in flight').waitFor();
    assert.match(page.url(), /#\/processes\/request%3A\d+\?(.*&)?tab=requests/, 'selecting a request keeps the tab');
    assert.match((await page.getByRole('table', { name: 'Process details', exact: true }).textContent()) ?? '', /\/held-by-the-test\?step=1/);
    slow.held.get('/held-by-the-test?step=1')!.end('done');
    assert.equal(await answered, 200);
    await page.waitForFunction(() => /^finished .* ago · status 200$/.test(document.querySelector('[data-testid="request-state"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
    assert.match((await page.getByRole('table', { name: 'Process details', exact: true }).textContent()) ?? '', /\/held-by-the-test\?step=1/, 'its last state is still shown');
    assert.equal(await page.getByText('PROCESS_NOT_FOUND').count(), 0);
    await shot(page, 'request-finished');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    child.kill();
    await slow.close();
    await demo.close();
  }
});

test('Ports: handles grouped by kind, with counts that add up to the total, a detail per row, and no negative "fires in"', { timeout: 90_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 0 });
  const timer = setInterval(() => undefined, 60_000);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${demo.url}/#/ports`);
    const summary = page.getByTestId('ports-summary');
    await summary.waitFor();
    const total = Number(await page.getByTestId('ports-total').textContent());
    const parts = await summary.locator('.ports-part').evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind') ?? '', count: Number(e.getAttribute('data-count')) })));
    assert.ok(total > 0 && parts.length >= 3, JSON.stringify(parts));
    assert.equal(parts.reduce((a, p) => a + p.count, 0), total, `the parts add up to the total: ${JSON.stringify(parts)} = ${total}`);
    assert.ok(['server', 'socket', 'timer'].every((k) => parts.some((p) => p.kind === k)), JSON.stringify(parts));
    // Each group's table holds the rows its part counts (the list is not cut at the demo's size).
    for (const name of ['servers', 'sockets', 'timers']) {
      const rows = await page.getByRole('table', { name, exact: true }).locator('tbody tr:not([aria-hidden])').count();
      const part = parts.find((p) => `${p.kind}s` === name)!;
      assert.equal(rows, part.count, `${name}: ${rows} rows, ${part.count} counted`);
    }

    const sockets = await page.getByRole('table', { name: 'sockets', exact: true }).evaluate((t) => {
      const box = (t as unknown as { closest(s: string): { scrollWidth: number; clientWidth: number } }).closest('.table-scroll');
      return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    });
    assert.ok(sockets.scrollWidth <= sockets.clientWidth, `every socket column fits at 1440 px: ${JSON.stringify(sockets)}`);

    // Timers: a time or "inactive", never a negative time, anywhere on the page.
    const firesIn = await page.getByRole('table', { name: 'timers', exact: true }).locator('tbody tr:not([aria-hidden]) td:first-child').allTextContents();
    assert.ok(firesIn.length > 0 && firesIn.every((x) => /^(inactive|\d[\d.]* (ms|s)|\d+ min \d+ s|\d+ h \d+ min)$/.test(x)), JSON.stringify(firesIn));
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /-\d[\d.]* ?(ms|s|min)\b/);

    // A server's detail lists the connections it accepted (the browser's own, on wobserver's port), each opening its own detail.
    const wobPort = new URL(demo.url).port;
    await page.getByRole('table', { name: 'servers', exact: true }).locator('tbody tr', { hasText: wobPort }).first().click();
    const details = page.getByRole('table', { name: 'Handle details', exact: true });
    await details.waitFor();
    assert.match((await details.textContent()) ?? '', new RegExp(`Local127\\.0\\.0\\.1:${wobPort}`));
    await page.getByRole('heading', { name: /^Connections \([1-9]\d*\)$/ }).waitFor();
    await page.locator('.port-conns button').first().click();
    await page.getByText(/^socket \(tcp\)/).waitFor();
    assert.match((await details.textContent()) ?? '', /Stateconnected/);
    assert.match((await details.textContent()) ?? '', /Directioninbound/);
    await shot(page, 'ports-1440');
  } finally {
    clearInterval(timer);
    await browser.close();
    await demo.close();
  }
});

async function checkPage(browser: Browser, url: string, scheme: 'light' | 'dark', width: number, ready: (page: Page) => Promise<void>, what: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await ready(page);
    assert.deepEqual(await axeViolations(page), [], `${what}, ${scheme}, ${width} px: axe-core finds no serious or critical violation`);
    await noHorizontalScroll(page, `${what}, ${scheme}, ${width} px`);
    if (width < 600) await shot(page, `${what}-${scheme}-${width}`);
  } finally {
    await context.close();
  }
}

test('Processes and Ports pass axe-core in light and dark at 1440 and 390 px, and never scroll sideways', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 0 });
  const child = longChild();
  try {
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1440, 390]) {
        await checkPage(browser, `${demo.url}/#/processes/main`, scheme, width, async (page) => {
          await page.getByRole('table', { name: 'execution units' }).locator('tbody tr', { hasText: `child:${child.pid}` }).waitFor();
          await page.getByRole('table', { name: 'Process details', exact: true }).waitFor();
        }, 'processes');
        await checkPage(browser, `${demo.url}/#/ports`, scheme, width, async (page) => {
          await page.getByRole('table', { name: 'sockets', exact: true }).waitFor();
          await page.getByRole('table', { name: 'servers', exact: true }).locator('tbody tr').first().click();
          await page.getByRole('table', { name: 'Handle details', exact: true }).waitFor();
        }, 'ports');
      }
    }
  } finally {
    await browser.close();
    child.kill();
    await demo.close();
  }
});
