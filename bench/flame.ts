import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/helpers/browser.js';
import { type Result, median } from './harness.js';

/** The figures: a 100,000-node profile renders in under a second and pans at 60 frames a second. */
const RENDER_BUDGET_MS = 1000;
const FRAME_BUDGET_MS = 1000 / 60;
const NODES = 100_000;
const RUNS = 7;
const PAN_FRAMES = 120;
const PAN_ROUNDS = 3;

/**
 * A synthetic `.cpuprofile` of `count` nodes: depth up to 60 (half the nodes
 * extend a chain, half hang off a random earlier node), 5,000 functions in 200
 * files, siblings always distinct functions (so none merge), 1–3 samples each.
 */
export function syntheticProfile(count: number): string {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const depth = new Int32Array(count);
  const kids: number[][] = Array.from({ length: count }, () => []);
  const nodes = [];
  for (let i = 1; i < count; i++) {
    let p = random() < 0.5 ? i - 1 : Math.floor(random() * i);
    while (depth[p]! >= 60) p = Math.floor(random() * p);
    depth[i] = depth[p]! + 1;
    kids[p]!.push(i);
  }
  // A child's function: its parent's offset plus its place among the siblings, so siblings never share one.
  const fnOf = new Int32Array(count);
  for (let p = 0; p < count; p++) kids[p]!.forEach((c, k) => void (fnOf[c] = ((p * 7919) % 5000 + k) % 5000));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const f = fnOf[i]!;
    nodes.push({
      id: i + 1,
      callFrame: i === 0 ? { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } : { functionName: `fn${f}`, scriptId: String(f % 200), url: `file:///app/lib/module-${f % 200}.js`, lineNumber: f, columnNumber: 4 },
      children: kids[i]!.map((c) => c + 1),
    });
    const n = i === 0 ? 0 : 1 + Math.floor(random() * 3);
    for (let k = 0; k < n; k++) samples.push(i + 1);
  }
  // Shuffle the samples' order: real profiles interleave stacks.
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [samples[i], samples[j]] = [samples[j]!, samples[i]!];
  }
  return JSON.stringify({ nodes, startTime: 0, endTime: samples.length * 100, samples, timeDeltas: samples.map(() => 100) });
}

// The page's driver: the real viewer (Preact, the model, the table, the canvas renderer), bundled for the benchmark.
const DRIVER = `
import { h, render } from 'preact';
import { ProfileViewer } from './src/ui/profile/viewer.js';
import { buildTree } from './src/ui/profile/model.js';
import { functionTable } from './src/ui/profile/queries.js';
import { FlameRenderer, readPalette } from './src/ui/profile/flame.js';
const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
/** The parts alone: JSON.parse, and the model (tree and function table). */
window.parts = (text) => {
  const t0 = performance.now();
  const profile = JSON.parse(text);
  const t1 = performance.now();
  functionTable(buildTree(profile));
  return { parse: t1 - t0, model: performance.now() - t1 };
};
/** JSON.parse, the model, the table and the first canvas frame: from the text to a painted frame. */
window.firstRender = async (text) => {
  const root = document.getElementById('root');
  render(null, root);
  await frame();
  const t0 = performance.now();
  const profile = JSON.parse(text);
  render(h(ProfileViewer, { profile, title: 'bench' }), root);
  // The graph draws in the next animation frame; the one after it is painted.
  await frame();
  await frame();
  const canvas = root.querySelector('canvas');
  if (!canvas || canvas.width < 100) throw new Error('no canvas drawn');
  return performance.now() - t0;
};
/** Pans a zoomed view by a few pixels each animation frame: each frame's draw time, and the time between frames. */
window.pan = async (text, frames) => {
  const tree = buildTree(JSON.parse(text));
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  const r = new FlameRenderer(canvas, tree, readPalette(document.body));
  r.resize(1280, 540);
  const whole = tree.total[0];
  // Zoomed to a fifth of the profile, as one does before panning.
  r.view = { x0: whole * 0.2, x1: whole * 0.4, y: 0 };
  r.draw();
  const draws = [];
  const gaps = [];
  const stats = [];
  let last = await frame();
  for (let i = 0; i < frames; i++) {
    const now = await frame();
    gaps.push(now - last);
    last = now;
    const t = performance.now();
    const span = r.view.x1 - r.view.x0;
    r.view = { x0: r.view.x0 + span * 0.004, x1: r.view.x1 + span * 0.004, y: (i % 40) * 2 };
    r.draw();
    stats.push(r.drawn.frames);
    // Read a pixel back so that the frame's rasterisation is inside the measure.
    canvas.getContext('2d').getImageData(0, 0, 1, 1);
    draws.push(performance.now() - t);
  }
  canvas.remove();
  return { draws, gaps, count: tree.count, drawn: stats };
};
`;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

/**
 * The flame graph in headless Chromium with a synthetic 100,000-node profile:
 * from the profile's text to the first painted frame of the whole viewer
 * (JSON.parse, model, function table, canvas), the median of 7 runs after a
 * warm-up; and panning a zoomed view over 120 animation frames, each frame's
 * draw time (median and p95, the median of three rounds) against the 16.7 ms
 * of 60 frames a second; each draw reads a pixel back, so rasterising is in it.
 * Anchors are the budgets (ratio = budget / ours).
 */
export async function flame(): Promise<Result[]> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`flame: ${CHROMIUM} is missing, skipped`);
    return [];
  }
  const root = join(import.meta.dirname, '..');
  const bundle = await build({
    stdin: { contents: DRIVER, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(root, 'src', 'ui', 'tsconfig.json'),
    write: false,
    loader: { '.css': 'empty' },
    logLevel: 'warning',
  });
  const text = syntheticProfile(NODES);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1320, height: 1000 } });
    await page.setContent('<!doctype html><html><body><div id="root" style="width:1280px"></div></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    await page.evaluate((t) => {
      (globalThis as { profileText?: string }).profileText = t;
    }, text);
    const renders: number[] = [];
    for (let r = -1; r < RUNS; r++) {
      const ms = await page.evaluate(() => (globalThis as unknown as { firstRender(t: string): Promise<number>; profileText: string }).firstRender((globalThis as unknown as { profileText: string }).profileText));
      if (r >= 0) renders.push(ms);
    }
    const parts: { parse: number; model: number }[] = [];
    for (let r = 0; r < 3; r++) parts.push(await page.evaluate(() => (globalThis as unknown as { parts(t: string): { parse: number; model: number }; profileText: string }).parts((globalThis as unknown as { profileText: string }).profileText)));
    // Three rounds of panning; the round with the median p95 is reported (one round can land on a busy moment of a shared machine).
    const rounds = [];
    for (let r = 0; r < PAN_ROUNDS; r++) {
      rounds.push(
        await page.evaluate(
          (n) => (globalThis as unknown as { pan(t: string, n: number): Promise<{ draws: number[]; gaps: number[]; count: number; drawn: number[] }>; profileText: string }).pan((globalThis as unknown as { profileText: string }).profileText, n),
          PAN_FRAMES,
        ),
      );
    }
    rounds.sort((a, b) => pct(a.draws, 0.95) - pct(b.draws, 0.95));
    const { draws, gaps, count, drawn } = rounds[PAN_ROUNDS >> 1]!;
    const p95s = rounds.map((r) => pct(r.draws, 0.95).toFixed(1)).join(', ');
    const render = median(renders);
    const p95 = pct(draws, 0.95);
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return [
      {
        name: `flame graph first render, ${count.toLocaleString('en-US')} nodes`,
        unit: 'ms',
        ours: render,
        theirs: RENDER_BUDGET_MS,
        ratio: RENDER_BUDGET_MS / render,
        target: 1,
        note: `from the ${mb} MB .cpuprofile text to the first painted frame of the viewer (JSON.parse, model, function table, canvas), median of ${RUNS} (of which JSON.parse ${median(parts.map((p) => p.parse)).toFixed(0)} ms and the model with its function table ${median(parts.map((p) => p.model)).toFixed(0)} ms, medians of 3 runs alone); anchor = the ${RENDER_BUDGET_MS} ms budget`,
      },
      {
        name: 'flame graph pan, p95 frame draw',
        unit: 'ms',
        ours: p95,
        theirs: FRAME_BUDGET_MS,
        ratio: FRAME_BUDGET_MS / p95,
        target: 1,
        note: `${PAN_FRAMES} animation frames panning a view zoomed to a fifth (median ${median(drawn)} frames drawn): draw median ${median(draws).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms; frame interval median ${median(gaps).toFixed(1)} ms, p95 ${pct(gaps, 0.95).toFixed(1)} ms (the median of ${PAN_ROUNDS} rounds, whose p95s were ${p95s} ms); anchor = 16.7 ms (60 frames a second)`,
      },
    ];
  } finally {
    await browser.close();
  }
}
