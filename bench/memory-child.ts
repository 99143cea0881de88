// One library, 1,000,000 counter series with 3 labels; prints the heap bytes per series.
// Run by bench/memory.ts in a fresh process per library, with --expose-gc.
import client from 'prom-client';
import { createRegistry } from '../src/metrics/index.js';

const lib = process.argv[2];
const N = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc!;

// The label value strings exist before the baseline and are shared by all series
// (100 x 100 x 100 = 1,000,000 combinations), so neither library is charged for them.
const A = Array.from({ length: 100 }, (_, i) => `a${i}`);
const B = Array.from({ length: 100 }, (_, i) => `b${i}`);
const C = Array.from({ length: 100 }, (_, i) => `c${i}`);

gc();
gc();
const before = process.memoryUsage().heapUsed;
let keep: unknown;
if (lib === 'wobserver') {
  const registry = createRegistry({ runtimeMetrics: false, maxSeries: N });
  const c = registry.counter({ name: 'x_total', help: 'x', labelNames: ['a', 'b', 'c'] });
  // A fresh label object per call, as application code passes them.
  for (let i = 0; i < N; i++) c.inc({ a: A[i % 100]!, b: B[((i / 100) | 0) % 100]!, c: C[(i / 10_000) | 0]! });
  if (c.size !== N) throw new Error(`expected ${N} series, got ${c.size}`);
  registry.close();
  keep = registry;
} else {
  const registry = new client.Registry();
  const c = new client.Counter({ name: 'x_total', help: 'x', labelNames: ['a', 'b', 'c'], registers: [registry] });
  for (let i = 0; i < N; i++) c.inc({ a: A[i % 100]!, b: B[((i / 100) | 0) % 100]!, c: C[(i / 10_000) | 0]! });
  keep = registry;
}
gc();
gc();
const after = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ lib, bytesPerSeries: (after - before) / N, keep: keep !== undefined }));
