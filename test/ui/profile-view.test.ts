import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe.js';
import { launch, resultsDir } from '../helpers/browser.js';
import { startChild } from '../helpers/child.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
declare const document: { documentElement: { dataset: Record<string, string | undefined>; scrollWidth: number; clientWidth: number }; querySelector(s: string): unknown };

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'profile-target.ts');

/** Starts a profile of `kind` on the Diagnostics page, lets it sample, and stops it with "Stop and view"; resolves with the downloaded file's name. */
async function profileAndView(page: Page, kind: 'CPU' | 'heap'): Promise<{ name: string; path: string }> {
  await page.getByRole('button', { name: `Start ${kind} profile` }).click();
  await page.getByRole('button', { name: 'Stop and view' }).waitFor();
  await page.waitForTimeout(1500);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Stop and view' }).click()]);
  await page.getByTestId('profile-panel').getByRole('application').waitFor({ timeout: 15_000 });
  return { name: download.suggestedFilename(), path: (await download.path())! };
}

const firstRow = (page: Page) => page.getByRole('table', { name: 'functions' }).locator('tbody tr').first();

test('the Diagnostics page shows a real CPU and heap profile as a flame graph and a function table, the viewer loaded on demand', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const target = await startChild(process.execPath, ['--import', 'tsx', FIXTURE], { ready: /^\{"url":"(http:[^"]+)"/m, what: 'the profile target' });
  try {
    const url = target.match[1]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    const scripts: string[] = [];
    let cpuFile = '';
    page.on('request', (r) => void (r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname)));
    await page.goto(`${url}/#/diagnostics`);
    await page.getByText('Diagnostic report').waitFor({ timeout: 15_000 });
    assert.deepEqual(scripts.filter((s) => s.includes('viewer')), [], 'the viewer is not in the first page');
    assert.equal(await page.getByRole('combobox', { name: 'Thread' }).first().inputValue(), '0', 'the main thread is picked');

    await t.test('CPU: the hot function is a frame of the graph and tops the self-time table', async () => {
      const saved = await profileAndView(page, 'CPU');
      assert.match(saved.name, /\.cpuprofile$/);
      cpuFile = saved.path;
      assert.equal(scripts.filter((s) => /\/assets\/chunks\/viewer-[\w-]+\.js$/.test(s)).length, 1, scripts.join(', '));
      const frames = page.getByTestId('flame-frames');
      await frames.locator('li[data-name="flameViewHotFunction"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.match((await firstRow(page).textContent()) ?? '', /^flameViewHotFunctionprofile-target\.ts:\d+/);
      assert.equal(await page.getByRole('columnheader', { name: /Self time/ }).getAttribute('aria-sort'), 'descending');
      await page.screenshot({ path: join(resultsDir(), 'profile-view-cpu.png'), fullPage: true });

      // Search: the matches are marked, and their share of the whole is shown.
      await page.getByRole('searchbox', { name: 'Search the flame graph' }).fill('flameViewHot');
      const matched = page.getByTestId('flame-matched');
      const share = /([\d.]+ %) of the total/.exec((await matched.textContent()) ?? '')?.[1];
      // The hot function is never under itself, so its matched share is its total share in the table.
      assert.equal(share, await firstRow(page).locator('td').nth(5).textContent(), `${await matched.textContent()}`);
      assert.ok(Number.parseFloat(share!) > 10, share);
      await frames.locator('li[data-name="flameViewHotFunction"][data-match="true"]').first().waitFor({ state: 'attached' });
      assert.equal(await frames.locator('li[data-match="true"]:not([data-name="flameViewHotFunction"])').count(), 0, 'only the matches are marked');
      await page.getByRole('searchbox', { name: 'Search the flame graph' }).fill('');

      // A row of the table highlights its function in the graph.
      await firstRow(page).click();
      assert.match((await matched.textContent()) ?? '', /^flameViewHotFunction: /);
      await page.getByRole('button', { name: 'Clear highlight' }).click();

      // Keyboard: Tab to the graph, down to the root's largest callee, Enter zooms, Escape goes back.
      const graph = page.getByRole('application', { name: /Flame graph/ });
      await graph.focus();
      await page.keyboard.press('ArrowDown');
      assert.match((await page.locator('#flame-focused').textContent()) ?? '', /^\(root\): self .*, total .*, 100\.0 %$/);
      await page.keyboard.press('ArrowDown');
      const focused = (await page.locator('#flame-focused').textContent()) ?? '';
      const name = focused.split(/[ :]/)[0]!;
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('flame-zoom').textContent().then((s) => s?.startsWith(`zoomed into ${name}`)), true, focused);
      assert.equal(await page.getByRole('tooltip').isVisible(), true, 'the focused frame has its tooltip');
      await page.keyboard.press('Escape');
      assert.match((await page.getByTestId('flame-zoom').textContent()) ?? '', /frames, .* in all$/);

      // The pointer: a click on a frame zooms into it, a drag pans without zooming, Back returns.
      const box = (await page.locator('.flame canvas').boundingBox())!;
      const zoom = page.getByTestId('flame-zoom');
      // The root's largest callee starts at the left edge, one row down.
      await page.mouse.click(box.x + 5, box.y + 18 + 9);
      assert.match((await zoom.textContent()) ?? '', /^zoomed into /);
      const zoomedInto = await zoom.textContent();
      await page.mouse.move(box.x + 200, box.y + 9);
      await page.mouse.down();
      await page.mouse.move(box.x + 120, box.y + 9, { steps: 5 });
      await page.mouse.up();
      assert.equal(await zoom.textContent(), zoomedInto, 'a drag is not a click');
      await page.getByRole('button', { name: 'Back' }).click();
      assert.match((await zoom.textContent()) ?? '', /frames, .* in all$/);

      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
      await page.getByTestId('profile-panel').getByRole('button', { name: 'Close' }).click();
    });

    await t.test('heap: the allocating function tops the table by bytes', async () => {
      assert.match((await profileAndView(page, 'heap')).name, /\.heapprofile$/);
      assert.equal(await page.locator('.profile-viewer').getAttribute('data-kind'), 'heap');
      await page.getByRole('columnheader', { name: /Self bytes/ }).waitFor();
      assert.match((await firstRow(page).textContent()) ?? '', /^flameViewAllocatorprofile-target\.ts:\d+.*(KiB|MiB)/);
      await page.getByTestId('flame-frames').locator('li[data-name="flameViewAllocator"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(scripts.filter((s) => s.includes('/chunks/viewer-')).length, 1, 'the viewer chunk is fetched once');
      await page.screenshot({ path: join(resultsDir(), 'profile-view-heap.png'), fullPage: true });
    });

    await t.test('a profile of the ring opens from the list, in the dark theme at a device pixel ratio of 2, with a tooltip on hover', async () => {
      // The ring as the diagnostics topic will carry it: one entry is added to each push, and its GET answers the profile taken above.
      const entry = { id: 'ring-1', kind: 'cpu-profile', thread: { id: 0, name: 'main' }, startedAt: Date.parse('2026-01-02T03:04:05Z'), durationMs: 1500, trigger: 'elu', bytes: 12345, nodes: 42 };
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2, colorScheme: 'dark' });
      const dark = await context.newPage();
      dark.on('pageerror', (e) => errors.push(e.message));
      await dark.routeWebSocket(/\/ws$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => {
          const msg = JSON.parse(String(m)) as { data?: { profileRing?: number; profiles?: unknown[] } };
          if (msg.data !== undefined && msg.data.profileRing !== undefined) {
            msg.data.profiles = [entry, { ...entry, id: 'ring-2', kind: 'heap-profile', startedAt: entry.startedAt - 60_000 }];
            msg.data.profileRing = 10;
          }
          ws.send(JSON.stringify(msg));
        });
      });
      const asked: string[] = [];
      await dark.route('**/api/diagnostics/profiles/ring-2', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"not":"a profile"}' }));
      await dark.route('**/api/diagnostics/profiles/ring-1', (route) => {
        asked.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'application/json', path: cpuFile });
      });
      await dark.goto(`${url}/#/diagnostics`);
      const list = dark.getByRole('table', { name: 'recent profiles' });
      await list.waitFor({ timeout: 15_000 });
      assert.match((await list.locator('tbody tr').first().textContent()) ?? '', /CPU.*main.*1\.5 s.*elu.*12\.1 KiB.*42/);
      const download = list.getByRole('link', { name: /^Download cpu-main-.*\.cpuprofile$/ });
      assert.equal(await download.getAttribute('href'), 'api/diagnostics/profiles/ring-1');
      await list.getByRole('button', { name: /^Open cpu-main-/ }).click();
      await dark.getByTestId('flame-frames').locator('li[data-name="flameViewHotFunction"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(asked.length, 1);
      // Crisp: the backing store has two device pixels per CSS pixel.
      const canvas = dark.locator('.flame canvas');
      const size = await canvas.evaluate((c) => ({ w: (c as unknown as { width: number }).width, css: (c as unknown as { clientWidth: number }).clientWidth }));
      assert.equal(size.w, size.css * 2, JSON.stringify(size));
      // The dark palette: the root frame is drawn in the dark theme's colour for frames without a script.
      const box = (await canvas.boundingBox())!;
      const pixel = async (): Promise<number[]> =>
        canvas.evaluate((c) => [...(c as unknown as { getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: number[] } } }).getContext('2d').getImageData(40, 10, 1, 1).data].slice(0, 3));
      // flame.ts draws each category in five shades of its colour: lighter or darker by 0, 8 or 16 %.
      const shades = (rgb: number[]) => [-0.16, -0.08, 0, 0.08, 0.16].map((f) => rgb.map((c) => Math.round(f >= 0 ? c + (255 - c) * f : c * (1 + f))).join(','));
      const darkNative = shades([0x5a, 0x62, 0x6c]);
      assert.ok(darkNative.includes((await pixel()).join(',')), `${await pixel()} is a shade of the dark --flame-native (the root has no url): ${darkNative.join(' ')}`);
      await dark.mouse.move(box.x + 30, box.y + 9);
      const tip = dark.getByRole('tooltip');
      await tip.waitFor();
      assert.match((await tip.textContent()) ?? '', /^\(root\): self .*, total .*, 100\.0 %$/);
      await dark.getByRole('combobox', { name: 'Theme' }).selectOption('light');
      await dark.waitForFunction(() => document.documentElement.dataset.theme === 'light');
      const lightNative = shades([0xb3, 0xb9, 0xc1]);
      await dark.waitForFunction((ok) => ok.includes(String([...(document.querySelector('.flame canvas') as unknown as { getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: number[] } } }).getContext('2d').getImageData(40, 10, 1, 1).data].slice(0, 3))), lightNative, { timeout: 5000 });
      const violations = await axeViolations(dark);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
      await dark.screenshot({ path: join(resultsDir(), 'profile-view-ring.png'), fullPage: true });
      // A phone's width: the graph and its toolbar fit, no sideways scroll, and the canvas follows the box.
      await dark.setViewportSize({ width: 390, height: 800 });
      await dark.waitForFunction(() => {
        const c = document.querySelector('.flame canvas') as unknown as { width: number; clientWidth: number };
        return c.clientWidth < 390 && c.width === c.clientWidth * 2;
      });
      await dark.screenshot({ path: join(resultsDir(), 'profile-view-narrow.png'), fullPage: true });
      assert.equal(await dark.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true, 'no sideways scroll at 390 px');
      // What is not a profile says so, in place of the viewer.
      await list.getByRole('button', { name: /^Open heap-main-/ }).click();
      const alert = dark.getByTestId('profile-panel').getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /Cannot show this profile: neither a \.cpuprofile .* nor a \.heapprofile/);
      await context.close();
    });
    assert.deepEqual(errors, []);
  } finally {
    target.child.kill('SIGTERM');
    await browser.close();
  }
});
