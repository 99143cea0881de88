// The Traffic, Logs and Request logger pages against the demo's live data, in a real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { launch } from '../helpers/browser.js';
import { shot } from '../helpers/shots.js';
import { until } from '../helpers/until.js';

async function open(page: Page, url: string, route: string, heading: string): Promise<void> {
  await page.goto(`${url}/#/${route}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** The text of the log lines shown, one string per line. */
async function shownLines(page: Page): Promise<string[]> {
  return page.getByTestId('lg-lines').locator('.lg-line').allTextContents();
}

/** Waits until the lines shown satisfy `ok`; returns them. */
async function linesUntil(page: Page, ok: (lines: string[]) => boolean, what: string): Promise<string[]> {
  return until(() => shownLines(page), ok, what, 10_000);
}

test('the Traffic, Logs and Request logger pages show the demo\'s live data, in a real Chromium', { timeout: 180_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, units: false, trafficEvery: 40 });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));

    await t.test('Traffic: the demo\'s routes by template with their status codes, the slowest, outbound per host with its refused connections, and a route\'s history', async () => {
      await open(page, demo.url, 'traffic', 'Traffic');
      const routes = page.getByRole('region', { name: 'routes, scrollable' });
      // Ids and UUIDs in the path come out as one route each.
      await routes.getByRole('row').filter({ hasText: '/users/:id' }).waitFor({ timeout: 15_000 });
      await routes.getByRole('row').filter({ hasText: '/orders/:id' }).waitFor();
      assert.equal(await routes.getByRole('row').filter({ hasText: /\/users\/\d/ }).count(), 0, 'no row per user id');
      await page.getByTestId('tr-status').getByText(/^404×/).first().waitFor();
      await page.getByTestId('tr-slowest').getByRole('link', { name: /GET \/long/ }).waitFor();
      const hosts = page.getByRole('region', { name: 'hosts, scrollable' });
      // /quote asks the pricing service with fetch; one in eight asks a closed port.
      await hosts.getByText(/ECONNREFUSED×\d+/).waitFor({ timeout: 30_000 });
      assert.ok((await hosts.getByRole('row').count()) >= 3, 'the demo itself, its pricing service and the closed port');
      assert.match((await page.getByTestId('tr-rps').textContent()) ?? '', /Requests a second\d/);
      // The first window closes within 10 s: then the charts have their first point.
      await page.locator('.tr-charts .chart[data-drawn-for]').first().waitFor({ timeout: 20_000 });
      await routes.getByRole('row').filter({ hasText: '/users/:id' }).click();
      await page.getByRole('heading', { name: 'Over time: GET /users/:id' }).waitFor();
      assert.match(decodeURIComponent(new URL(page.url()).hash), /^#\/traffic\/GET \/users\/:id/);
      await page.getByText('Duration, /users/:id').waitFor();
      await shot(page, 'traffic', { fullPage: false });
      await page.getByRole('link', { name: 'All routes' }).click();
      await page.getByRole('heading', { name: 'Over time: all routes' }).waitFor();
    });

    await t.test('Logs: console, stdout, pino and winston lines tail live; the level filter and the search ask the node; pause stops the tail', async () => {
      await open(page, demo.url, 'logs', 'Logs');
      await page.getByTestId('lg-state').waitFor();
      // This test runs in the demo's process: its console and stdout are the demo's.
      console.info('ui-test: a console line with token=s3cret');
      process.stdout.write('# ui-test: a line written to stdout\n');
      await page.getByTestId('lg-lines').getByText('ui-test: a console line').waitFor({ timeout: 10_000 });
      await page.getByTestId('lg-lines').getByText('# ui-test: a line written to stdout').waitFor();
      await page.getByTestId('lg-lines').getByText('request served').first().waitFor();
      await page.getByTestId('lg-lines').getByText('stored an entry').first().waitFor({ timeout: 10_000 });
      const all = await shownLines(page);
      assert.ok(all.some((l) => /ui-test: a console line with token=\[redacted\]/.test(l)), 'the secret in it is redacted');
      assert.ok(!all.some((l) => l.includes('s3cret')));
      const sources = new Set(await page.getByTestId('lg-lines').locator('.lg-source').allTextContents());
      for (const source of ['console', 'stdout', 'pino', 'winston']) assert.ok(sources.has(source), `a ${source} line among ${[...sources].join(', ')}`);
      await shot(page, 'logs', { fullPage: false });

      await page.getByLabel('Level').selectOption('error');
      // The demo fails one order in ten and one quote in eight: error lines come within seconds.
      await until(
        async () => [await page.locator('[data-testid="lg-lines"] .lg-line').count(), await page.locator('[data-testid="lg-lines"] .lg-line:not(.lv-error):not(.lv-fatal)').count()],
        ([shown, other]) => shown! > 0 && other === 0,
        'only error lines',
        20_000,
      );
      await page.getByLabel('Level').selectOption('');

      await page.getByLabel('Search logs').fill('stored an entry');
      await linesUntil(page, (lines) => lines.length > 0 && lines.every((l) => l.includes('stored an entry')), 'only the lines that hold the search');
      await page.getByLabel('Search logs').fill('');
      await linesUntil(page, (lines) => lines.some((l) => l.includes('request served')), 'every line again');

      await page.getByTestId('lg-pause').click();
      await page.getByTestId('lg-state').getByText(/^Paused\./).waitFor();
      const before = (await shownLines(page)).length;
      await page.waitForTimeout(2500);
      assert.equal((await shownLines(page)).length, before, 'paused, nothing more is read');
      await page.getByTestId('lg-pause').click();
      await linesUntil(page, (lines) => lines.length > before, 'resumed, the tail goes on');
    });

    await t.test('Request logger: a request marked by its query, and one by the cookie the page sets, show their lines, status and duration; an unmarked one does not', async () => {
      await open(page, demo.url, 'requestlog', 'Request logger');
      const token = (await page.getByTestId('rl-token').textContent()) ?? '';
      assert.match(token, /^[A-Za-z0-9_-]{16}$/);
      await page.getByTestId('rl-none').waitFor();
      // The page's first read follows the token; requests marked from then on are kept.
      await page.waitForTimeout(1500);
      const [marked, plain] = await Promise.all([fetch(`${demo.appUrl}/store?who=marked&wobserver_logger=${token}`), fetch(`${demo.appUrl}/store?who=plain`)]);
      assert.deepEqual([marked.status, plain.status], [200, 200]);
      const request = page.getByTestId('rl-request');
      await request.first().waitFor({ timeout: 10_000 });
      const text = (await request.first().textContent()) ?? '';
      assert.match(text, /GET/);
      assert.match(text, /\/store\?who=marked&wobserver_logger=\[redacted\]/);
      assert.doesNotMatch(text, new RegExp(token), 'the token is redacted from the URL shown');
      assert.match(text, /200/);
      assert.match(text, /stored an entry/);
      assert.match(text, /request served/);
      assert.match(text, /\d+(\.\d+)? ms/);
      assert.equal(await request.count(), 1, 'the unmarked request is not listed');

      // The cookie: set for this host, the application (another port of it) receives it from this browser.
      await page.getByTestId('rl-cookie').click();
      await page.getByTestId('rl-cookie').getByText('Remove the cookie').waitFor();
      const app = await context.newPage();
      await app.goto(`${demo.appUrl}/hello`);
      await app.close();
      // The browser may ask for /favicon.ico too, with the same cookie: marked as well.
      await request.filter({ hasText: 'GET /hello' }).waitFor({ timeout: 10_000 });
      const urls = await request.locator('.rl-head code').allTextContents();
      assert.ok(urls.every((u) => u === '/hello' || u === '/favicon.ico' || /^\/store\?who=marked/.test(u)), urls.join(', '));
      assert.ok(urls.indexOf('/hello') < urls.findIndex((u) => u.startsWith('/store')), 'newest first');
      await shot(page, 'request-logger', { fullPage: false });
      await page.getByTestId('rl-cookie').click();
      await page.getByTestId('rl-cookie').getByText('Set the cookie').waitFor();
    });

    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await demo.close();
    await browser.close();
  }
});
