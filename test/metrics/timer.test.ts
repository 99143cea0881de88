import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { manualRegistry } from './helpers.js';

test('startTimer records the elapsed seconds on the monotonic clock', async () => {
  const { registry } = manualRegistry();
  try {
    const t = registry.timer({ name: 'op_duration_seconds', labelNames: ['op'] });
    const stop = t.startTimer({ op: 'sleep' });
    await sleep(30);
    const seconds = stop();
    assert.ok(seconds >= 0.025 && seconds < 5, String(seconds));
    assert.equal(t.get({ op: 'sleep' }).count, 1);
    assert.equal(t.get({ op: 'sleep' }).sum, seconds);
    assert.equal(t.unit, 'seconds', 'a name ending in _seconds gets the unit');
  } finally {
    registry.close();
  }
});

test('labels given when the timer stops are merged into those given at start', () => {
  const { registry } = manualRegistry();
  try {
    const t = registry.timer({ name: 'req_duration_seconds', labelNames: ['route', 'status'] });
    const stop = t.startTimer({ route: '/' });
    stop({ status: 200 });
    assert.equal(t.get({ route: '/', status: '200' }).count, 1);
  } finally {
    registry.close();
  }
});

test('time() measures sync functions, async functions, and functions that throw or reject', async () => {
  const { registry } = manualRegistry();
  try {
    const t = registry.timer({ name: 'work_seconds', labelNames: ['kind'] });
    assert.equal(t.time(() => 42, { kind: 'sync' }), 42);
    assert.equal(await t.time(async () => {
      await sleep(20);
      return 'done';
    }, { kind: 'async' }), 'done');
    assert.throws(() => t.time(() => {
      throw new Error('boom');
    }, { kind: 'throw' }), /boom/);
    await assert.rejects(t.time(() => Promise.reject(new Error('nope')), { kind: 'reject' }), /nope/);
    await sleep(0);
    for (const kind of ['sync', 'async', 'throw', 'reject']) assert.equal(t.get({ kind }).count, 1, kind);
    assert.ok(t.get({ kind: 'async' }).sum >= 0.015);
  } finally {
    registry.close();
  }
});

test('a bound timer series times without a lookup', () => {
  const { registry } = manualRegistry();
  try {
    const t = registry.timer({ name: 'x_seconds', labelNames: ['k'] });
    const series = t.labels({ k: 'a' });
    const stop = series.startTimer();
    stop();
    series.observe(0.25);
    assert.equal(t.get({ k: 'a' }).count, 2);
  } finally {
    registry.close();
  }
});
