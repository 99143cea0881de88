import client from 'prom-client';
import { createRegistry } from '../src/metrics/index.js';
import { type Result, compareOps } from './harness.js';
import { LABEL_NAMES, LABEL_SETS } from './data.js';

/** inc() on a bound series handle, against prom-client's labels(...).inc() and its kept child. */
export function incBound(): Result[] {
  const registry = createRegistry({ runtimeMetrics: false });
  const ours = registry.counter({ name: 'req_total', help: 'x', labelNames: LABEL_NAMES });
  const theirs = new client.Counter({ name: 'req_total', help: 'x', labelNames: LABEL_NAMES, registers: [new client.Registry()] });
  const labels = LABEL_SETS[0]!;
  const handle = ours.labels(labels);
  const child = theirs.labels(labels);
  try {
    const N = 50_000_000;
    return [
      compareOps({
        name: 'bound inc() vs labels(...).inc()',
        target: 30,
        ours: { ops: N, run: () => { for (let i = 0; i < N; i++) handle.inc(); } },
        theirs: { ops: 500_000, run: () => { for (let i = 0; i < 500_000; i++) theirs.labels(labels).inc(); } },
      }),
      compareOps({
        name: 'bound inc() vs kept child inc()',
        target: 30,
        ours: { ops: N, run: () => { for (let i = 0; i < N; i++) handle.inc(); } },
        theirs: { ops: 500_000, run: () => { for (let i = 0; i < 500_000; i++) child.inc(); } },
        note: 'informational: prom-client\'s kept child still hashes its labels on every inc()',
      }),
    ];
  } finally {
    registry.close();
  }
}
