import assert from 'node:assert/strict';
import { test } from 'node:test';
import { T0, codeOf, manualRegistry } from './helpers.js';

test('a gauge sets, adds and subtracts', () => {
  const { registry } = manualRegistry();
  try {
    const g = registry.gauge({ name: 'queue_depth', labelNames: ['q'] });
    g.set({ q: 'a' }, 10);
    g.inc({ q: 'a' });
    g.inc({ q: 'a' }, 4);
    g.dec({ q: 'a' }, 2);
    g.dec({ q: 'a' });
    assert.equal(g.get({ q: 'a' }), 12);
    const h = g.labels({ q: 'b' });
    h.set(-3);
    h.inc(1.5);
    h.dec();
    assert.equal(h.get(), -2.5);
    const plain = registry.gauge({ name: 'temp_celsius' });
    plain.set(21);
    plain.dec(0.5);
    assert.equal(plain.get(), 20.5);
  } finally {
    registry.close();
  }
});

test('a gauge may hold NaN and infinities when set, but inc and dec need finite amounts', () => {
  const { registry } = manualRegistry();
  try {
    const g = registry.gauge({ name: 'ratio' });
    g.set(NaN);
    assert.ok(Number.isNaN(g.get()));
    g.set(Infinity);
    assert.equal(g.get(), Infinity);
    g.set(1);
    assert.equal(codeOf(() => g.inc(NaN)), 'INVALID_VALUE');
    assert.equal(codeOf(() => g.dec(Infinity)), 'INVALID_VALUE');
    assert.equal(codeOf(() => g.set('2' as never)), 'INVALID_VALUE');
    assert.equal(g.get(), 1);
  } finally {
    registry.close();
  }
});

test('setToCurrentTime sets seconds since the epoch', () => {
  const { registry } = manualRegistry();
  try {
    const g = registry.gauge({ name: 'last_run_seconds', labelNames: ['job'] });
    const before = Date.now() / 1000;
    g.setToCurrentTime({ job: 'x' });
    assert.ok(g.get({ job: 'x' }) >= before && g.get({ job: 'x' }) <= Date.now() / 1000);
  } finally {
    registry.close();
  }
});

test("a gauge's interval record is its last value, with min, max and mean when asked", async () => {
  const { registry, clock } = manualRegistry({ period: 1000 });
  try {
    const plain = registry.gauge({ name: 'a' });
    const stats = registry.gauge({ name: 'b', intervalStats: true });
    for (const v of [5, 1, 9, 3]) {
      plain.set(v);
      stats.set(v);
    }
    stats.inc(1); // 4
    clock.now += 1000;
    await registry.closeInterval();
    clock.now += 1000;
    await registry.closeInterval();
    const [a1, a2] = registry.get('a', 'gauge');
    assert.deepEqual([a1?.value, a2?.value], [3, 3]);
    assert.equal('min' in a1!, false);
    const [b1, b2] = registry.get('b', 'gauge');
    assert.deepEqual(b1, { name: 'b', labels: {}, timestamp: T0, type: 'gauge', value: 4, min: 1, max: 9, mean: 22 / 5 });
    // An interval without updates: the value held throughout.
    assert.deepEqual([b2?.value, b2?.type === 'gauge' && b2.min, b2?.type === 'gauge' && b2.max, b2?.type === 'gauge' && b2.mean], [4, 4, 4, 4]);
  } finally {
    registry.close();
  }
});
