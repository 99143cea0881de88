import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrafficPoint, TrafficWindow } from '../../src/protocol/index.js';
import { codeList, parseRouteArg, routeArg, trafficColumns } from '../../src/ui/pages/traffic-series.js';

const point = (start: number, count: number, p50: number | null): TrafficPoint => ({ start, count, errors: count > 1 ? 1 : 0, p50Ms: p50, p95Ms: p50, p99Ms: p50 });

test('a history becomes one row per window, each at its end, windows without requests as 0 and gaps', () => {
  const c = trafficColumns([point(10_000, 20, 5), point(30_000, 10, 7)], 10_000);
  assert.deepEqual(c.timestamps, [20_000, 30_000, 40_000]);
  assert.deepEqual(c.rps, [2, 0, 1]);
  assert.deepEqual(c.errorsPerSecond, [0.1, 0, 0.1]);
  assert.deepEqual(c.p50, [5, null, 7]);
  assert.deepEqual(trafficColumns([], 10_000).timestamps, []);
});

test('the window still open is the last row, at the node\'s now, when it comes after the history', () => {
  const open: TrafficWindow = { start: 20_000, ms: 4000, count: 8, errors: 2, rps: 2, bytes: 0, p50Ms: 3, p95Ms: 9, p99Ms: 9, maxMs: 9, statusCodes: {} };
  const c = trafficColumns([point(10_000, 20, 5)], 10_000, open);
  assert.deepEqual(c.timestamps, [20_000, 24_000]);
  assert.deepEqual(c.rps, [2, 2]);
  assert.deepEqual(c.errorsPerSecond, [0.1, 0.5]);
  assert.deepEqual(c.p95, [5, 9]);
  assert.equal(trafficColumns([point(20_000, 1, 1)], 10_000, open).timestamps.length, 1, 'not when it is the last point already');
});

test('points far apart span at most 1000 rows, the newest kept', () => {
  const c = trafficColumns([point(0, 1, 1), point(5_000_000, 1, 1)], 1000);
  assert.equal(c.timestamps.length, 1000);
  assert.equal(c.timestamps.at(-1), 5_001_000);
});

test('a route argument is its method and route; anything else names none', () => {
  assert.equal(routeArg('GET', '/users/:id'), 'GET /users/:id');
  assert.deepEqual(parseRouteArg('GET /a b'), { method: 'GET', route: '/a b' });
  for (const bad of [undefined, '', 'GET', ' /x', 'GET ']) assert.equal(parseRouteArg(bad), undefined, String(bad));
  assert.deepEqual(codeList({ '200': 3, '500': 3, '404': 9 }), [['404', 9], ['200', 3], ['500', 3]]);
});
