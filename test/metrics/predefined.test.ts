import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectError, Counter } from '../../src/metrics/index.js';
import { T0, codeOf, manualRegistry } from './helpers.js';

function errorsOf(registry: ReturnType<typeof manualRegistry>['registry']): Record<string, number> {
  const c = registry.metric('wobserver_collect_errors_total') as Counter | undefined;
  const out: Record<string, number> = {};
  if (c === undefined) return out;
  for (const labels of c.series()) out[`${labels.collector}/${labels.reason}`] = c.get(labels);
  return out;
}

test('a predefined gauge takes the number its function returns, on every scrape', async () => {
  const { registry } = manualRegistry();
  try {
    let size = 3;
    registry.predefine({ name: 'cache_entries', type: 'gauge', fn: () => size, help: 'Entries' });
    let snap = await registry.collect();
    assert.equal(snap.families[0]?.type === 'gauge' && snap.families[0].values[0], 3);
    size = 8;
    snap = await registry.collect();
    assert.equal(snap.families[0]?.type === 'gauge' && snap.families[0].values[0], 8);
  } finally {
    registry.close();
  }
});

test('a predefined metric picks one key of an object or a Map, also from a promise', async () => {
  const { registry } = manualRegistry();
  try {
    registry.predefine({ name: 'pool_idle', type: 'gauge', fn: () => ({ idle: 4, busy: 2 }), key: 'idle' });
    registry.predefine({ name: 'pool_busy', type: 'gauge', fn: async () => new Map([['busy', 2]]), key: 'busy' });
    registry.predefine({ name: 'remote', type: 'gauge', fn: () => Promise.resolve(11) });
    const snap = await registry.collect();
    const values = Object.fromEntries(snap.families.map((f) => [f.name, f.type === 'gauge' ? f.values[0] : -1]));
    assert.deepEqual(values, { pool_idle: 4, pool_busy: 2, remote: 11 });
  } finally {
    registry.close();
  }
});

test('a function that throws, rejects, hangs or returns a non-number is skipped and counted; the others are not affected', async () => {
  const seen: CollectError[] = [];
  const { registry } = manualRegistry({ collectTimeout: 50, onError: (e) => seen.push(e) });
  try {
    let hungCalls = 0;
    registry.predefine({ name: 'good', type: 'gauge', fn: () => 1 });
    registry.predefine({ name: 'throws', type: 'gauge', fn: () => {
      throw new Error('boom');
    } });
    registry.predefine({ name: 'rejects', type: 'gauge', fn: () => Promise.reject(new Error('nope')) });
    registry.predefine({ name: 'hangs', type: 'gauge', fn: () => {
      hungCalls++;
      return new Promise(() => undefined);
    } });
    registry.predefine({ name: 'nan', type: 'gauge', fn: () => NaN });
    registry.predefine({ name: 'text', type: 'gauge', fn: () => '12' });
    registry.predefine({ name: 'nokey', type: 'gauge', fn: () => ({ a: 1 }), key: 'b' });
    const snap = await registry.collect();
    await registry.collect();
    const good = snap.families.find((f) => f.name === 'good');
    assert.equal(good?.type === 'gauge' && good.values[0], 1);
    assert.deepEqual(errorsOf(registry), {
      'throws/throw': 2,
      'rejects/throw': 2,
      'hangs/timeout': 2,
      'nan/invalid': 2,
      'text/invalid': 2,
      'nokey/invalid': 2,
    });
    assert.equal(hungCalls, 1, 'a hung function is not started again while it hangs');
    assert.equal(seen.length, 12);
    assert.ok(seen.some((e) => e.collector === 'throws' && (e.error as Error).message === 'boom'));
  } finally {
    registry.close();
  }
});

test('an onError handler that throws does not break collection', async () => {
  const { registry } = manualRegistry({ onError: () => {
    throw new Error('handler broke');
  } });
  try {
    registry.predefine({ name: 'bad', type: 'gauge', fn: () => {
      throw new Error('x');
    } });
    registry.predefine({ name: 'good', type: 'gauge', fn: () => 5 });
    const snap = await registry.collect();
    assert.ok(snap.families.some((f) => f.name === 'good' && f.type === 'gauge' && f.values[0] === 5));
  } finally {
    registry.close();
  }
});

test('predefined counters and meters read running totals: a counter records the increase per interval, a meter the total', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    let total = 100;
    registry.predefine({ name: 'gc.runs.counter', type: 'counter', fn: () => total });
    registry.predefine({ name: 'gc.runs.meter', type: 'meter', fn: () => total });
    clock.now += 10_000;
    await registry.closeInterval();
    total = 130;
    clock.now += 10_000;
    await registry.closeInterval();
    assert.deepEqual(registry.get('gc.runs.counter', 'counter').map((r) => [r.timestamp - T0, r.value]), [[0, 100], [10_000, 30]]);
    assert.deepEqual(registry.get('gc.runs.meter', 'meter').map((r) => [r.timestamp - T0, r.value]), [[0, 100], [10_000, 130]]);
  } finally {
    registry.close();
  }
});

test('a predefined total that goes down is skipped as invalid, and the counter keeps its value', async () => {
  const { registry } = manualRegistry({ onError: () => undefined });
  try {
    let total = 10;
    const c = registry.predefine({ name: 'runs_total', type: 'counter', fn: () => total }) as Counter;
    await registry.collect();
    total = 4;
    await registry.collect();
    assert.equal(c.get(), 10);
    assert.deepEqual(errorsOf(registry), { 'runs_total/invalid': 1 });
  } finally {
    registry.close();
  }
});

test('predefined metrics are gathered when an interval closes and land in that interval', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    let v = 1;
    registry.predefine({ name: 'x', type: 'gauge', fn: () => v });
    clock.now += 10_000;
    await registry.closeInterval();
    v = 2;
    clock.now += 10_000;
    await registry.closeInterval();
    assert.deepEqual(registry.get('x', 'gauge').map((r) => r.value), [1, 2]);
  } finally {
    registry.close();
  }
});

test('a hung predefined function delays the interval by at most its timeout, and the interval still closes', async () => {
  const { registry, clock } = manualRegistry({ period: 10_000, collectTimeout: 30, onError: () => undefined });
  try {
    registry.predefine({ name: 'hangs', type: 'gauge', fn: () => new Promise(() => undefined) });
    registry.updateCounter('other', 1);
    clock.now += 10_000;
    const closed = await registry.closeInterval();
    assert.ok(closed);
    assert.deepEqual(registry.get('other', 'counter').map((r) => r.value), [1]);
  } finally {
    registry.close();
  }
});

test('predefine() validates its definition', () => {
  const { registry } = manualRegistry();
  try {
    assert.equal(codeOf(() => registry.predefine({ name: 'x', type: 'gauge', fn: 3 as never })), 'INVALID_OPTION');
    assert.equal(codeOf(() => registry.predefine({ name: 'x', type: 'histogram' as never, fn: () => 1 })), 'UNKNOWN_TYPE');
    assert.equal(codeOf(() => registry.predefine({ name: 'x', type: 'gauge', fn: () => 1, key: 3 as never })), 'INVALID_OPTION');
    assert.equal(codeOf(() => registry.predefine({ name: 'x', type: 'gauge', fn: () => 1, timeout: -1 })), 'INVALID_OPTION');
    assert.equal(codeOf(() => registry.predefine({ name: 'a b', type: 'gauge', fn: () => 1 })), 'INVALID_METRIC_NAME');
  } finally {
    registry.close();
  }
});
