import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { axeViolations } from '../helpers/axe.js';
import { launch } from '../helpers/browser.js';
import { shot } from '../helpers/shots.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
interface El {
  tagName: string;
  id: string;
  className: unknown;
  textContent: string | null;
  getBoundingClientRect(): { right: number; width: number };
  getAttribute(name: string): string | null;
  closest(selector: string): El | null;
  querySelector(selector: string): El | null;
  matches(selector: string): boolean;
}
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number; dataset: Record<string, string | undefined> };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  activeElement: El | null;
  body: El;
};
declare const location: { hash: string };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

const VIEWS = [
  { name: '1440 light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
  { name: '1440 dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
  { name: '390 light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  { name: '390 dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;

/** The pages of the menu, as their links' hashes (custom pages included): new pages are covered once they are in the menu. */
async function menuLinks(page: Page): Promise<string[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('nav[aria-label="Pages"] a')).map((a) => a.getAttribute('href') ?? ''));
}

/** Opens a page by its hash and waits until it shows its data: no "Loading…" line, every chart drawn, every big figure filled (the load sampler's first sample in). */
async function show(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction(
    () =>
      document.querySelector('#page-title') !== null &&
      document.querySelector('main .loading') === null &&
      Array.from(document.querySelectorAll('main .chart')).every((c) => c.getAttribute('data-drawn-for') !== null) &&
      Array.from(document.querySelectorAll('main [data-testid="figure-value"]')).every((f) => /\d/.test(f.textContent ?? '')),
    undefined,
    { timeout: 15_000 },
  );
}

/** The elements that stick out past the right edge of the window, deepest first: where a sideways scroll comes from. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main *, header *'))) {
      if (el.getBoundingClientRect().right <= width + 0.5) continue;
      // Inside a box that scrolls on its own, sticking out is fine.
      if (el.matches('.table-scroll *, pre *, svg *')) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
    }
    return out.reverse().slice(0, 4);
  });
}

async function newView(browser: Browser, view: (typeof VIEWS)[number]): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: view.viewport, colorScheme: view.colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { context, page, errors };
}

test('the shell, on every page of the UI, in a real Chromium', { timeout: 180_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0 });
  let count = 0;
  demo.observer.pages.register({ title: 'E2E counter', command: 'e2e-counter', refresh: 3, callback: () => ({ count: ++count, answerInWords: 'forty-two' }) });
  demo.observer.pages.register({ title: 'E2E rows', command: 'e2e-rows', callback: () => [{ cityName: 'Oslo', peopleCount: 709_000 }, { cityName: 'Lima', peopleCount: 9_750_000 }] });
  // A second execution unit, for the keyboard walk among the Processes table's rows.
  const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
  await new Promise((resolve) => worker.once('online', resolve));
  const about = (await (await fetch(`${demo.url}/api/about`)).json()) as { node: string };
  try {
    await t.test('every page of the menu, at 1440 and 390 px, light and dark: no sideways scroll, no console error, axe-clean, the node named', async () => {
      const failures: string[] = [];
      let checked = 0;
      const axeMs: number[] = [];
      for (const view of VIEWS) {
        const { context, page, errors } = await newView(browser, view);
        try {
          await page.goto(`${demo.url}/`);
          await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();
          await page.locator('nav[aria-label="Pages"] a', { hasText: 'E2E counter' }).waitFor({ state: 'attached' });
          const theme = await page.evaluate(() => document.documentElement.dataset.theme);
          if (theme !== view.colorScheme) failures.push(`${view.name}: data-theme is ${theme}, not the system's ${view.colorScheme}`);
          const links = await menuLinks(page);
          assert.ok(links.length >= 10, `the menu lists the pages: ${links.join(' ')}`);
          for (const hash of links) {
            const where = `${view.name} ${hash}`;
            const before = errors.length;
            const found: string[] = [];
            try {
              await show(page, hash);
            } catch (e) {
              found.push(`did not load: ${(e as Error).message.split('\n')[0]}`);
            }
            const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
            if (scrollWidth > clientWidth) found.push(`scrolls sideways (${scrollWidth} > ${clientWidth}): ${(await overflowing(page)).join(', ')}`);
            const named = (await page.getByTestId('node-name').textContent().catch(() => null)) ?? '';
            if (!named.includes(about.node)) found.push(`the node's name "${about.node}" is not shown (${JSON.stringify(named)})`);
            const a0 = Date.now();
            const violations = await axeViolations(page);
            axeMs.push(Date.now() - a0);
            for (const v of violations) found.push(`axe ${v.impact} ${v.id}: ${v.help} at ${v.targets.join(' | ')}`);
            found.push(...errors.slice(before));
            if (found.length > 0) {
              failures.push(...found.map((f) => `${where}: ${f}`));
              await shot(page, `fail-${view.name.replace(' ', '-')}-${hash.replace(/[^a-z0-9]+/gi, '-')}`, { docs: false });
            }
            if (hash === '#/system' && view.name === '390 light') {
              await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="figure-cpu"] [data-testid="figure-value"]')?.textContent ?? ''));
              await shot(page, 'system-phone');
            }
            checked++;
          }
        } finally {
          await context.close();
        }
      }
      axeMs.sort((a, b) => a - b);
      t.diagnostic(`checked ${checked} page views; axe-core per page, ms: median ${axeMs[Math.floor(axeMs.length / 2)]}, max ${axeMs[axeMs.length - 1]}`);
      assert.equal(failures.length, 0, `${failures.length} failures:\n${failures.join('\n')}`);
    });

    await t.test('a custom page opened by its URL refreshes at its own rate, the default always in the refresh menu', async () => {
      const { context, page, errors } = await newView(browser, VIEWS[0]);
      try {
        await page.goto(`${demo.url}/#/page/e2e-counter`);
        const value = page.getByRole('table', { name: 'E2E counter' }).locator('tr', { hasText: /^Count/ }).locator('td');
        await value.waitFor();
        const first = Number(await value.textContent());
        await page.waitForFunction((n) => Number(document.querySelector('table[aria-label="E2E counter"] td')?.textContent) > n, first, { timeout: 10_000 });
        const rate = page.getByRole('combobox', { name: 'Refresh rate' });
        assert.equal(await rate.inputValue(), '3000', 'the page\'s own refresh, 3 s');
        await rate.selectOption('10000');
        assert.ok((await rate.locator('option').allTextContents()).includes('3 s (default)'), 'the default is still offered');
        await page.reload();
        assert.equal(await page.getByRole('combobox', { name: 'Refresh rate' }).inputValue(), '10000', 'the picked rate is remembered');
        // Keys in words: a field named answerInWords is headed "Answer in words".
        await page.getByRole('table', { name: 'E2E counter' }).getByRole('rowheader', { name: 'Answer in words' }).waitFor();
        await page.evaluate(() => {
          location.hash = '#/page/e2e-rows';
        });
        await page.getByRole('table', { name: 'E2E rows' }).getByRole('columnheader', { name: /^City name/ }).waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    await t.test('the theme picked in the header sets data-theme on <html> and survives a reload', async () => {
      const { context, page } = await newView(browser, VIEWS[0]);
      try {
        await page.goto(`${demo.url}/#/about`);
        const theme = page.getByRole('combobox', { name: 'Theme' });
        assert.equal(await theme.inputValue(), 'system');
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
        await theme.selectOption('dark');
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(20, 23, 27)');
        await page.reload();
        await page.getByRole('combobox', { name: 'Theme' }).waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the choice is remembered');
        assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'dark');
        await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
        await page.emulateMedia({ colorScheme: 'dark' });
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'a picked theme holds against the system setting');
        // A chart draws in a canvas with the colours of its theme: a change of theme draws it again.
        await page.goto(`${demo.url}/#/load`);
        await page.locator('.chart[data-drawn-for="light"]').first().waitFor();
        await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
        await page.waitForFunction(() => Array.from(document.querySelectorAll('.chart') as unknown as ArrayLike<{ dataset: { drawnFor?: string } }>).every((c) => c.dataset.drawnFor === 'dark'));
      } finally {
        await context.close();
      }
    });

    await t.test('the tables work by keyboard: a heading sorts on Enter, Tab reaches a row, arrows move, Enter opens its detail', async () => {
      const { context, page } = await newView(browser, VIEWS[0]);
      try {
        await page.goto(`${demo.url}/#/processes`);
        const units = page.getByRole('table', { name: 'execution units' });
        await units.getByText(`worker:${worker.threadId}`, { exact: true }).waitFor();
        const id = units.getByRole('columnheader', { name: /^Id/ });
        await id.getByRole('button').focus();
        await page.keyboard.press('Enter');
        assert.equal(await id.getAttribute('aria-sort'), 'ascending');
        let onRow = false;
        for (let i = 0; i < 80 && !onRow; i++) {
          await page.keyboard.press('Tab');
          onRow = await page.evaluate(() => document.activeElement?.tagName === 'TR' && document.activeElement.closest('table[aria-label="execution units"]') !== null);
        }
        assert.ok(onRow, 'Tab reaches a row of the table');
        const firstRow = await page.evaluate(() => document.activeElement?.textContent ?? '');
        const firstId = await page.evaluate(() => document.activeElement?.querySelector('td')?.textContent ?? '');
        await page.keyboard.press('ArrowDown');
        const secondRow = await page.evaluate(() => document.activeElement?.textContent ?? '');
        assert.notEqual(secondRow, firstRow, 'ArrowDown moves to the next row');
        await page.keyboard.press('ArrowUp');
        assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''), firstRow, 'ArrowUp moves back');
        await page.keyboard.press('Enter');
        await page.getByRole('table', { name: 'Process details' }).waitFor();
        assert.ok(page.url().endsWith(`#/processes/${encodeURIComponent(firstId)}`), `Enter opened the focused row, ${firstId}: ${page.url()}`);
      } finally {
        await context.close();
      }
    });
  } finally {
    await browser.close();
    await worker.terminate();
    await demo.close();
  }
});
