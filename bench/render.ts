import assert from 'node:assert/strict';
import client from 'prom-client';
import { createRegistry } from '../src/metrics/index.js';
import { renderText } from '../src/exporters/prometheus/index.js';
import { type Result, compareTime } from './harness.js';

/** Rendering 10,000 labelled counter series plus 1,000 histogram series, snapshot included. */
export async function render(): Promise<Result> {
  const registry = createRegistry({ runtimeMetrics: false });
  const promRegistry = new client.Registry();
  const ours = registry.counter({ name: 'req_total', help: 'Requests', labelNames: ['route', 'status'] });
  const theirs = new client.Counter({ name: 'req_total', help: 'Requests', labelNames: ['route', 'status'], registers: [promRegistry] });
  const oursH = registry.histogram({ name: 'lat_seconds', help: 'Latency', labelNames: ['route'] });
  const theirsH = new client.Histogram({ name: 'lat_seconds', help: 'Latency', labelNames: ['route'], registers: [promRegistry] });
  for (let i = 0; i < 10_000; i++) {
    const labels = { route: `/r/${i % 1000}`, status: String(200 + (i / 1000) | 0) };
    ours.inc(labels, i);
    theirs.inc(labels, i);
  }
  for (let i = 0; i < 1000; i++) {
    const labels = { route: `/h/${i}` };
    for (const v of [0.003, 0.04, 0.7]) {
      oursH.observe(labels, v * (1 + i / 1000));
      theirsH.observe(labels, v * (1 + i / 1000));
    }
  }
  try {
    const samples = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    assert.equal(samples(renderText(registry.snapshot())), samples(await promRegistry.metrics()), 'both render the same samples');
    return await compareTime({
      name: 'render 10k counters + 1k histograms',
      target: 5,
      ours: () => renderText(registry.snapshot()),
      theirs: () => promRegistry.metrics(),
    });
  } finally {
    registry.close();
  }
}
