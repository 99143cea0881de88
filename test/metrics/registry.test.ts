import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createRegistry } from '../../src/metrics/index.js';
import { codeOf, manualRegistry } from './helpers.js';

test('registering the same metric twice returns the one metric', () => {
  const { registry } = manualRegistry();
  try {
    const a = registry.counter({ name: 'x_total', labelNames: ['k'] });
    const b = registry.counter({ name: 'x_total', labelNames: ['k'], help: 'other help is fine' });
    assert.equal(a, b);
    const h1 = registry.histogram({ name: 'h', buckets: [1, 2] });
    assert.equal(registry.histogram({ name: 'h' }), h1);
    assert.equal(registry.histogram({ name: 'h', buckets: [1, 2] }), h1);
  } finally {
    registry.close();
  }
});

test('a name already used with another type, other labels or other buckets is a METRIC_CONFLICT', () => {
  const { registry } = manualRegistry();
  try {
    registry.counter({ name: 'x_total', labelNames: ['k'] });
    registry.histogram({ name: 'h', buckets: [1, 2] });
    assert.equal(codeOf(() => registry.gauge({ name: 'x_total' })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.counter({ name: 'x_total', labelNames: ['j'] })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.counter({ name: 'x_total' })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.histogram({ name: 'h', buckets: [1, 3] })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.timer({ name: 'h' })), 'METRIC_CONFLICT');
  } finally {
    registry.close();
  }
});

test('two metrics whose exposed names would meet are a METRIC_CONFLICT', () => {
  const { registry } = manualRegistry();
  try {
    registry.counter({ name: 'req' }); // exposes req_total (and family req in OpenMetrics)
    assert.equal(codeOf(() => registry.gauge({ name: 'req_total' })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.gauge({ name: 'req' })), 'METRIC_CONFLICT');
    registry.histogram({ name: 'lat' });
    assert.equal(codeOf(() => registry.gauge({ name: 'lat_count' })), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.gauge({ name: 'lat_bucket' })), 'METRIC_CONFLICT');
    registry.gauge({ name: 'app.mem' });
    assert.equal(codeOf(() => registry.gauge({ name: 'app_mem' })), 'METRIC_CONFLICT', 'dots become underscores');
  } finally {
    registry.close();
  }
});

test('invalid metric and label names are refused with a stable code, naming the bad value', () => {
  const { registry } = manualRegistry();
  try {
    for (const name of ['', 'a b', '1abc', 'a-b', 'a..b', 'a.', '.a', 'é', 42]) {
      assert.equal(codeOf(() => registry.counter({ name: name as never })), 'INVALID_METRIC_NAME', String(name));
    }
    assert.throws(() => registry.counter({ name: 'a b' }), /Invalid metric name: "a b"/);
    for (const label of ['1a', 'a-b', '__x', '', 'a b']) {
      assert.equal(codeOf(() => registry.counter({ name: 'ok_total', labelNames: [label] })), 'INVALID_LABEL_NAME', label);
    }
    for (const label of ['le', 'quantile', 'wobserver_overflow']) {
      assert.equal(codeOf(() => registry.counter({ name: 'ok_total', labelNames: [label] })), 'RESERVED_LABEL_NAME', label);
    }
    assert.equal(codeOf(() => registry.counter({ name: 'ok_total', labelNames: ['a', 'a'] })), 'DUPLICATE_LABEL_NAME');
    assert.equal(codeOf(() => registry.counter({ name: 'ok_total', unit: 'seconds' })), 'INVALID_OPTION');
    assert.equal(codeOf(() => registry.counter({ name: 'ok_total', maxSeries: 0 })), 'INVALID_OPTION');
    assert.equal(codeOf(() => registry.counter(null as never)), 'INVALID_OPTION');
    assert.deepEqual(registry.metrics(), [], 'nothing was registered by refused calls');
    // Graphite-style dotted names and colons are valid.
    registry.counter({ name: 'app.http.requests' });
    registry.gauge({ name: 'job:rate' });
  } finally {
    registry.close();
  }
});

test('registry options are validated, all of them named in the error', () => {
  for (const [options, pattern] of [
    [{ period: 0 }, /period/],
    [{ period: 1.5 }, /period/],
    [{ keep: -1 }, /keep/],
    [{ maxSeries: 'many' }, /maxSeries/],
    [{ collectTimeout: 0 }, /collectTimeout/],
    [{ node: '' }, /node/],
    [{ substitutions: { env: 1 } }, /substitutions\.env/],
  ] as const) {
    assert.throws(() => createRegistry({ runtimeMetrics: false, ...(options as object) }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_OPTION');
      assert.match(e.message, pattern);
      return true;
    });
  }
});

test('unregister removes a metric and frees its names', () => {
  const { registry } = manualRegistry();
  try {
    registry.counter({ name: 'x_total' });
    assert.equal(registry.unregister('x_total'), true);
    assert.equal(registry.unregister('x_total'), false);
    registry.gauge({ name: 'x_total' });
  } finally {
    registry.close();
  }
});

test('close() stops the interval timer; updates keep working afterwards', async () => {
  const registry = createRegistry({ runtimeMetrics: false, period: 20 });
  registry.meter({ name: 'm_total' }).mark();
  registry.close();
  await sleep(120);
  assert.equal(registry.closedIntervals().length, 0, 'no interval closed after close()');
  registry.counter({ name: 'x_total' }).inc();
  registry.meter({ name: 'm_total' }).mark();
  assert.equal(registry.snapshot().families.length, 2);
});

test('a snapshot is a plain copy: later updates do not change it', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['k'] });
    c.inc({ k: 'a' });
    const snap = registry.snapshot();
    c.inc({ k: 'a' }, 10);
    c.inc({ k: 'b' });
    const fam = snap.families[0]!;
    assert.equal(fam.size, 1);
    assert.equal(fam.type === 'counter' && fam.values[0], 1);
  } finally {
    registry.close();
  }
});

test('collect() yields a snapshot of every family, in registration order', async () => {
  const { registry } = manualRegistry();
  try {
    registry.counter({ name: 'a_total' });
    registry.gauge({ name: 'b' });
    registry.histogram({ name: 'c' });
    registry.meter({ name: 'd_total' });
    registry.timer({ name: 'e_seconds' });
    const snap = await registry.collect();
    assert.deepEqual(snap.families.map((f) => [f.name, f.type]), [
      ['a_total', 'counter'],
      ['b', 'gauge'],
      ['c', 'histogram'],
      ['d_total', 'meter'],
      ['e_seconds', 'timer'],
    ]);
  } finally {
    registry.close();
  }
});
