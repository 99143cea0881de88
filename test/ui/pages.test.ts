import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { launch, resultsDir } from '../helpers/browser.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
};

const shot = (page: Page, name: string) => page.screenshot({ path: join(resultsDir(), `pages-${name}.png`), fullPage: true });

async function goto(page: Page, base: string, route: string, ready: string): Promise<void> {
  await page.goto(`${base}/#/${route}`);
  await page.getByText(ready, { exact: false }).first().waitFor({ timeout: 15_000 });
}

test('the System, Load, Memory, Metrics, Diagnostics and About pages, in a real Chromium', { timeout: 240_000 }, async (t) => {
  const browser: Browser | undefined = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 50, units: false });
  const latency = demo.registry.histogram({ name: 'e2e_latency_seconds', help: 'How long the e2e test waited', buckets: [0.01, 0.05, 0.1, 0.5, 1] });
  const observe = setInterval(() => {
    for (let i = 0; i < 20; i++) latency.observe(Math.random() < 0.9 ? 0.03 : 0.7);
  }, 100);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The 429 the rate-limit check answers is logged by Chromium itself; any other console error counts.
    page.on('console', (m) => void (m.type() === 'error' && !/status of 429/.test(m.text()) && errors.push(m.text())));

    await t.test('System shows usage bars against their limits, the load figures, and folds the versions away', async () => {
      await goto(page, demo.url, 'system', 'Usage against limits');
      const memory = page.getByTestId('usage-memory');
      assert.match((await memory.textContent()) ?? '', /Memory \(RSS\)[\d.]+ MiB of [\d.]+ [GM]iB/);
      assert.equal(await memory.getByRole('meter').count(), 1);
      assert.match((await page.getByTestId('usage-heap').textContent()) ?? '', /Heap used.* of .*heap size limit/);
      if (existsSync('/proc/self/limits')) {
        const files = page.getByTestId('usage-files');
        const text = (await files.textContent()) ?? '';
        const soft = (await import('node:fs')).readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)/)?.[1];
        assert.ok(soft !== undefined);
        assert.equal((await files.getByTestId('usage-limit').textContent())?.replace(/,/g, ''), soft, text);
        assert.match(text, /Open files\d[\d,]* of /);
      }
      assert.match((await page.getByTestId('usage-threadpool').textContent()) ?? '', /\d+ threads/);
      // The figures fill from the load topic.
      for (const id of ['cpu', 'elu', 'delay']) {
        await page.getByTestId(`figure-${id}`).getByTestId('figure-value').filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
      }
      assert.match((await page.getByTestId('figure-elu').getByTestId('figure-value').textContent()) ?? '', /^\d+\.\d %$/);
      assert.match((await page.getByTestId('figure-delay').getByTestId('figure-value').textContent()) ?? '', /ms$/);
      const versions = page.locator('details.versions');
      assert.equal(await versions.getAttribute('open'), null, 'the versions are folded');
      assert.equal(await versions.getByRole('table', { name: 'versions' }).isVisible(), false);
      await versions.locator('summary').click();
      assert.equal(await versions.getByRole('table', { name: 'versions' }).isVisible(), true);
      const speed = await page.locator('tr', { has: page.locator('th', { hasText: /^Speed$/ }) }).locator('td').textContent();
      assert.doesNotMatch(speed ?? '', /^0 MHz$/);
      assert.match(speed ?? '', /^([\d,]+ MHz|unknown)$/);
      await shot(page, 'system');
    });
    await t.test('Load charts: the memory axis ticks at round binary values, in one unit written once', async () => {
      await goto(page, demo.url, 'load', 'samples, one every');
      const chart = page.getByTestId('chart-Memory');
      await page.waitForFunction(() => /^[2-9]\d* samples/.test(document.querySelector('main p.muted')?.textContent ?? ''), undefined, { timeout: 15_000 });
      await chart.locator('canvas').waitFor();
      const ticks = (await chart.getAttribute('data-ticks')) ?? '';
      const [unit, labels] = ticks.split(': ');
      assert.match(unit ?? '', /^(KiB|MiB|GiB)$/, ticks);
      const values = (labels ?? '').split(' ').map(Number);
      assert.ok(values.length >= 3, ticks);
      const step = values[1]! - values[0]!;
      // A power of two (of the unit, or a binary fraction of it), and every tick a multiple of it.
      assert.equal(Math.log2(step) % 1, 0, `step ${step} in ${ticks}`);
      for (const v of values) assert.equal((v / step) % 1, 0, ticks);
      const cpu = (await page.getByTestId('chart-CPU').getAttribute('data-ticks')) ?? '';
      assert.match(cpu, /^%: 0 /, cpu);
      await shot(page, 'load');
    });

    await t.test('Memory: heap-space bars share one scale, empty spaces are folded and names are in words', async () => {
      await goto(page, demo.url, 'memory', 'Heap spaces');
      await page.getByTestId('chart-Memory over time').locator('canvas').waitFor();
      const bars = await page.locator('li.space').evaluateAll((els) =>
        els.map((el) => ({
          size: Number(el.getAttribute('data-size')),
          width: (el.querySelector('.space-size') as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width,
          track: (el.querySelector('.space-track') as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width,
          label: el.querySelector('.space-label')?.textContent ?? '',
        })),
      );
      assert.ok(bars.length >= 3, JSON.stringify(bars));
      const biggest = Math.max(...bars.map((b) => b.size));
      for (const b of bars) {
        assert.ok(b.size > 0, 'an empty space has no bar');
        // Within a pixel of its share of the largest space.
        assert.ok(Math.abs(b.width - (b.size / biggest) * b.track) <= 1.5, `${b.label}: ${b.width} px of ${b.track} for ${b.size} of ${biggest}`);
        assert.doesNotMatch(b.label, /_/);
      }
      const small = bars.reduce((a, b) => (b.size < a.size ? b : a));
      const large = bars.reduce((a, b) => (b.size > a.size ? b : a));
      assert.ok(small.width / large.width < 0.9 || small.size / large.size >= 0.9, 'a smaller space draws a shorter bar');
      assert.ok(bars.some((b) => b.label === 'New space'), JSON.stringify(bars.map((b) => b.label)));
      const folded = page.locator('details.empty-spaces');
      if ((await folded.count()) > 0) assert.equal(await folded.getAttribute('open'), null);
      await shot(page, 'memory');
    });

    await t.test('Metrics: a histogram row opens its chart of p50 / p90 / p99 with its help text; sparklines carry their range', async () => {
      await goto(page, demo.url, 'metrics', 'Every series in the registry');
      await page.getByRole('searchbox', { name: 'Search metrics' }).fill('e2e_latency');
      const row = page.getByRole('table', { name: 'metrics' }).locator('tbody tr', { hasText: 'e2e_latency_seconds' });
      await row.waitFor();
      // A few readings first, so that there is something between them.
      await page.waitForTimeout(4500);
      const scale = row.getByTestId('spark-scale');
      assert.match((await scale.textContent()) ?? '', /^[\d,.]+[\d,.]+$/, 'the highest and lowest values beside the sparkline');
      await row.click();
      const detail = page.getByTestId('metric-detail');
      await detail.getByText('How long the e2e test waited').waitFor();
      assert.match((await detail.textContent()) ?? '', /histogram, in seconds/);
      const chart = detail.locator('.chart');
      await chart.locator('canvas').waitFor();
      const legend = (await chart.locator('.u-legend').textContent()) ?? '';
      for (const q of ['p50', 'p90', 'p99']) assert.match(legend, new RegExp(q), legend);
      await page.waitForFunction(() => (document.querySelector('[data-testid="metric-detail"] .chart')?.getAttribute('data-ticks') ?? '').startsWith('ms: 0'), undefined, { timeout: 10_000 });
      // Hovering the last reading shows the estimates: 90 % at 30 ms lands p50 in (10, 50] ms, 10 % at 700 ms puts p99 in (500, 1000] ms.
      const box = (await chart.locator('.u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
      const values = await chart.locator('.u-legend .u-series .u-value').allTextContents();
      const figure = (s: string): number => Number(/([\d.]+) ms/.exec(s)?.[1] ?? Number.NaN);
      const [p50, , p99] = values.slice(1).map(figure);
      assert.ok(p50! > 10 && p50! <= 50, `p50 ${values}`);
      assert.ok(p99! > 500 && p99! <= 1000, `p99 ${values}`);
      await shot(page, 'metrics');
    });

    await t.test('Diagnostics: a CPU profile shows its elapsed time, holds the other buttons, downloads, and no request is aborted', async () => {
      const failed: string[] = [];
      const onFailed = (r: { url(): string; method(): string; failure(): { errorText: string } | null }) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
      const done: string[] = [];
      const onDone = (r: { url(): string; method(): string }) => void (r.method() === 'POST' && done.push(new URL(r.url()).pathname));
      page.on('requestfailed', onFailed);
      page.on('requestfinished', onDone);
      try {
        await goto(page, demo.url, 'diagnostics', 'Diagnostic report');
        await page.getByRole('button', { name: 'Start CPU profile' }).click();
        const timer = page.getByTestId('elapsed-cpu-profile');
        await timer.waitFor();
        const first = await timer.textContent();
        await page.waitForFunction((f) => document.querySelector('[data-testid="elapsed-cpu-profile"]')?.textContent !== f, first, { timeout: 5000 });
        assert.match((await timer.textContent()) ?? '', /^Running for 0:0[1-9]/);
        assert.equal(await page.getByRole('button', { name: 'Start heap profile' }).isDisabled(), true);
        assert.equal(await page.getByRole('button', { name: 'Take heap snapshot' }).isDisabled(), true);
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Stop and download' }).click()]);
        assert.match(download.suggestedFilename(), /^cpu-.*\.cpuprofile$/);
        const profile = JSON.parse((await import('node:fs')).readFileSync((await download.path())!, 'utf8')) as { nodes: unknown[] };
        assert.ok(profile.nodes.length > 0);
        await page.getByRole('button', { name: 'Start CPU profile' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Start CPU profile' }).isDisabled(), false);
        await page.getByRole('status').filter({ hasText: /saved cpu-/ }).waitFor();
        // Let the network log settle: a body left unread is cancelled when it is collected.
        await page.waitForTimeout(500);
        await page.evaluate(() => (globalThis as unknown as { gc?: () => void }).gc?.());
        assert.deepEqual(failed, []);
        // Completed, both: the start's body read to its end too, or it would hang unfinished until cancelled.
        assert.deepEqual(done, ['/api/diagnostics/cpu-profile/start', '/api/diagnostics/cpu-profile/stop']);
        await shot(page, 'diagnostics');
      } finally {
        page.off('requestfailed', onFailed);
        page.off('requestfinished', onDone);
      }
    });

    await t.test('Diagnostics: a rate-limited heap snapshot counts down to the next one allowed, its button disabled meanwhile', async () => {
      // The server's 429, without taking the snapshot that would cause it (api.test.ts checks the server's side).
      await page.route('**/api/diagnostics/heap-snapshot', (route) =>
        route.fulfill({ status: 429, headers: { 'retry-after': '3', 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'One heap snapshot per 60 s: try again in 3 s' } }) }),
      );
      try {
        await goto(page, demo.url, 'diagnostics', 'Diagnostic report');
        const button = page.getByRole('button', { name: 'Take heap snapshot' });
        await button.click();
        const countdown = page.getByTestId('snapshot-countdown');
        await countdown.waitFor();
        assert.match((await countdown.textContent()) ?? '', /^Next snapshot allowed in 0:0[1-3]$/);
        assert.equal(await button.isDisabled(), true);
        await page.waitForFunction(() => /in 0:0[12]$/.test(document.querySelector('[data-testid="snapshot-countdown"]')?.textContent ?? ''), undefined, { timeout: 5000 });
        await countdown.waitFor({ state: 'detached', timeout: 6000 });
        assert.equal(await button.isDisabled(), false);
      } finally {
        await page.unroute('**/api/diagnostics/heap-snapshot');
      }
    });

    await t.test('About: the prefix reads "/ (root)" at the root, headings are in words and no value is blank', async () => {
      await goto(page, demo.url, 'about', 'What this is');
      const rows = await page.getByRole('table', { name: 'about' }).locator('tr').evaluateAll((trs) =>
        trs.map((tr) => [(tr as unknown as { querySelector(s: string): { textContent: string } }).querySelector('th').textContent, (tr as unknown as { querySelector(s: string): { textContent: string } }).querySelector('td').textContent]),
      );
      const about = Object.fromEntries(rows) as Record<string, string>;
      assert.equal(about['Mounted at'], '/ (root)', JSON.stringify(rows));
      assert.equal(about.PID, String(process.pid));
      for (const [k, v] of rows) {
        assert.ok(v !== undefined && v.trim() !== '', `${k} is blank`);
        assert.doesNotMatch(k ?? '', /[a-z][A-Z]/, 'a heading in words, not a field name');
      }
      await shot(page, 'about');
    });

    // Axe, the sideways scroll and console errors on these pages, light and dark, at 1440 and 390 px, with their
    // data in: test/ui/every-page.test.ts, for every page of the menu.
    assert.deepEqual(errors, [], 'no errors in the pages');
  } finally {
    clearInterval(observe);
    await browser.close();
    await demo.close();
  }
});
