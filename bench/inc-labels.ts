import client from 'prom-client';
import { createRegistry } from '../src/metrics/index.js';
import { type Result, compareOps } from './harness.js';
import { LABEL_NAMES, LABEL_SETS } from './data.js';

/** counter.inc() with 3 labels passed as an object. */
export function incLabels(): Result {
  const registry = createRegistry({ runtimeMetrics: false });
  const ours = registry.counter({ name: 'req_total', help: 'x', labelNames: LABEL_NAMES });
  const theirs = new client.Counter({ name: 'req_total', help: 'x', labelNames: LABEL_NAMES, registers: [new client.Registry()] });
  const L = LABEL_SETS.length;
  try {
    return compareOps({
      name: 'counter inc(labels)',
      target: 10,
      ours: { ops: 4_000_000, run: () => { for (let i = 0; i < 4_000_000; i++) ours.inc(LABEL_SETS[i % L]!); } },
      theirs: { ops: 500_000, run: () => { for (let i = 0; i < 500_000; i++) theirs.inc(LABEL_SETS[i % L]!); } },
    });
  } finally {
    registry.close();
  }
}
