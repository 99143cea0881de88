import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createServer } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createRegistry, type FamilySnapshot, type RegistrySnapshot } from '../../../src/metrics/index.js';

const NAMES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_array_buffers_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_utilization_ratio',
  'nodejs_eventloop_active_seconds_total',
  'nodejs_eventloop_idle_seconds_total',
  'nodejs_gc_duration_seconds',
  'nodejs_active_handles',
  'nodejs_active_requests',
  'nodejs_active_resources',
  'nodejs_version_info',
];
const LINUX = ['process_virtual_memory_bytes', 'process_heap_bytes', 'process_open_fds', 'process_max_fds'];

function family(snap: RegistrySnapshot, name: string): FamilySnapshot {
  const f = snap.families.find((x) => x.name === name);
  assert.ok(f, `${name} is missing`);
  return f;
}

function value(snap: RegistrySnapshot, name: string, labels: Record<string, string> = {}): number {
  const f = family(snap, name);
  for (let i = 0; i < f.size; i++) {
    if (f.labelNames.every((l, j) => labels[l] === undefined || f.labelValues[j]![i] === labels[l])) {
      if (f.type === 'counter' || f.type === 'gauge' || f.type === 'meter') return f.values[i]!;
    }
  }
  assert.fail(`${name}${JSON.stringify(labels)} has no value`);
}

test('every runtime metric is there after a collect, under prom-client\'s names', async () => {
  const registry = createRegistry({ intervals: false });
  try {
    const snap = await registry.collect();
    const names = snap.families.map((f) => f.name);
    for (const n of NAMES) assert.ok(names.includes(n), `${n} is missing`);
    if (process.platform === 'linux') for (const n of LINUX) assert.ok(names.includes(n), `${n} is missing`);
    assert.ok(!names.some((n) => n.endsWith('_total') && family(snap, n).type === 'gauge'), 'no gauge ends in _total');
  } finally {
    registry.close();
  }
});

test('runtime metrics carry plausible values', async () => {
  const registry = createRegistry({ intervals: false });
  try {
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    assert.ok(x > 0);
    const snap = await registry.collect();
    const mem = process.memoryUsage();
    assert.ok(value(snap, 'process_resident_memory_bytes') > 10e6);
    assert.ok(value(snap, 'nodejs_heap_size_used_bytes') <= value(snap, 'nodejs_heap_size_total_bytes'));
    assert.ok(value(snap, 'nodejs_heap_size_total_bytes') > mem.heapTotal / 4);
    const start = value(snap, 'process_start_time_seconds');
    assert.ok(start <= Date.now() / 1000 && start > Date.now() / 1000 - process.uptime() - 5);
    assert.ok(value(snap, 'process_cpu_user_seconds_total') > 0);
    assert.ok(
      Math.abs(
        value(snap, 'process_cpu_seconds_total') -
          value(snap, 'process_cpu_user_seconds_total') -
          value(snap, 'process_cpu_system_seconds_total'),
      ) < 1e-6,
    );
    assert.ok(value(snap, 'nodejs_heap_space_size_used_bytes', { space: 'old' }) > 0);
    const [major, minor, patch] = process.versions.node.split('.');
    assert.equal(value(snap, 'nodejs_version_info', { version: process.version, major: major!, minor: minor!, patch: patch! }), 1);
    const ratio = value(snap, 'nodejs_eventloop_utilization_ratio');
    assert.ok(ratio >= 0 && ratio <= 1, String(ratio));
    assert.ok(value(snap, 'nodejs_eventloop_active_seconds_total') > 0);
    assert.ok(value(snap, 'nodejs_eventloop_lag_seconds') >= 0);
    assert.ok(value(snap, 'nodejs_active_resources', { type: 'Immediate' }) >= 0 || true);
    if (process.platform === 'linux') {
      assert.ok(value(snap, 'process_open_fds') > 0);
      assert.ok(value(snap, 'process_max_fds') >= value(snap, 'process_open_fds'));
      assert.ok(value(snap, 'process_virtual_memory_bytes') >= value(snap, 'process_resident_memory_bytes'));
    }
  } finally {
    registry.close();
  }
});

test('event-loop delay is the delay itself: the measuring timer\'s resolution is taken off', async () => {
  const registry = createRegistry({ intervals: false, runtimeMetrics: { window: 500, eventLoopDelayResolution: 50 } });
  try {
    await sleep(1200); // two full windows of an idle loop
    const snap = await registry.collect();
    // Raw, the histogram would read about 50 ms here (resolution plus delay).
    assert.ok(value(snap, 'nodejs_eventloop_lag_p50_seconds') < 0.025, String(value(snap, 'nodejs_eventloop_lag_p50_seconds')));
    assert.ok(value(snap, 'nodejs_eventloop_lag_min_seconds') >= 0);
  } finally {
    registry.close();
  }
});

test('garbage collections are observed by kind', async () => {
  const registry = createRegistry({ intervals: false });
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    await sleep(50);
    const snap = await registry.collect();
    const f = family(snap, 'nodejs_gc_duration_seconds');
    assert.equal(f.type, 'histogram');
    const kinds = f.labelValues[0]!.slice(0, f.size);
    assert.ok(kinds.includes('major'), `kinds seen: ${kinds.join(', ')}`);
    assert.ok(f.type === 'histogram' && f.totals.reduce((a, b) => a + b, 0) >= 1);
  } finally {
    registry.close();
  }
});

test('reading the event-loop delay never resets it: two collects in a row see the same percentiles', async () => {
  const registry = createRegistry({ intervals: false, runtimeMetrics: { window: 100, eventLoopDelayResolution: 1 } });
  try {
    await sleep(250); // at least one full window
    // Two reads within one window (a window is 100 ms; retry if one ended in between).
    let same = false;
    for (let attempt = 0; attempt < 10 && !same; attempt++) {
      const a = await registry.collect();
      const b = await registry.collect();
      same = ['p50', 'p90', 'p99', 'max', 'mean'].every(
        (s) => value(a, `nodejs_eventloop_lag_${s}_seconds`) === value(b, `nodejs_eventloop_lag_${s}_seconds`),
      );
    }
    assert.ok(same, 'two back-to-back collects reported the same window');
  } finally {
    registry.close();
  }
});

test('resource types that are gone are removed, not left at a stale count', async () => {
  const registry = createRegistry({ intervals: false });
  const server = createServer();
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const types = (s: RegistrySnapshot, name: string) => {
      const f = family(s, name);
      return f.labelValues[0]!.slice(0, f.size);
    };
    const open = await registry.collect();
    assert.ok(types(open, 'nodejs_active_resources').includes('TCPServerWrap'));
    assert.ok(types(open, 'nodejs_active_handles').includes('Server'));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sleep(10); // the handle leaves the active list on the next turn of the loop
    const closed = await registry.collect();
    assert.ok(!types(closed, 'nodejs_active_resources').includes('TCPServerWrap'));
    assert.ok(!types(closed, 'nodejs_active_handles').includes('Server'));
  } finally {
    server.close();
    registry.close();
  }
});

test('close() clears every timer the registry and its runtime metrics started', async () => {
  // Unref'd timers do not show in getActiveResourcesInfo(), so follow them with async_hooks:
  // every Timeout created while the registry lives must be destroyed once it is closed.
  const live = new Set<number>();
  let tracking = true;
  const hook = createHook({
    init(id, type) {
      if (tracking && type === 'Timeout') live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  try {
    const registry = createRegistry({ period: 1000, runtimeMetrics: { window: 100 } });
    registry.meter({ name: 'm_total' }).mark();
    await registry.collect();
    assert.ok(live.size >= 3, `timers seen while alive: ${live.size}`);
    registry.close();
    registry.runtime?.stop(); // idempotent
    tracking = false;
    await sleep(50);
    assert.equal(live.size, 0, `timers left after close(): ${live.size}`);
  } finally {
    hook.disable();
  }
});

test('after close() the GC observer no longer records', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const registry = createRegistry({ intervals: false });
  gc();
  await sleep(20);
  registry.close();
  const count = () => {
    const f = family(registry.snapshot(), 'nodejs_gc_duration_seconds');
    return f.type === 'histogram' ? f.totals.reduce((a, b) => a + b, 0) : -1;
  };
  const before = count();
  assert.ok(before >= 1);
  gc();
  gc();
  await sleep(20);
  assert.equal(count(), before);
});

test('runtimeMetrics: false registers nothing; a prefix prefixes every name', async () => {
  const none = createRegistry({ intervals: false, runtimeMetrics: false });
  const prefixed = createRegistry({ intervals: false, runtimeMetrics: { prefix: 'svc_' } });
  try {
    assert.equal((await none.collect()).families.length, 0);
    assert.equal(none.runtime, undefined);
    const names = (await prefixed.collect()).families.map((f) => f.name);
    assert.ok(names.length >= NAMES.length);
    assert.ok(names.every((n) => n.startsWith('svc_')), names.join(', '));
    assert.ok(names.includes('svc_process_cpu_seconds_total'));
  } finally {
    none.close();
    prefixed.close();
  }
});

test('invalid runtime options are refused with INVALID_OPTION naming the option', () => {
  for (const [options, name] of [
    [{ prefix: 3 }, 'prefix'],
    [{ window: 10 }, 'window'],
    [{ eventLoopDelayResolution: 0 }, 'eventLoopDelayResolution'],
  ] as const) {
    assert.throws(() => createRegistry({ intervals: false, runtimeMetrics: options as never }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_OPTION');
      assert.match(e.message, new RegExp(`runtimeMetrics\\.${name}`));
      return true;
    });
  }
  assert.throws(() => createRegistry({ intervals: false, runtimeMetrics: { gcDurationBuckets: [2, 1] } }), { code: 'INVALID_BUCKETS' });
});
