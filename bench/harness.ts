// A small benchmark harness: both contenders run in the same process, rounds
// interleaved, medians compared. Benchmarks are not tests: nothing here fails.
import { performance } from 'node:perf_hooks';

export interface Result {
  readonly name: string;
  /** What the numbers are: operations per second (higher is better), milliseconds or bytes (lower is better). */
  readonly unit: 'ops/s' | 'ms' | 'B' | '%';
  readonly ours: number;
  readonly theirs: number;
  /** How many times better ours is (ops/s: ours/theirs; ms: theirs/ours). */
  readonly ratio: number;
  /** The ratio the issue asks for; `ratio >= target` holds it. */
  readonly target: number;
  readonly note?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Operations per second of `fn`, which performs `ops` operations per call. */
function rate(fn: () => void, ops: number): number {
  const t = performance.now();
  fn();
  return (ops / (performance.now() - t)) * 1000;
}

export interface OpsCase {
  name: string;
  target: number;
  rounds?: number;
  ours: { ops: number; run: () => void };
  theirs: { ops: number; run: () => void };
  note?: string;
}

/** Interleaves rounds of both contenders after two warm-up rounds; compares median rates. */
export function compareOps(c: OpsCase): Result {
  const rounds = c.rounds ?? 7;
  const a: number[] = [];
  const b: number[] = [];
  for (let r = -2; r < rounds; r++) {
    gc();
    const x = rate(c.ours.run, c.ours.ops);
    gc();
    const y = rate(c.theirs.run, c.theirs.ops);
    if (r >= 0) {
      a.push(x);
      b.push(y);
    }
  }
  const ours = median(a);
  const theirs = median(b);
  return { name: c.name, unit: 'ops/s', ours, theirs, ratio: ours / theirs, target: c.target, ...(c.note ? { note: c.note } : {}) };
}

export interface TimeCase {
  name: string;
  target: number;
  rounds?: number;
  ours: () => unknown;
  theirs: () => unknown;
  note?: string;
}

/** Interleaves timed rounds (sync or async) after one warm-up; compares median milliseconds. */
export async function compareTime(c: TimeCase): Promise<Result> {
  const rounds = c.rounds ?? 7;
  const a: number[] = [];
  const b: number[] = [];
  for (let r = -1; r < rounds; r++) {
    gc();
    let t = performance.now();
    await c.ours();
    const x = performance.now() - t;
    gc();
    t = performance.now();
    await c.theirs();
    const y = performance.now() - t;
    if (r >= 0) {
      a.push(x);
      b.push(y);
    }
  }
  const ours = median(a);
  const theirs = median(b);
  return { name: c.name, unit: 'ms', ours, theirs, ratio: theirs / ours, target: c.target, ...(c.note ? { note: c.note } : {}) };
}

function fmt(v: number, unit: Result['unit']): string {
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  if (unit === 'B') return `${v.toFixed(0)} B`;
  if (unit === '%') return `${v.toFixed(3)} %`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M/s`;
  return `${(v / 1e3).toFixed(1)} k/s`;
}

/** Prints the results as a table, with the target and whether it holds. */
export function printTable(results: readonly Result[]): void {
  const rows = results.map((r) => [
    r.name,
    fmt(r.ours, r.unit),
    fmt(r.theirs, r.unit),
    `${r.ratio.toFixed(2)}x`,
    `>= ${r.target}x`,
    r.ratio >= r.target ? 'PASS' : 'BELOW',
  ]);
  const head = ['benchmark', 'wobserver', 'anchor', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const r of results) if (r.note) console.log(`  ${r.name}: ${r.note}`);
}

/** Longest gap between 1 ms ticks while `work` runs: how long the event loop was blocked at a time. */
export async function maxBlock(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 5));
  } finally {
    clearInterval(tick);
  }
  return Math.max(max, performance.now() - last);
}
