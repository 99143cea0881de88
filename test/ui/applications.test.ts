import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { generateTree, writeTree } from '../fixtures/dependency-tree.js';
import { axeViolations } from '../helpers/axe.js';
import { launch, resultsDir } from '../helpers/browser.js';
import { startChild } from '../helpers/child.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface El {
  getBoundingClientRect(): Rect;
  getAttribute(name: string): string | null;
  getScreenCTM(): { a: number } | null;
  textContent: string | null;
  click(): void;
}
declare const document: {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): El[] & { length: number };
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare function getComputedStyle(element: unknown): { fontSize: string; display: string };
declare function requestAnimationFrame(f: () => void): void;

/** The smallest label in screen pixels (computed font size times the diagram's scale) and how many labels are in view. */
function labels(page: Page): Promise<{ smallest: number; inView: number; total: number }> {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.graph')!.getBoundingClientRect();
    let smallest = Number.POSITIVE_INFINITY;
    let inView = 0;
    const texts = document.querySelectorAll('svg.graph g.node text');
    for (const t of texts) {
      if (getComputedStyle(t).display === 'none') continue;
      smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a);
      const r = t.getBoundingClientRect();
      if (r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom) inView++;
    }
    return { smallest, inView, total: texts.length };
  });
}

/** Whether the box of package `id` lies wholly inside the diagram's frame. */
function inView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((id) => {
    const svg = document.querySelector('svg.graph')!.getBoundingClientRect();
    const r = document.querySelector(`svg.graph g.node[data-id="${id}"] rect`)!.getBoundingClientRect();
    return r.left >= svg.left && r.right <= svg.right && r.top >= svg.top && r.bottom <= svg.bottom;
  }, id);
}

const status = (page: Page) => page.getByTestId('search-status');

test('the Applications diagram of a 500-package application: readable at first sight, arrows, duplicates merged, search that brings matches into view', { timeout: 180_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  // A real node_modules tree on disk, loaded by a real process that runs wobserver (built in dist/), so the real collector reads it.
  const dir = mkdtempSync(join(tmpdir(), 'wobserver-500-'));
  const tree = generateTree(500);
  const dist = pathToFileURL(join(process.cwd(), 'dist', 'index.js')).href;
  const entry = writeTree(dir, tree, `import(${JSON.stringify(dist)}).then(async (w) => { const s = await w.start({ port: 0 }); console.log(JSON.stringify({ url: s.url })); });`);
  const app = await startChild(process.execPath, [entry], { cwd: dir, ready: /^\{"url".*\}$/m, what: 'the 500-package application' });
  try {
    const url = (JSON.parse(app.match[0]) as { url: string }).url;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${url}/`);
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();

    // The server reads the module list once and reuses it for 5 s: read it now, so that what follows times the page.
    const t0 = performance.now();
    assert.equal((await fetch(`${url}/api/applications`)).status, 200);
    const collectMs = performance.now() - t0;
    // First render: from the click on the menu to the painted diagram (the data's round trip over the WebSocket included).
    const firstRenderMs = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector('nav a[href$="applications"]')!.click();
      // (No named functions in here: tsx would wrap them in a helper the page does not have.)
      while (document.querySelector('svg.graph g.node[data-id="fixture-app@1.0.0"] text') === null) await new Promise<void>((r) => requestAnimationFrame(r));
      await new Promise<void>((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    });
    const boxes = Number((await page.locator('svg.graph').getAttribute('aria-label'))?.match(/of (\d+) packages/)?.[1]);
    // The diagram's own part: from its first render with the data to the first frame painted with its view (layout included).
    await page.locator('svg.graph[data-first-render-ms]').waitFor();
    const drawMs = Number(await page.locator('svg.graph').getAttribute('data-first-render-ms'));
    console.log(`first render of the diagram, ${boxes} packages: ${drawMs.toFixed(0)} ms from the data to the painted diagram (layout included); ${firstRenderMs.toFixed(0)} ms from the click, the data's round trip included (the server's first collection of the module list before it: ${collectMs.toFixed(0)} ms)`);
    assert.ok(Number.isFinite(drawMs) && drawMs > 0, 'the diagram timed its first render');
    assert.equal(boxes, 501 + 2, 'the fixture and the root, wobserver itself and ws');
    assert.equal(await page.getByRole('table', { name: 'packages' }).getByText('mime-db', { exact: true }).count(), 1, 'mime-db is one row of the table');

    // Readable at the initial view: no label under 10 px on screen, and a good part of the diagram in view.
    const first = await labels(page);
    console.log(`initial view: smallest label ${first.smallest.toFixed(1)} px, ${first.inView} of ${first.total} labels in view`);
    assert.ok(first.smallest >= 10, `smallest label ${first.smallest} px`);
    assert.ok(first.inView >= 15, `${first.inView} labels in view`);
    assert.ok(await inView(page, 'fixture-app@1.0.0'), 'the application is in view');
    await page.screenshot({ path: join(resultsDir(), 'applications-500.png') });

    // Arrowheads on every edge (only what is near the view is in the page).
    const arrows = () =>
      page.evaluate(() => {
        const all = document.querySelectorAll('svg.graph path.edge');
        return { count: all.length, marked: [...all].filter((e) => e.getAttribute('marker-end') === 'url(#graph-arrow)').length, heads: document.querySelectorAll('svg.graph marker#graph-arrow path').length };
      });
    const near = await arrows();
    assert.equal(near.heads, 1);
    assert.ok(near.count >= 20, `${near.count} edges near the view`);
    assert.equal(near.marked, near.count);

    // Search: the match is brought into view, and Enter steps to the next one.
    const find = page.getByRole('searchbox', { name: 'Find a package' });
    const mimeDb = page.locator('svg.graph g.node[data-id="mime-db@1.52.0"]');
    assert.ok((await mimeDb.count()) === 0 || !(await inView(page, 'mime-db@1.52.0')), 'mime-db, a leaf, starts out of view');
    await find.fill('mime-db');
    await status(page).getByText('1 of 1: mime-db@1.52.0').waitFor();
    await page.waitForFunction(() => document.querySelector('svg.graph g.node.current')?.getAttribute('data-id') === 'mime-db@1.52.0');
    assert.ok(await inView(page, 'mime-db@1.52.0'), 'the search brought mime-db into view');
    assert.ok((await labels(page)).smallest >= 10, 'and at a readable scale');
    // Installed at five folders: one box, "×5", the detail lists the five.
    assert.equal(await mimeDb.count(), 1);
    assert.equal(await mimeDb.locator('text').textContent(), 'mime-db@1.52.0 ×5');
    await mimeDb.click();
    const details = page.getByRole('table', { name: 'Package details' });
    await details.getByText('Installed at 5 folders').waitFor();
    assert.equal(await details.locator('ul.paths li').count(), 5);

    await find.fill('mime');
    await status(page).getByText(/^1 of 2: /).waitFor();
    const firstMatch = (await status(page).textContent())!.replace(/^1 of 2: /, '');
    await find.press('Enter');
    await status(page).getByText(/^2 of 2: /).waitFor();
    const second = (await status(page).textContent())!.replace(/^2 of 2: /, '');
    assert.notEqual(second, firstMatch);
    await page.waitForFunction((id) => document.querySelector('svg.graph g.node.current')?.getAttribute('data-id') === id, second);
    assert.ok(await inView(page, second), `${second} brought into view`);

    await find.fill('no-such-package');
    await status(page).getByText('no package matches “no-such-package”').waitFor();
    assert.equal(await page.locator('svg.graph g.node.match').count(), 0);

    assert.deepEqual(await axeViolations(page), [], 'light, 1440 px');

    // Zoom by keyboard and the buttons: "Fit" shows everything, smaller than readable.
    const scale = page.locator('.graph-scale');
    const before = await scale.textContent();
    await page.getByRole('group', { name: /^Dependency diagram/ }).press('+');
    assert.notEqual(await scale.textContent(), before);
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForFunction(() => document.querySelector('svg.graph g.node[data-id="mime-db@1.52.0"]')!.getBoundingClientRect().right <= document.querySelector('svg.graph')!.getBoundingClientRect().right);
    assert.ok((await inView(page, 'fixture-app@1.0.0')) && (await inView(page, 'mime-db@1.52.0')), '"Fit" shows the whole diagram');
    const all = await arrows();
    assert.ok(all.count > 1000 && all.marked === all.count, `the whole diagram: ${all.count} edges, ${all.marked} with an arrowhead`);
    const fitPercent = Number.parseFloat((await scale.textContent()) ?? '');
    assert.ok(fitPercent < (10 / 12) * 100, `at ${fitPercent} % 12 px labels are under 10 px: 500 packages are too many to read at once, which is why the diagram does not open that way`);

    assert.deepEqual(errors, []);

    // Dark, 390 px wide: no sideways scroll, still readable, still clean.
    const dark = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const phone = await dark.newPage();
    await phone.goto(`${url}/#/applications`);
    await phone.locator('svg.graph g.node[data-id="fixture-app@1.0.0"] text').waitFor();
    // Nothing of this page reaches past the right edge (what the diagram draws beyond its frame is clipped by it).
    const past = await phone.evaluate(() => {
      const right = document.documentElement.clientWidth;
      return [...document.querySelectorAll('section.page *:not(svg *)')].filter((e) => e.getBoundingClientRect().right > right + 0.5).map((e) => e.getAttribute('class') ?? '?');
    });
    assert.deepEqual(past, [], 'elements of the page wider than the 390 px screen');
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the page does not scroll sideways at 390 px');
    assert.ok((await labels(phone)).smallest >= 10);
    await phone.screenshot({ path: join(resultsDir(), 'applications-500-dark-390.png') });
    assert.deepEqual(await axeViolations(phone), [], 'dark, 390 px');
  } finally {
    app.kill();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
