import { spawnSync } from 'node:child_process';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/helpers/browser.js';
import { type Result, median } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));

/** What the page runs: ours (stream, parse, analyse in slices) and the anchor (JSON.parse of the whole text, no summary). */
const PAGE_CODE = `
import { readSnapshot } from '../src/ui/heap/take.js';
import { runSliced } from '../src/ui/heap/slices.js';
import { analyse } from '../src/ui/heap/summary.js';
function frames() {
  const at = [];
  let on = true;
  const tick = () => { if (!on) return; at.push(performance.now()); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  return () => { on = false; let longest = 0; for (let i = 1; i < at.length; i++) longest = Math.max(longest, at[i] - at[i - 1]); return longest; };
}
const heap = () => performance.memory ? performance.memory.usedJSHeapSize : 0;
globalThis.ours = async () => {
  const stop = frames();
  const base = heap();
  let peak = base;
  let last = performance.now();
  let slowest = { ms: 0, phase: '' };
  const onProgress = (p) => {
    peak = Math.max(peak, heap());
    const now = performance.now();
    if (now - last > slowest.ms) slowest = { ms: now - last, phase: p.phase };
    last = now;
  };
  const t0 = performance.now();
  const res = await fetch('/snapshot', { cache: 'no-store' });
  const { parser, blob } = await readSnapshot(res.body, { onProgress });
  const a = await runSliced(analyse(parser.end()), { onProgress });
  const ms = performance.now() - t0;
  await new Promise((r) => requestAnimationFrame(r));
  return { ms, longest: stop(), nodes: a.nodeCount, edges: a.edgeCount, classes: a.rows.length, top: a.rows.slice(0, 3).map((r) => r.name), heapPeak: peak - base, blob: blob.size, slowest };
};
globalThis.theirs = async () => {
  const stop = frames();
  const t0 = performance.now();
  const text = await (await fetch('/snapshot', { cache: 'no-store' })).text();
  const t1 = performance.now();
  const s = JSON.parse(text);
  const ms = performance.now() - t0;
  const block = performance.now() - t1;
  await new Promise((r) => requestAnimationFrame(r));
  return { ms, longest: Math.max(stop(), block), nodes: s.nodes.length };
};
`;

interface Ours {
  ms: number;
  longest: number;
  nodes: number;
  edges: number;
  classes: number;
  top: string[];
  heapPeak: number;
  blob: number;
  /** The longest time between two progress reports (a slice and the pause after it), and its phase. */
  slowest: { ms: number; phase: string };
}

/**
 * A heap snapshot of a process with ~50 MB of heap, read and analysed in
 * Chromium as the Diagnostics page does (stream, parse, dominators, summary
 * by constructor, in slices), beside JSON.parse of the same text alone. The
 * time to a summary, the longest the tab went without painting a frame, and
 * the memory: the page's JS memory at the peak (measured, with
 * --enable-precise-memory-info), of it the typed arrays (63 bytes a node and 9
 * an edge, counted), and the file kept as a Blob.
 */
export async function heapAnalysis(): Promise<Result[]> {
  const file = join(tmpdir(), `wobserver-bench-${process.pid}.heapsnapshot`);
  const made = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'heap-analysis-child.ts'), file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`heap-analysis: the child failed: ${made.stderr}`);
  const child = JSON.parse(made.stdout) as { heapUsed: number };
  const bytes = statSync(file).size;
  const bundle = await build({ stdin: { contents: PAGE_CODE, resolveDir: here, loader: 'ts' }, bundle: true, format: 'esm', minify: true, write: false, target: ['es2022'], logLevel: 'warning' });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/snapshot') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes });
      createReadStream(file).pipe(res);
    } else if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>heap bench</title><script type="module" src="/bench.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('typeof globalThis.ours === "function"');
    const ours: Ours[] = [];
    const theirs: Array<{ ms: number; longest: number }> = [];
    for (let r = -1; r < 5; r++) {
      await page.evaluate('globalThis.gc?.()');
      const o = (await page.evaluate('globalThis.ours()')) as Ours;
      await page.evaluate('globalThis.gc?.()');
      const t = (await page.evaluate('globalThis.theirs()')) as { ms: number; longest: number };
      if (r >= 0) {
        ours.push(o);
        theirs.push(t);
      }
    }
    const o = ours[0]!;
    console.log(`  heap-analysis: slowest slice by round: ${ours.map((x) => `${x.slowest.ms.toFixed(0)} ms (${x.slowest.phase})`).join(', ')}; frame gaps: ${ours.map((x) => x.longest.toFixed(0)).join(', ')} ms`);
    const mb = bytes / 2 ** 20;
    const typed = 63 * o.nodes + 9 * o.edges;
    const heapPeak = median(ours.map((x) => x.heapPeak));
    const oursMs = median(ours.map((x) => x.ms));
    const theirsMs = median(theirs.map((x) => x.ms));
    const oursGap = median(ours.map((x) => x.longest));
    const theirsGap = median(theirs.map((x) => x.longest));
    const what = `${mb.toFixed(0)} MB snapshot of a ${(child.heapUsed / 2 ** 20).toFixed(0)} MB heap, ${(o.nodes / 1e6).toFixed(2)} M nodes, ${(o.edges / 1e6).toFixed(2)} M edges`;
    return [
      {
        name: 'heap snapshot to summary in Chromium',
        unit: 'ms',
        ours: oursMs,
        theirs: theirsMs,
        ratio: theirsMs / oursMs,
        target: 0.2,
        note: `${what}; anchor: fetch + JSON.parse alone (no summary, no retained sizes), which blocks the tab throughout; memory at the peak: the page's JS memory grew by ${(heapPeak / 2 ** 20).toFixed(0)} MB (${(heapPeak / bytes).toFixed(2)} MB per MB of snapshot, measured), of which typed arrays ${(typed / 2 ** 20).toFixed(0)} MB (${(typed / bytes).toFixed(2)} per MB, counted) and the file's bytes read so far (1 per MB, kept to be saved); kept after: 16 B a node + the file as a Blob (${(o.blob / 2 ** 20).toFixed(0)} MB); top by retained size: ${o.top.join(', ')}`,
      },
      {
        name: 'longest frame gap, heap snapshot analysis',
        unit: 'ms',
        ours: oursGap,
        theirs: theirsGap,
        ratio: 50 / oursGap,
        target: 1,
        note: `target: ours <= 50 ms without a frame (ratio column = 50 ms / ours); JSON.parse of the same text blocks ${theirsGap.toFixed(0)} ms`,
      },
    ];
  } finally {
    await browser.close();
    server.close();
    rmSync(file, { force: true });
  }
}
