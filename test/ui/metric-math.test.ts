import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketQuantile, countsBetween, metricUnit, ratePerSecond } from '../../src/ui/components/metric-math.js';

test('a quantile is interpolated within the bucket that holds it', () => {
  // 10 observations in (1, 2]: the median is half-way.
  assert.equal(bucketQuantile(0.5, [1, 2, 4], [0, 10, 0, 0]), 1.5);
  // 100 observations, 90 in (0, 0.05], 10 in (0.5, 1]: p50 low, p99 high.
  const counts = [0, 90, 0, 0, 10, 0];
  const bounds = [0.01, 0.05, 0.1, 0.5, 1];
  assert.ok(Math.abs(bucketQuantile(0.5, bounds, counts) - (0.01 + 0.04 * (50 / 90))) < 1e-12);
  assert.ok(Math.abs(bucketQuantile(0.99, bounds, counts) - 0.95) < 1e-12);
  // The first bucket starts at 0.
  assert.equal(bucketQuantile(0.5, [10, 20], [4, 0, 0]), 5);
});

test('a quantile in the +Inf bucket is the largest finite bound, and no observations give NaN', () => {
  assert.equal(bucketQuantile(0.99, [1, 2], [1, 0, 99]), 2);
  assert.ok(Number.isNaN(bucketQuantile(0.5, [1, 2], [0, 0, 0])));
});

test('counts between two readings, undefined after a reset', () => {
  assert.deepEqual(countsBetween([1, 2, 3], [4, 2, 5]), [3, 0, 2]);
  assert.equal(countsBetween([5, 2], [1, 2]), undefined);
});

test('a rate per second from readings, NaN first and across a reset', () => {
  const r = ratePerSecond([0, 2000, 4000, 5000], [10, 20, 5, 15]);
  assert.ok(Number.isNaN(r[0]!));
  assert.equal(r[1], 5);
  assert.ok(Number.isNaN(r[2]!));
  assert.equal(r[3], 10);
});

test('units come from the unit field or the name suffix; _total counters chart as a rate', () => {
  assert.equal(metricUnit({ name: 'http_request_duration_seconds', type: 'histogram', unit: '' }).kind, 'ms');
  assert.equal(metricUnit({ name: 'http_request_duration_seconds', type: 'histogram', unit: '' }).factor, 1000);
  assert.equal(metricUnit({ name: 'process_resident_memory_bytes', type: 'gauge', unit: '' }).format(1048576), '1.0 MiB');
  const sent = metricUnit({ name: 'sent_bytes_total', type: 'counter', unit: '' });
  assert.equal(sent.rate, true);
  assert.equal(sent.kind, 'bytesPerSecond');
  assert.equal(sent.format(2048), '2.0 KiB', 'a reading is the running total');
  assert.equal(sent.chartFormat(2048), '2.0 KiB/s', 'the chart is the rate');
  assert.equal(metricUnit({ name: 'requests_total', type: 'counter', unit: '' }).name, 'per second');
  assert.equal(metricUnit({ name: 'cache', type: 'gauge', unit: 'bytes' }).kind, 'bytes');
  assert.equal(metricUnit({ name: 'queue_length', type: 'gauge', unit: '' }).kind, 'count');
});

test('a gauge of a moment (process_start_time_seconds) reads as a date, not as a duration of 56 years', () => {
  const u = metricUnit({ name: 'process_start_time_seconds', type: 'gauge', unit: '' });
  assert.match(u.format(1_796_152_657), /^2026-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(metricUnit({ name: 'nodejs_gc_duration_seconds', type: 'gauge', unit: '' }).format(90), '1 min 30 s', 'a duration stays one');
});
