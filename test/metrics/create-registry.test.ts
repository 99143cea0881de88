import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Registry, createRegistry } from '../../src/metrics/index.js';

test('createRegistry starts the runtime metrics unless runtimeMetrics: false; close() stops them', () => {
  const on = createRegistry({ runtimeMetrics: { prefix: 'rt_' } });
  try {
    assert.ok(on.runtime !== undefined);
    assert.ok(on.runtime.metrics.length > 5);
    assert.ok(on.metric('rt_process_cpu_user_seconds_total') !== undefined, 'the runtime metrics are in the registry, with the prefix');
  } finally {
    on.close();
  }
  const off = createRegistry({ runtimeMetrics: false });
  try {
    assert.equal(off.runtime, undefined);
    assert.equal(off.metric('process_cpu_user_seconds_total'), undefined);
  } finally {
    off.close();
  }
});

test('the registry itself starts no runtime metrics: new Registry() has none, whatever its options', () => {
  const r = new Registry({ runtimeMetrics: true });
  try {
    assert.equal(r.runtime, undefined);
    assert.equal(r.metrics().length, 0);
  } finally {
    r.close();
  }
});

test('bad runtime options throw from createRegistry, naming the option', () => {
  assert.throws(() => createRegistry({ runtimeMetrics: { window: 5 } }), { code: 'INVALID_OPTION', message: /runtimeMetrics\.window/ });
});

test('registry.ts does not import the runtime metrics (they import the registry)', () => {
  const source = readFileSync(new URL('../../src/metrics/registry.ts', import.meta.url), 'utf8');
  for (const line of source.split('\n').filter((l) => l.startsWith('import'))) {
    assert.ok(!/runtime\/(index|[a-z-]+)\.js'/.test(line) || /runtime\/types\.js'/.test(line), line);
  }
});

test('a metric registered again with other help or unit is the first one: only type, labels and buckets conflict', () => {
  const r = new Registry({ intervals: false });
  try {
    const a = r.gauge({ name: 'size_bytes', help: 'first', unit: 'bytes' });
    assert.equal(r.gauge({ name: 'size_bytes', help: 'second' }), a);
    assert.equal(a.help, 'first');
    assert.throws(() => r.counter({ name: 'size_bytes' }), { code: 'METRIC_CONFLICT' });
  } finally {
    r.close();
  }
});
