import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/metrics/index.js';
import { untilTrue } from '../helpers/until.js';
import { T0, codeOf, manualRegistry } from './helpers.js';



test('update() creates the metric on first use; the aliases pick the type', () => {
  const { registry } = manualRegistry();
  try {
    registry.update('foo.bar.baz', 1, 'counter');
    registry.updateCounter('foo.bar.baz', 2);
    registry.updateGauge('foo.gauge', 7);
    registry.updateMeter('foo.meter', 3);
    registry.update('foo.hist', 0.2, 'histogram');
    registry.update('foo.time', 0.2, 'timer');
    assert.deepEqual(registry.metrics().map((m) => [m.name, m.type]), [
      ['foo.bar.baz', 'counter'],
      ['foo.gauge', 'gauge'],
      ['foo.meter', 'meter'],
      ['foo.hist', 'histogram'],
      ['foo.time', 'timer'],
    ]);
    assert.equal(codeOf(() => registry.update('foo.bar.baz', 1, 'gauge')), 'METRIC_CONFLICT');
    assert.equal(codeOf(() => registry.update('foo.x', 1, 'bogus' as never)), 'UNKNOWN_TYPE');
    assert.equal(codeOf(() => registry.updateCounter('foo.bar.baz', -1)), 'COUNTER_DECREASE');
  } finally {
    registry.close();
  }
});

test('get(name, type) gives one record per closed interval, oldest first, stamped with the interval start', async () => {
  const { registry, clock } = manualRegistry({ period: 120_000 });
  try {
    registry.updateCounter('foo.bar.baz', 1);
    registry.updateCounter('foo.bar.baz', 1);
    clock.now = T0 + 120_000 + 5;
    await registry.closeInterval();
    registry.updateCounter('foo.bar.baz', 1);
    clock.now = T0 + 240_000;
    await registry.closeInterval();
    assert.deepEqual(registry.get('foo.bar.baz', 'counter'), [
      { name: 'foo.bar.baz', labels: {}, timestamp: T0, type: 'counter', value: 2 },
      { name: 'foo.bar.baz', labels: {}, timestamp: T0 + 120_000, type: 'counter', value: 1 },
    ]);
    assert.deepEqual(registry.get('foo.bar.baz', 'gauge'), [], 'no gauge of that name');
    assert.deepEqual(registry.get('nothing', 'counter'), []);
  } finally {
    registry.close();
  }
});

test('get(type) gives every record of a type; delete counts what it removed', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    registry.updateCounter('foo.bar.baz', 3);
    registry.updateCounter('foo.bar', 9);
    registry.updateGauge('foo.g', 1);
    clock.now += 10_000;
    await registry.closeInterval();
    registry.updateCounter('foo.bar.baz', 1);
    clock.now += 10_000;
    await registry.closeInterval();
    assert.equal(registry.get('counter').length, 4);
    assert.equal(registry.get('gauge').length, 2);
    assert.equal(registry.delete('foo.bar.baz', 'counter'), 2);
    assert.equal(registry.delete('foo.bar.baz', 'counter'), 0);
    assert.deepEqual(registry.get('counter').map((r) => r.name), ['foo.bar', 'foo.bar']);
    assert.equal(registry.delete('counter'), 2);
    assert.equal(registry.delete('meter'), 0);
    assert.equal(registry.get('gauge').length, 2, 'other types are untouched');
    assert.equal(codeOf(() => registry.get('bogus')), 'UNKNOWN_TYPE');
    assert.equal(codeOf(() => registry.delete('x', 'bogus' as never)), 'UNKNOWN_TYPE');
  } finally {
    registry.close();
  }
});

test('intervals align to multiples of the period since the epoch', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    clock.now = T0 + 3_456; // the registry opened its interval at T0
    registry.updateCounter('a', 1);
    clock.now = T0 + 17_000; // past :10
    const first = await registry.closeInterval();
    assert.deepEqual([first?.start, first?.end], [T0, T0 + 10_000]);
    registry.updateCounter('a', 1);
    clock.now = T0 + 20_001;
    const second = await registry.closeInterval();
    assert.deepEqual([second?.start, second?.end], [T0 + 10_000, T0 + 20_000]);
    for (const r of registry.get('counter')) assert.equal(r.timestamp % 10_000, 0);
  } finally {
    registry.close();
  }
});

test('an interval closes once: closing again inside the same interval does nothing, and later updates go to the next', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    registry.updateCounter('a', 5);
    clock.now = T0 + 10_000;
    assert.ok(await registry.closeInterval());
    registry.updateCounter('a', 1); // late: after the boundary
    assert.equal(await registry.closeInterval(), null);
    clock.now = T0 + 19_999;
    assert.equal(await registry.closeInterval(), null);
    assert.deepEqual(registry.get('a', 'counter').map((r) => [r.timestamp, r.value]), [[T0, 5]]);
    clock.now = T0 + 20_000;
    await registry.closeInterval();
    assert.deepEqual(registry.get('a', 'counter').map((r) => [r.timestamp, r.value]), [[T0, 5], [T0 + 10_000, 1]]);
  } finally {
    registry.close();
  }
});

test('a late timer closes one interval covering the gap, stamped with its start', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    registry.updateCounter('a', 1);
    clock.now = T0 + 35_000;
    const c = await registry.closeInterval();
    assert.deepEqual([c?.start, c?.end], [T0, T0 + 30_000]);
    registry.updateCounter('a', 1);
    clock.now = T0 + 40_000;
    const d = await registry.closeInterval();
    assert.deepEqual([d?.start, d?.end], [T0 + 30_000, T0 + 40_000]);
  } finally {
    registry.close();
  }
});

test('only `keep` closed intervals are kept', async () => {
  const { registry, clock } = manualRegistry({ period: 1000, keep: 3 });
  try {
    for (let i = 0; i < 10; i++) {
      registry.updateCounter('a', i);
      clock.now += 1000;
      await registry.closeInterval();
    }
    const records = registry.get('a', 'counter');
    assert.deepEqual(records.map((r) => r.value), [7, 8, 9]);
    assert.deepEqual(registry.closedIntervals().map((c) => c.seq), [8, 9, 10]);
    assert.deepEqual(registry.closedIntervals(9).map((c) => c.seq), [10]);
  } finally {
    registry.close();
  }
});

test('onIntervalClosed hears every interval as it closes, whatever keep forgets; a listener that throws is isolated', async () => {
  const errors: string[] = [];
  const { registry, clock } = manualRegistry({ period: 1000, keep: 1, onError: (e) => errors.push(`${e.collector}:${e.reason}`) });
  try {
    const heard: number[] = [];
    const values: number[] = [];
    registry.onIntervalClosed(() => {
      throw new Error('broken listener');
    });
    const off = registry.onIntervalClosed((i) => {
      heard.push(i.seq);
      values.push(i.families.find((f) => f.name === 'a')?.columns.value?.[0] ?? NaN);
    });
    for (let i = 1; i <= 5; i++) {
      registry.updateCounter('a', i);
      clock.now += 1000;
      await registry.closeInterval();
    }
    assert.deepEqual(heard, [1, 2, 3, 4, 5]);
    assert.deepEqual(values, [1, 2, 3, 4, 5]);
    assert.equal(registry.closedIntervals().length, 1, 'keep forgot the rest');
    assert.equal(errors.length, 5, 'the throwing listener was reported each time, and the other still heard');
    off();
    clock.now += 1000;
    await registry.closeInterval();
    assert.equal(heard.length, 5, 'removed');
  } finally {
    registry.close();
  }
});

test('labelled series each get their record, with their labels', async () => {
  const { registry, clock } = manualRegistry({ period: 1000 });
  try {
    const c = registry.counter({ name: 'req_total', labelNames: ['m'] });
    c.inc({ m: 'GET' }, 2);
    c.inc({ m: 'POST' });
    clock.now += 1000;
    await registry.closeInterval();
    assert.deepEqual(registry.get('req_total', 'counter').map((r) => [r.labels, r.value]), [
      [{ m: 'GET' }, 2],
      [{ m: 'POST' }, 1],
    ]);
  } finally {
    registry.close();
  }
});

test('with intervals off nothing is accumulated and no timer runs', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  try {
    const h = registry.histogram({ name: 'h' });
    h.observe(1);
    assert.equal(registry.intervalsEnabled, false);
    assert.deepEqual(registry.get('histogram'), []);
  } finally {
    registry.close();
  }
});

test('the interval timer closes intervals on its own at each boundary', async () => {
  // Its timer and its clock are the test's: a timer fires when the test says, at the time the test set.
  const clock = { now: T0 + 30 };
  const timers: { fire: () => void; ms: number; cancelled: boolean }[] = [];
  const setTimer = (fire: () => void, ms: number): (() => void) => {
    const t = { fire, ms, cancelled: false };
    timers.push(t);
    return () => void (t.cancelled = true);
  };
  const registry = createRegistry({ runtimeMetrics: false, period: 100, clock: () => clock.now, setTimer });
  try {
    assert.deepEqual(timers.map((t) => t.ms), [70], 'woken at the first boundary, 70 ms after opening at :30');
    registry.updateCounter('ticks', 1);
    clock.now = T0 + 100;
    timers[0]!.fire();
    await untilTrue(() => timers.length === 2, 'the next boundary is scheduled once the interval closed');
    assert.equal(timers[1]!.ms, 100);
    clock.now = T0 + 200;
    timers[1]!.fire();
    await untilTrue(() => timers.length === 3, 'the third boundary is scheduled');
    const closed = registry.closedIntervals();
    assert.deepEqual(closed.map((c) => [c.start - T0, c.end - T0]), [[0, 100], [100, 200]]);
    const total = registry.get('ticks', 'counter').reduce((s, r) => s + (r.type === 'counter' ? r.value : 0), 0);
    assert.equal(total, 1, 'the one update is in exactly one interval');
  } finally {
    registry.close();
  }
  assert.equal(timers[2]!.cancelled, true, 'close() cancels the pending timer');
});
