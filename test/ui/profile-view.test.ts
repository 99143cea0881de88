import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe.js';
import { launch, resultsDir } from '../helpers/browser.js';
import { startChild } from '../helpers/child.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'profile-target.ts');

/** Starts a profile of `kind` on the Diagnostics page, lets it sample, and stops it with "Stop and view"; resolves with the downloaded file's name. */
async function profileAndView(page: Page, kind: 'CPU' | 'heap'): Promise<string> {
  await page.getByRole('button', { name: `Start ${kind} profile` }).click();
  await page.getByRole('button', { name: 'Stop and view' }).waitFor();
  await page.waitForTimeout(1500);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Stop and view' }).click()]);
  await page.getByTestId('profile-panel').getByRole('application').waitFor({ timeout: 15_000 });
  return download.suggestedFilename();
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
    page.on('request', (r) => void (r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname)));
    await page.goto(`${url}/#/diagnostics`);
    await page.getByText('Diagnostic report').waitFor({ timeout: 15_000 });
    assert.deepEqual(scripts.filter((s) => s.includes('viewer')), [], 'the viewer is not in the first page');
    assert.equal(await page.getByRole('combobox', { name: 'Thread' }).first().inputValue(), '0', 'the main thread is picked');

    await t.test('CPU: the hot function is a frame of the graph and tops the self-time table', async () => {
      assert.match(await profileAndView(page, 'CPU'), /\.cpuprofile$/);
      assert.equal(scripts.filter((s) => /\/assets\/chunks\/viewer-[\w-]+\.js$/.test(s)).length, 1, scripts.join(', '));
      const frames = page.getByTestId('flame-frames');
      await frames.locator('li[data-name="flameViewHotFunction"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.match((await firstRow(page).textContent()) ?? '', /^flameViewHotFunctionprofile-target\.ts:\d+/);
      assert.equal(await page.getByRole('columnheader', { name: /Self time/ }).getAttribute('aria-sort'), 'descending');
      await page.screenshot({ path: join(resultsDir(), 'profile-view-cpu.png'), fullPage: true });

      // Search: the matches are marked, and their share of the whole is shown.
      await page.getByRole('searchbox', { name: 'Search the flame graph' }).fill('flameViewHot');
      const matched = page.getByTestId('flame-matched');
      const share = Number(/([\d.]+) % of the total/.exec((await matched.textContent()) ?? '')?.[1]);
      assert.ok(share > 50 && share <= 100, `${await matched.textContent()}`);
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

      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
      await page.getByTestId('profile-panel').getByRole('button', { name: 'Close' }).click();
    });

    await t.test('heap: the allocating function tops the table by bytes', async () => {
      assert.match(await profileAndView(page, 'heap'), /\.heapprofile$/);
      assert.equal(await page.locator('.profile-viewer').getAttribute('data-kind'), 'heap');
      await page.getByRole('columnheader', { name: /Self bytes/ }).waitFor();
      assert.match((await firstRow(page).textContent()) ?? '', /^flameViewAllocatorprofile-target\.ts:\d+.*(KiB|MiB)/);
      await page.getByTestId('flame-frames').locator('li[data-name="flameViewAllocator"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(scripts.filter((s) => s.includes('/chunks/viewer-')).length, 1, 'the viewer chunk is fetched once');
      await page.screenshot({ path: join(resultsDir(), 'profile-view-heap.png'), fullPage: true });
    });
    assert.deepEqual(errors, []);
  } finally {
    target.child.kill('SIGTERM');
    await browser.close();
  }
});
