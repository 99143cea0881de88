import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { launch } from '../helpers/browser.js';
import { shot } from '../helpers/shots.js';

const firstRow = (page: Page) => page.getByRole('table', { name: 'functions' }).locator('tbody tr').first();

/** The hot function's frame in the graph's hidden list, and the top row of the self-time table. */
async function expectHot(page: Page, name: string): Promise<void> {
  await page.getByTestId('flame-frames').locator(`li[data-name="${name}"]`).first().waitFor({ state: 'attached', timeout: 15_000 });
  assert.match((await firstRow(page).textContent()) ?? '', new RegExp(`^${name}block\\.ts:\\d+`));
  assert.equal(await page.getByRole('columnheader', { name: /Self time/ }).getAttribute('aria-sort'), 'descending');
}

test('a CPU profile of the demo, taken on the Diagnostics page while /block spins, names blockTheEventLoop in the flame graph and at the top of the self-time table; the ring lists it and opens it again', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, units: false, trafficEvery: 0 });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/#/diagnostics`);
    await page.getByRole('button', { name: 'Start CPU profile' }).click();
    await page.getByRole('button', { name: 'Stop and view' }).waitFor();
    // The demo's own route: 1.5 s in the named function, in three blocks.
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${demo.appUrl}/block?ms=500`)).status, 200);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Stop and view' }).click()]);
    assert.match(download.suggestedFilename(), /\.cpuprofile$/);
    await page.getByTestId('profile-panel').getByRole('application').waitFor({ timeout: 15_000 });
    await expectHot(page, 'blockTheEventLoop');
    await page.getByTestId('profile-panel').scrollIntoViewIfNeeded();
    await shot(page, 'profile-flame', { fullPage: false });
    await page.getByTestId('profile-panel').getByRole('button', { name: 'Close' }).click();

    // The same profile, from the server's ring of recent profiles.
    const list = page.getByRole('table', { name: 'recent profiles' });
    const open = list.getByRole('button', { name: /^Open cpu-main-/ });
    await open.first().waitFor({ timeout: 10_000 });
    assert.equal(await open.count(), 1, 'one profile in the ring');
    await open.click();
    await page.getByTestId('profile-panel').getByRole('application').waitFor({ timeout: 15_000 });
    await expectHot(page, 'blockTheEventLoop');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await demo.close();
  }
});
