import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import type { FleetInfo } from '../../src/protocol/index.js';
import { start } from '../../src/server/index.js';
import { median } from '../../bench/harness.js';
import { axeViolations } from '../helpers/axe.js';
import { shot } from '../helpers/shots.js';
import { launch, resultsDir } from '../helpers/browser.js';
import { type FleetNode, startMembers, stopAll } from '../helpers/fleet.js';
import { until } from '../helpers/until.js';

/** What the functions evaluated in the page use of its DOM (this file is type-checked against Node's types). */
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  querySelector(selector: string): { closest(selector: string): unknown } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

const SECRET = 'the-fifty-node-fleet-shared-secret';
const N = 50;
const TIMEOUT_MS = 1500;

/** The text of one column of the nodes table, top to bottom (the heading's index, from 1). */
function column(page: Page, index: number): Promise<string[]> {
  return page.evaluate((i) => Array.from(document.querySelectorAll(`table[aria-label="nodes"] tbody tr:not([aria-hidden]) td:nth-child(${i})`), (td) => td.textContent ?? ''), index);
}

/** Until the table shows `n` rows, each with a CPU figure (real data, not a dash), `up` counted in the state column. */
function rowsWithData(page: Page, n: number, up: number): Promise<unknown> {
  return page.waitForFunction(
    ([n, up]) => {
      const states = Array.from(document.querySelectorAll('table[aria-label="nodes"] tbody tr:not([aria-hidden]) td:nth-child(2)'), (td) => td.textContent);
      const cpu = Array.from(document.querySelectorAll('table[aria-label="nodes"] tbody tr:not([aria-hidden]) td:nth-child(3)'), (td) => td.textContent);
      return states.length === n && states.filter((s) => s === 'up').length === up && cpu.every((c) => /%$/.test(c ?? ''));
    },
    [n, up],
    { timeout: 20_000 },
  );
}

test(`the Fleet page with ${N} node processes: every row with real data, sorted, a click switches node, a killed node shows down; accessible light and dark, no sideways scroll at 390 px`, { timeout: 240_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  let members: FleetNode[] = [];
  let entry: Awaited<ReturnType<typeof start>> | undefined;
  try {
    members = await startMembers(N - 1, { prefix: 'fleet', secret: SECRET, batch: 10 });
    const addresses = members.map((m) => new URL(m.url).host);
    entry = await start({ port: 0, nodeName: 'entry', nodes: { secret: SECRET, discovery: 'custom', custom: () => addresses, timeoutMs: TIMEOUT_MS, ttlMs: 2000 } });
    const url = entry.url;
    await until(async () => ((await (await fetch(`${url}/api/nodes`)).json()) as { state: string }[]).filter((n) => n.state === 'up').length, (up) => up === N, `${N} nodes up`, 60_000);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    // Render time: from navigation to every row showing data, over several loads.
    const renders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await page.goto(`${url}/#/fleet`);
      await rowsWithData(page, N, N);
      renders.push(performance.now() - t0);
    }
    assert.equal(await page.getByTestId('row-count').textContent(), `${N} of ${N}`);
    const names = await column(page, 1);
    assert.deepEqual(names, ['entry (this node)', ...members.map((m) => m.name)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })), 'sorted by name at first');
    const pids = (await column(page, 10)).map(Number);
    assert.deepEqual(new Set(pids), new Set([process.pid, ...members.map((m) => m.pid)]), 'every pid is a real process of the fleet');
    // The viewport only: what docs/ui.md shows.
    await shot(page, 'fleet', { fullPage: false });

    // Sorting by PID, then reversed: the order follows the pids.
    const table = page.getByRole('table', { name: 'nodes' });
    await table.getByRole('columnheader', { name: /^PID/ }).click();
    await table.locator('th[aria-sort="ascending"]', { hasText: 'PID' }).waitFor();
    await table.getByRole('columnheader', { name: /^PID/ }).click();
    await table.locator('th[aria-sort="descending"]', { hasText: 'PID' }).waitFor();
    const sorted = (await column(page, 10)).map(Number);
    assert.deepEqual(sorted, [...pids].sort((a, b) => b - a), 'descending by pid');
    assert.notDeepEqual(await column(page, 1), names, 'the order changed');

    // The fan-out's time over several refreshes (the page's own subscription drives it; these reads share it), taken meanwhile.
    const took = new Map<number, number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const f = (await (await fetch(`${url}/api/fleet`)).json()) as FleetInfo;
        if (f.nodes.every((r) => r.state === 'up')) took.set(f.timestamp, f.tookMs);
        await sleep(500);
      }
    })();

    // Accessible, light and dark; no sideways scroll on a phone.
    assert.deepEqual(await axeViolations(page), [], 'axe, light');
    for (const [scheme, width] of [['dark', 1440], ['light', 390], ['dark', 390]] as const) {
      const c = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
      const p = await c.newPage();
      await p.goto(`${url}/#/fleet`);
      await rowsWithData(p, N, N);
      assert.deepEqual(await axeViolations(p), [], `axe, ${scheme} at ${width} px`);
      // The whole page fits the screen, header included.
      const fit = await p.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const past = Array.from(document.querySelectorAll('main *') as unknown as ArrayLike<{ getBoundingClientRect(): { right: number }; tagName: string }>).filter((e) => e.getBoundingClientRect().right > width + 0.5);
        return { page: document.documentElement.scrollWidth <= width, content: past.map((e) => e.tagName) };
      });
      assert.deepEqual(fit.content, [], `nothing of the Fleet page past the right edge, ${scheme} at ${width} px`);
      assert.ok(fit.page, `the page does not scroll sideways, ${scheme} at ${width} px`);
      if (width === 390) await p.screenshot({ path: join(resultsDir(), `ui-fleet-${scheme}-390.png`), fullPage: true });
      await c.close();
    }

    await until(() => took.size, (n) => n >= 6, 'six fan-outs', 60_000);
    polling = false;
    await poller;

    // A node killed: its row says so within the timeout (and keeps its last figures, stale).
    const victim = members[7]!;
    victim.child.kill('SIGKILL');
    await page.waitForFunction(
      (name) => {
        const rows = Array.from(document.querySelectorAll('table[aria-label="nodes"] tbody tr:not([aria-hidden])')) as unknown as { textContent: string | null }[];
        return rows.some((r) => (r.textContent ?? '').startsWith(name) && /down|timeout/.test(r.textContent ?? ''));
      },
      victim.name,
      { timeout: TIMEOUT_MS + 2000 + 10_000 },
    );
    assert.match((await page.getByTestId('fleet-summary').textContent()) ?? '', new RegExp(`${N} nodes: ${N - 1} up, 1 not answering`));

    // A click on a row switches the UI to that node, as the node switcher does.
    const target = members[3]!;
    await table.locator('tbody tr', { hasText: target.name }).locator('td').nth(2).click();
    await page.waitForURL(new RegExp(`#/system\\?node=${target.name}$`));
    await page.getByText(String(target.pid), { exact: true }).first().waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Node' }).inputValue(), target.name);
    assert.deepEqual(errors, [], 'no error in the console');

    console.log(`fleet page, ${N} nodes (${N - 1} processes + this one): fan-out median ${median([...took.values()]).toFixed(1)} ms over ${took.size} fan-outs; page load to ${N} rows with data median ${median(renders).toFixed(0)} ms over ${renders.length} loads`);
  } finally {
    await browser.close();
    await entry?.close();
    await stopAll(members);
  }
});
