import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe.js';
import { launch } from '../helpers/browser.js';
import { startChild } from '../helpers/child.js';
import { shot } from '../helpers/shots.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/heap-leak.ts', import.meta.url));

/** What the functions evaluated in the page use of it (this file is type-checked against Node's types). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

/** The cells of a table's first rows, as text. */
async function firstRows(page: Page, table: string, n: number): Promise<string[][]> {
  return page
    .getByRole('table', { name: table })
    .locator('tbody tr[tabindex], tbody tr:not([aria-hidden])')
    .evaluateAll((trs, count) => trs.slice(0, count).map((tr) => Array.from((tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td')).map((td) => td.textContent ?? '')), n);
}

/** Takes a snapshot on the page and waits for its summary; counts the animation frames the tab painted meanwhile. */
async function takeSnapshot(page: Page, no: number): Promise<{ frames: number; longestGapMs: number }> {
  const button = page.getByRole('button', { name: 'Take heap snapshot' });
  await page.waitForFunction(() => (document.querySelector('.heap-actions button') as unknown as { disabled: boolean } | null)?.disabled === false, undefined, { timeout: 15_000 });
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    const w = globalThis;
    w.heapFrames = [];
    w.heapCounting = true;
    const tick = () => { if (!w.heapCounting) return; w.heapFrames.push(performance.now()); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await button.click();
  await page.getByRole('heading', { name: `Snapshot ${no} by constructor` }).waitFor({ timeout: 60_000 });
  return (await page.evaluate(`(() => {
    const w = globalThis;
    w.heapCounting = false;
    const f = w.heapFrames;
    let longest = 0;
    for (let i = 1; i < f.length; i++) longest = Math.max(longest, f[i] - f[i - 1]);
    return { frames: f.length, longestGapMs: longest };
  })()`)) as { frames: number; longestGapMs: number };
}

test('Diagnostics in a real Chromium: two heap snapshots around a leak, read in the tab; the comparison names the leaking constructor first', { timeout: 180_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const child = await startChild(process.execPath, ['--import', 'tsx', FIXTURE], { ready: /^\{.*"url".*\}$/m, what: 'the leaking process' });
  try {
    const { url, appUrl } = JSON.parse(child.match[0]) as { url: string; appUrl: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && !/status of 429/.test(m.text()) && errors.push(m.text())));
    await page.goto(`${url}/#/diagnostics`);

    await t.test('the first snapshot shows the summary by constructor, with the 1,000 records the process started with', async () => {
      const first = await takeSnapshot(page, 1);
      t.diagnostic(`first snapshot: ${first.frames} frames painted while it was read, longest gap ${first.longestGapMs.toFixed(0)} ms`);
      await page.getByRole('searchbox', { name: 'Search heap summary' }).fill('LeakyRecord');
      const [row] = await firstRows(page, 'heap summary', 1);
      assert.ok(row, 'a LeakyRecord row');
      assert.equal(row[0], 'LeakyRecord');
      assert.equal(row[1], '1,000');
      assert.match((await page.getByTestId('heap-kept').textContent()) ?? '', /keeps the last 2 snapshots in memory \([\d.]+ [KMG]iB\) and lets them go when you leave/);
      assert.equal(await page.getByRole('button', { name: 'Compare with previous' }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Summary of snapshot 1' }).getAttribute('aria-pressed'), 'true');
    });

    await t.test('the saved file is the snapshot itself', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save .heapsnapshot of snapshot 1' }).click()]);
      assert.match(download.suggestedFilename(), /^heap-.*\.heapsnapshot$/);
      const text = readFileSync((await download.path())!, 'utf8');
      assert.match(text.slice(0, 200), /^\{"snapshot":\{"meta":/);
      assert.ok(text.includes('"LeakyRecord"'));
    });

    await t.test('after a leak of 50,000 records, "Compare with previous" puts LeakyRecord at the top of the growth table', async () => {
      const res = await fetch(`${appUrl}/leak?n=50000`, { method: 'POST' });
      assert.deepEqual(await res.json(), { leaked: 51_000 });
      const second = await takeSnapshot(page, 2);
      t.diagnostic(`second snapshot: ${second.frames} frames painted while it was taken and read, longest gap ${second.longestGapMs.toFixed(0)} ms`);
      // The tab kept painting while the snapshot was read and analysed: it was not frozen.
      assert.ok(second.frames >= 2, `${second.frames} frames`);
      await page.getByRole('button', { name: 'Compare with previous' }).click();
      await page.getByRole('heading', { name: 'What grew from snapshot 1 to snapshot 2' }).waitFor({ timeout: 30_000 });
      const rows = await firstRows(page, 'heap growth', 3);
      assert.equal(rows[0]?.[0], 'LeakyRecord', JSON.stringify(rows));
      assert.equal(rows[0]?.[1], '+50,000');
      assert.equal(rows[0]?.[3], '50,000', 'new objects');
      assert.equal(rows[0]?.[4], '0', 'deleted objects');
      // One inspector session took both: the ids agree.
      assert.equal(await page.getByTestId('ids-reset').count(), 0);
      assert.deepEqual(await axeViolations(page), []);
      await shot(page, 'heap-compare');
    });

    await t.test('the growth table sorts by keyboard: Enter on a heading re-sorts it', async () => {
      const heading = page.getByRole('table', { name: 'heap growth' }).getByRole('button', { name: /New size/ });
      await heading.focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.getByRole('table', { name: 'heap growth' }).locator('th[aria-sort="ascending"]').textContent(), 'New size ▲');
    });
    assert.deepEqual(errors, []);
  } finally {
    child.kill();
    await browser.close();
  }
});
