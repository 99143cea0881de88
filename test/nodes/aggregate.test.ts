import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonChunks, jsonFamily } from '../../src/exporters/json/index.js';
import { renderOpenMetrics, renderText } from '../../src/exporters/prometheus/index.js';
import { createRegistry, MetricsError } from '../../src/metrics/index.js';
import { aggregate, type NodeMetricsAnswer, validateAnswer } from '../../src/nodes/index.js';

/** Every sample line's name and labels: two equal ones would make Prometheus keep one value and the OpenMetrics parser refuse the scrape. */
function sampleKeys(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
}

function assertUnique(text: string): void {
  const keys = sampleKeys(text);
  const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
  assert.deepEqual(dup, [], `duplicate samples in\n${text}`);
}

async function overflowingNode(): Promise<unknown> {
  const registry = createRegistry({ intervals: false, runtimeMetrics: false });
  try {
    const g = registry.gauge({ name: 'queue_depth', help: 'Depth', labelNames: ['v'], maxSeries: 1 });
    g.set({ v: '' }, 1);
    g.set({ v: 'other' }, 2);
    const snap = await registry.collect();
    return JSON.parse([...jsonChunks({ ...snap, families: snap.families.filter((f) => f.name === 'queue_depth') })].join(''));
  } finally {
    registry.close();
  }
}

test("the JSON form of a gauge's overflow series is never a real label set: { wobserver_overflow: 'true' }, overflow: true", async () => {
  const body = (await overflowingNode()) as { families: { series: { labels: Record<string, string>; overflow?: boolean; value: number }[] }[] };
  const series = body.families[0]!.series;
  assert.deepEqual(series.map((s) => s.labels), [{ v: '' }, { wobserver_overflow: 'true' }]);
  assert.equal(series[1]!.overflow, true);
  assert.equal(series[0]!.overflow, undefined);
});

test('after aggregation, overflow series of several nodes and a real v="" series are distinct samples, in Prometheus text and OpenMetrics alike', async () => {
  const a = await overflowingNode();
  const b = await overflowingNode();
  const { snapshot } = aggregate([{ node: 'a', body: a }, { node: 'b', body: b }], 0);
  const text = renderText(snapshot);
  assert.match(text, /^queue_depth\{node="a",v="",wobserver_overflow=""\} 1$/m);
  assert.match(text, /^queue_depth\{node="a",v="",wobserver_overflow="true"\} 2$/m);
  assert.match(text, /^queue_depth\{node="b",v="",wobserver_overflow="true"\} 2$/m);
  assertUnique(text);
  assertUnique(renderOpenMetrics(snapshot).replace(/# EOF\n$/, ''));
});

test("a family's own node label becomes exported_node (as Prometheus's honor_labels: false), and exported_node itself moves aside", () => {
  const family = (labelNames: string[]) => ({ name: 'jobs', type: 'gauge', help: 'x', unit: '', labelNames, series: [{ labels: Object.fromEntries(labelNames.map((l) => [l, `${l}-value`])), value: 1 }] });
  const one = renderText(aggregate([{ node: 'n', body: { families: [family(['node'])] } }], 0).snapshot);
  assert.match(one, /^jobs\{node="n",exported_node="node-value"\} 1$/m);
  const two = renderText(aggregate([{ node: 'n', body: { families: [family(['node', 'exported_node'])] } }], 0).snapshot);
  assert.match(two, /^jobs\{node="n",exported_exported_node="node-value",exported_node="exported_node-value"\} 1$/m);
});

test('no input gives two samples of one name and labels: a node listed twice, families exposing one name across nodes, a family named like the aggregator', () => {
  const counter = { name: 'hits', type: 'counter', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] };
  const gaugeTotal = { name: 'hits_total', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 7 }] };
  const dotted = { name: 'app.hits', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 3 }] };
  const underscored = { name: 'app_hits', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 4 }] };
  const upFamily = { name: 'wobserver_node_up', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] };
  const answers: NodeMetricsAnswer[] = [
    { node: 'a', body: { families: [counter, dotted] } },
    { node: 'a', body: { families: [counter] } },
    { node: 'b', body: { families: [gaugeTotal, underscored, upFamily] } },
    { node: 'c', error: 'NODE_TIMEOUT' },
  ];
  const { snapshot, conflicts } = aggregate(answers, 0);
  const text = renderText(snapshot);
  assertUnique(text);
  assertUnique(renderOpenMetrics(snapshot).replace(/# EOF\n$/, ''));
  assert.equal(conflicts, 3, 'hits_total, app_hits and wobserver_node_up of node b are left out');
  assert.match(text, /^wobserver_node_up\{node="b"\} 1$/m);
  assert.match(text, /^wobserver_node_up\{node="c"\} 0$/m);
  assert.match(text, /^wobserver_node_scrape_error\{node="c",code="NODE_TIMEOUT"\} 1$/m);
  assert.equal(text.match(/^wobserver_node_up\{node="a"\}/gm)?.length, 1);
});

test('validation of another node takes what local registration takes, and refuses what it refuses, naming the problem', () => {
  const ok = { families: [{ name: 'lat_seconds', type: 'histogram', help: 'h', unit: 'seconds', labelNames: ['r'], buckets: [0.1, 1], series: [{ labels: { r: '/' }, count: 2, sum: 0.5, counts: [1, 1, 0] }] }] };
  assert.equal(validateAnswer(ok)[0]!.series[0]!.count, 2);
  const bad: [unknown, RegExp][] = [
    [{ families: [{ ...ok.families[0], buckets: [1, 0.1] }] }, /strictly increasing/],
    [{ families: [{ ...ok.families[0], unit: 'bytes' }] }, /unit/],
    [{ families: [{ ...ok.families[0], labelNames: ['__r'] }] }, /Invalid label name/],
    [{ families: [{ ...ok.families[0], labelNames: ['r', 'r'] }] }, /twice/],
    [{ families: [{ ...ok.families[0], series: [{ labels: { r: 1 }, count: 1, sum: 1, counts: [1, 0, 0] }] }] }, /not a string/],
    [{ families: [{ ...ok.families[0], series: [{ labels: { r: '/', x: '1' }, count: 1, sum: 1, counts: [1, 0, 0] }] }] }, /exactly the labels/],
    [{ families: [{ name: 'c_total', type: 'counter', help: 'c', unit: '', labelNames: [], series: [{ labels: {}, value: -1 }] }] }, /negative/],
    [{ families: [{ name: 'c_total', type: 'counter', help: 'c', unit: '', labelNames: [], series: [{ labels: {}, value: null }] }] }, /not a number/],
    [{ families: Array.from({ length: 10_001 }, (_, i) => ({ name: `m${i}`, type: 'gauge', help: '', unit: '', labelNames: [], series: [] })) }, /more than 10000 families/],
    [null, /no families/],
  ];
  for (const [body, message] of bad) assert.throws(() => validateAnswer(body), message);
});

test("the aggregator's own names are reserved at registration, with a clear error", () => {
  const registry = createRegistry({ intervals: false });
  try {
    for (const [make, name] of [
      [() => registry.gauge({ name: 'wobserver_node_up' }), 'wobserver_node_up'],
      [() => registry.counter({ name: 'wobserver_node_up_total' }), 'wobserver_node_up'],
      [() => registry.gauge({ name: 'wobserver_node_scrape_error' }), 'wobserver_node_scrape_error'],
    ] as const) {
      assert.throws(make, (e: unknown) => e instanceof MetricsError && e.code === 'METRIC_CONFLICT' && e.message.includes(name) && /reserves/.test(e.message));
    }
    assert.doesNotThrow(() => registry.gauge({ name: 'wobserver_node_upper' }));
    assert.equal(jsonFamily(registry.gauge({ name: 'wobserver_node_upper' }).snapshot()).name, 'wobserver_node_upper');
  } finally {
    registry.close();
  }
});
