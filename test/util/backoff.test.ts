import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoff } from '../../src/util/backoff.js';

test('the back-off schedule: retryMinMs doubling to retryMaxMs, jitter within [50 %, 100 %]', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoff(n, 1000, 60_000, 0.999999)).map(Math.round), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  assert.deepEqual([0, 1, 2].map((n) => backoff(n, 1000, 60_000, 0)), [500, 1000, 2000]);
  assert.equal(backoff(1000, 1000, 60_000, 0.5), 45_000, 'no overflow after many failures');
});

test('the client\'s schedule: 500 doubling to 10000', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoff(n, 500, 10_000, 0.999999)).map(Math.round), [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  assert.equal(backoff(1000, 0, 10_000, 0.5), 0, 'a zero minimum stays zero, not NaN');
});
