import client from 'prom-client';
import { createRegistry } from '../src/metrics/index.js';
import { type Result, compareOps } from './harness.js';
import { LABEL_NAMES, LABEL_SETS } from './data.js';

/** histogram.observe() with 3 labels, default buckets, values spread over the buckets. */
export function observeLabels(): Result {
  const registry = createRegistry({ runtimeMetrics: false });
  const ours = registry.histogram({ name: 'lat_seconds', help: 'x', labelNames: LABEL_NAMES });
  const theirs = new client.Histogram({ name: 'lat_seconds', help: 'x', labelNames: LABEL_NAMES, registers: [new client.Registry()] });
  const values = Array.from({ length: 997 }, (_, i) => Math.exp((i / 997) * 9 - 7)); // ~0.9 ms .. 7 s
  const L = LABEL_SETS.length;
  const V = values.length;
  try {
    return compareOps({
      name: 'histogram observe(labels)',
      target: 8,
      ours: { ops: 2_000_000, run: () => { for (let i = 0; i < 2_000_000; i++) ours.observe(LABEL_SETS[i % L]!, values[i % V]!); } },
      theirs: { ops: 400_000, run: () => { for (let i = 0; i < 400_000; i++) theirs.observe(LABEL_SETS[i % L]!, values[i % V]!); } },
      note: 'ours also keeps the per-interval sketch (count, sum, min, max, percentiles) on every observe',
    });
  } finally {
    registry.close();
  }
}
