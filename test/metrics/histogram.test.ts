import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeOf, manualRegistry } from './helpers.js';

test('a histogram counts each observation in the first bucket whose bound is at least the value', () => {
  const { registry } = manualRegistry();
  try {
    const h = registry.histogram({ name: 'size_bytes', buckets: [10, 100, 1000], labelNames: ['k'] });
    for (const v of [0, 10, 10.5, 100, 999, 1000, 1001, 1e9, -5]) h.observe({ k: 'a' }, v);
    const snap = h.snapshot();
    assert.deepEqual(Array.from(snap.counts), [3, 2, 2, 2]);
    assert.equal(snap.totals[0], 9);
    assert.equal(snap.sums[0], 0 + 10 + 10.5 + 100 + 999 + 1000 + 1001 + 1e9 - 5);
    assert.deepEqual(h.get({ k: 'a' }), { count: 9, sum: snap.sums[0] });
  } finally {
    registry.close();
  }
});

test('many buckets are searched by bisection with the same result', () => {
  const { registry } = manualRegistry();
  try {
    const buckets = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    const h = registry.histogram({ name: 'wide', buckets });
    for (let v = 0; v <= 1005; v += 5) h.observe(v);
    const counts = Array.from(h.snapshot().counts);
    assert.equal(counts[0], 3); // 0, 5, 10
    assert.equal(counts[1], 2); // 15, 20
    assert.equal(counts[99], 2); // 995, 1000
    assert.equal(counts[100], 1); // 1005
    assert.equal(counts.reduce((a, b) => a + b), 202);
  } finally {
    registry.close();
  }
});

test('buckets must be finite and strictly increasing (INVALID_BUCKETS)', () => {
  const { registry } = manualRegistry();
  try {
    for (const buckets of [[], [1, 1], [2, 1], [1, Infinity], [NaN], ['1'], 'x']) {
      assert.equal(codeOf(() => registry.histogram({ name: 'h', buckets: buckets as never })), 'INVALID_BUCKETS', String(buckets));
    }
  } finally {
    registry.close();
  }
});

test('observations must be finite numbers (INVALID_VALUE)', () => {
  const { registry } = manualRegistry();
  try {
    const h = registry.histogram({ name: 'h', labelNames: ['k'] });
    const b = h.labels({ k: 'x' });
    for (const bad of [NaN, Infinity, -Infinity, '1', undefined]) {
      assert.equal(codeOf(() => h.observe({ k: 'x' }, bad as never)), 'INVALID_VALUE');
      assert.equal(codeOf(() => b.observe(bad as never)), 'INVALID_VALUE');
    }
    assert.equal(h.get({ k: 'x' }).count, 0);
  } finally {
    registry.close();
  }
});

test('each interval reports count, sum, min, max, mean and percentiles within 1%', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    const h = registry.histogram({ name: 'latency_seconds', labelNames: ['route'] });
    const values = Array.from({ length: 10_000 }, (_, i) => (i + 1) / 1000); // 1 ms .. 10 s
    for (const v of values) h.observe({ route: '/' }, v);
    clock.now += 10_000;
    await registry.closeInterval();
    h.observe({ route: '/' }, 0.5);
    clock.now += 10_000;
    await registry.closeInterval();
    clock.now += 10_000;
    await registry.closeInterval();
    const [first, second, third] = registry.get('latency_seconds', 'histogram');
    assert.ok(first?.type === 'histogram');
    const s = first.value;
    assert.equal(s.count, 10_000);
    assert.ok(Math.abs(s.sum - 50_005) < 1e-6);
    assert.equal(s.min, 0.001);
    assert.equal(s.max, 10);
    assert.ok(Math.abs(s.mean - 5.0005) < 1e-9);
    for (const [k, q] of [['p50', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]] as const) {
      const exact = values[Math.floor(q * (values.length - 1))]!;
      assert.ok(Math.abs(s[k] - exact) <= 0.01 * exact, `${k}: ${s[k]} vs ${exact}`);
    }
    assert.ok(second?.type === 'histogram');
    assert.deepEqual([second.value.count, second.value.min, second.value.max, second.value.p50], [1, 0.5, 0.5, 0.5]);
    assert.ok(third?.type === 'histogram');
    assert.equal(third.value.count, 0);
    assert.ok(Number.isNaN(third.value.p99) && Number.isNaN(third.value.min), 'an empty interval has no percentiles');
    assert.equal(h.get({ route: '/' }).count, 10_001, 'Prometheus buckets stay cumulative');
  } finally {
    registry.close();
  }
});
