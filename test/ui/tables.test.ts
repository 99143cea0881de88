import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/demo/service.js';
import { axeViolations } from '../helpers/axe.js';
import { launch } from '../helpers/browser.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
interface El {
  textContent: string | null;
  scrollTop: number;
}
declare const document: {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): { length: number };
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const window: Record<string, unknown>;
declare class MutationObserver {
  constructor(f: () => void);
  observe(target: unknown, options: { childList: boolean; subtree: boolean; characterData: boolean }): void;
}

const SIZE = 5000;
/** A permutation of 0..SIZE-1 (7919 is prime, so no two entries share a score). */
const score = (i: number): number => (i * 7919 + 13) % SIZE;
const TABLE = 'e2e.people';
const ROWS = `table[aria-label="entries of ${TABLE}"] tbody tr:not(.spacer)`;

function people(): Map<string, object> {
  const m = new Map<string, object>();
  for (let i = 0; i < SIZE; i++) {
    m.set(`item${i}`, { name: `user ${i}`, score: score(i), city: ['Oslo', 'Lima', 'Bern'][i % 3], address: { street: `${i} Main St`, zip: `Z${i}` }, tags: ['a', 'b'] });
  }
  return m;
}

/** The keys in score order, as the server must sort them. */
const byScore = [...Array(SIZE).keys()].sort((a, b) => score(a) - score(b)).map((i) => `item${i}`);

const firstKey = (page: Page): Promise<string | null> => page.evaluate((sel) => document.querySelector(`${sel} td`)?.textContent ?? null, ROWS);
const waitFirstKey = (page: Page, key: string): Promise<unknown> =>
  page.waitForFunction(([sel, k]) => document.querySelector(`${sel} td`)?.textContent === k, [ROWS, key] as const, { timeout: 10_000 });

/** Records, from now on, whether the table ever had no entry rows in the page (it blanked between two pages). */
async function watchBlank(page: Page): Promise<void> {
  await page.evaluate((sel) => {
    window.blanked = 0;
    new MutationObserver(() => {
      if (document.querySelectorAll(sel).length === 0) window.blanked = (window.blanked as number) + 1;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }, ROWS);
}

async function openTable(browser: Browser, url: string, options: { dark?: boolean; width?: number } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1440, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url}/#/tables/${TABLE}`);
  await page.locator(ROWS).first().waitFor();
  return { page, errors };
}

test('the Tables page sorts objects by a field on the server, jumps to a page, never blanks, opens a detail and renders only the rows in view', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, units: false });
  demo.observer.tables.register(TABLE, people(), { description: 'objects for the Tables test' });
  try {
    const { page, errors } = await openTable(browser, demo.url);
    const entries = page.getByRole('table', { name: `entries of ${TABLE}` });
    // Object values are columns, in natural order of their fields.
    assert.deepEqual(await entries.locator('thead th').allTextContents(), ['Key', 'Address', 'City', 'Name', 'Score', 'Tags']);
    assert.equal(await firstKey(page), 'item0', 'the table\'s own order first');
    await watchBlank(page);

    const scoreHeading = entries.getByRole('columnheader', { name: /^Score/ });
    await scoreHeading.getByRole('button').click();
    await waitFirstKey(page, byScore[0]!);
    assert.equal(await scoreHeading.getAttribute('aria-sort'), 'ascending');
    const asc = await entries.locator('tbody tr:not(.spacer) td:first-child').allTextContents();
    await scoreHeading.getByRole('button').press('Enter');
    await waitFirstKey(page, byScore[SIZE - 1]!);
    assert.equal(await scoreHeading.getAttribute('aria-sort'), 'descending');
    const desc = await entries.locator('tbody tr:not(.spacer) td:first-child').allTextContents();
    assert.notDeepEqual(asc.slice(0, 10), desc.slice(0, 10), 'ascending and descending differ');
    assert.deepEqual(desc.slice(0, 10), byScore.slice(-10).reverse());
    assert.match(page.url(), /sort=value\.score/);

    // Jump to page 37 of 50 (100 rows a page), from the pager at the top; then back from the one at the bottom.
    assert.equal(await page.getByTestId('table-pages').textContent(), 'of 50');
    const jump = page.getByRole('spinbutton', { name: 'Go to page' });
    assert.equal(await jump.count(), 2, 'a pager above and one below');
    await jump.first().fill('37');
    await jump.first().press('Enter');
    await waitFirstKey(page, byScore[SIZE - 1 - 36 * 100]!);
    assert.match(page.url(), /page=36/);
    assert.equal(await jump.last().inputValue(), '37', 'both pagers show the page');
    await page.getByRole('group', { name: 'Paging, bottom' }).getByRole('button', { name: /Prev/ }).click();
    await waitFirstKey(page, byScore[SIZE - 1 - 35 * 100]!);
    await page.getByRole('searchbox', { name: 'Search entries' }).fill('item499');
    await page.waitForFunction(() => /^11 matching/.test(document.querySelector('.toolbar .muted')?.textContent ?? ''));
    assert.doesNotMatch(page.url(), /page=/, 'a new search starts at its first page');
    await page.getByRole('searchbox', { name: 'Search entries' }).fill('');
    await page.waitForFunction(() => /^5,000 matching/.test(document.querySelector('.toolbar .muted')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => window.blanked), 0, 'the old rows stayed until the new ones arrived, through sort, page and search changes');

    // The detail: a click opens it as a tree (no JSON on one line); Escape closes it; Enter on a focused row opens it.
    await entries.locator('tbody tr:not(.spacer)').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const detailKey = (await dialog.getByRole('heading').textContent()) ?? '';
    const i = Number(detailKey.replace('item', ''));
    assert.equal(await dialog.locator('dt', { hasText: /^zip$/ }).count(), 1, 'nested fields are part of the tree');
    assert.equal(await dialog.locator('dd dd', { hasText: `Z${i}` }).count(), 1);
    assert.doesNotMatch((await dialog.textContent()) ?? '', /[{"]/, 'no JSON');
    assert.deepEqual(await axeViolations(page), [], 'the open detail passes axe');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await entries.locator('tbody tr:not(.spacer)').nth(1).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // 1,000 rows a page: only those in view are in the page, and scrolling brings the others.
    await page.getByRole('combobox', { name: 'Entries per page' }).selectOption('1000');
    await page.waitForFunction(() => document.querySelector('table.entries[aria-rowcount="1001"]') !== null);
    await waitFirstKey(page, byScore[SIZE - 1]!);
    const rendered = await page.locator(ROWS).count();
    assert.ok(rendered > 10 && rendered < 60, `only the rows in view are rendered: ${rendered} of 1000`);
    await page.locator('.entries-scroll').evaluate((el) => (el.scrollTop = 28 * 700));
    await entries.getByRole('cell', { name: byScore[SIZE - 1 - 700]!, exact: true }).waitFor();
    assert.ok((await page.locator(ROWS).count()) < 60, 'still only the rows in view');
    assert.deepEqual(await axeViolations(page), [], 'light theme passes axe');
    assert.deepEqual(errors, []);
    await page.context().close();

    const dark = await openTable(browser, demo.url, { dark: true });
    assert.deepEqual(await axeViolations(dark.page), [], 'dark theme passes axe');
    assert.deepEqual(dark.errors, []);
    await dark.page.context().close();

    const narrow = await openTable(browser, demo.url, { width: 390 });
    // Nothing of this page reaches past 390 px (the entries' own box may scroll inside itself), and the page does not scroll sideways.
    const wide = await narrow.page.evaluate(() => {
      const doc = document as unknown as { documentElement: { clientWidth: number }; querySelectorAll(s: string): Iterable<{ tagName: string; className: string; closest(s: string): unknown; getBoundingClientRect(): { right: number } }> };
      const out: string[] = [];
      for (const el of doc.querySelectorAll('section.page, section.page *')) {
        const inBox = el.closest('.table-scroll') !== null && !el.className.includes('table-scroll');
        if (!inBox && el.getBoundingClientRect().right > doc.documentElement.clientWidth) out.push(`${el.tagName}.${el.className}`);
      }
      return out;
    });
    assert.deepEqual(wide, [], 'no part of the Tables page is wider than 390 px');
    assert.ok(await narrow.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the page does not scroll sideways at 390 px');
    assert.ok(await narrow.page.getByRole('columnheader', { name: /^City/ }).isVisible(), 'the first fields stay');
    assert.equal(await narrow.page.getByRole('columnheader', { name: /^Tags/ }).isVisible(), false, 'the last fields give way');
    assert.deepEqual(await axeViolations(narrow.page), [], 'narrow page passes axe');
    await narrow.page.context().close();
  } finally {
    await browser.close();
    await demo.close();
  }
});
