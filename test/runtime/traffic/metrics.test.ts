// The traffic metrics on a registry: express-prom-bundle's names, labels and buckets, checked
// against the same histogram built with the real prom-client; outbound; removal and conflicts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import promClient from 'prom-client';
import { renderText } from '../../../src/exporters/prometheus/text.js';
import { type Registry, createRegistry } from '../../../src/metrics/index.js';
import {
  INBOUND_BUCKETS,
  INBOUND_METRIC,
  OUTBOUND_ERRORS_METRIC,
  OUTBOUND_METRIC,
  TrafficTracker,
  registerTrafficMetrics,
} from '../../../src/runtime/traffic/index.js';
import { close, closedPort, get, listen, settled, waitAtLeast } from './helpers.js';

/**
 * The lines of one metric family in a Prometheus text exposition, each sample's labels sorted:
 * a label set is a set (prom-client writes `le` first, wobserver last), what Prometheus stores is the same.
 */
function family(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_`) || l.startsWith(`${name}{`) || l.includes(` ${name} `))
    .map((l) => {
      const m = /^([^{\s]+)\{(.*)\} (\S+)$/.exec(l);
      if (m === null) return l;
      const labels = m[2]!.match(/[a-z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
      return `${m[1]}{${labels.sort().join(',')}} ${m[3]}`;
    });
}

function bare(): Registry {
  return createRegistry({ runtimeMetrics: false, intervals: true });
}

test('http_request_duration_seconds is exposed exactly as express-prom-bundle\'s histogram (includeMethod, includePath) in prom-client', async () => {
  // express-prom-bundle v8 (src/index.js): labels status_code, method, path; its buckets and help text.
  const prom = new promClient.Registry();
  const theirs = new promClient.Histogram({
    name: 'http_request_duration_seconds',
    help: 'duration histogram of http responses labeled with: status_code, method, path',
    labelNames: ['status_code', 'method', 'path'],
    buckets: [0.003, 0.03, 0.1, 0.3, 1.5, 10],
    registers: [prom],
  });
  theirs.observe({ status_code: 200, method: 'GET', path: '/users/:id' }, 0.05);
  theirs.observe({ status_code: 404, method: 'GET', path: '/nothing' }, 0.002);

  const registry = bare();
  const metrics = registerTrafficMetrics(registry);
  try {
    metrics.inbound('200', 'GET', '/users/:id').observe(0.05);
    metrics.inbound('404', 'GET', '/nothing').observe(0.002);
    const ours = family(renderText(registry.snapshot()), INBOUND_METRIC);
    const expected = family(await prom.metrics(), 'http_request_duration_seconds');
    assert.ok(expected.length > 10, expected.join('\n'));
    assert.deepEqual(ours, expected);
  } finally {
    metrics.remove();
    registry.close();
  }
});

test('served requests reach the histogram with their route template, method and status code', async () => {
  const registry = bare();
  const tracker = new TrafficTracker();
  const remove = tracker.registerMetrics(registry);
  tracker.start();
  const app = express();
  app.get('/users/:id', async (_req, res) => {
    await waitAtLeast(50);
    res.send('u');
  });
  const server = createServer(app);
  const origin = await listen(server);
  try {
    await get(`${origin}/users/1`);
    await get(`${origin}/users/2`);
    await get(`${origin}/missing`);
    await settled(tracker, 3);
    const text = renderText(registry.snapshot());
    const labels = 'status_code="200",method="GET",path="/users/:id"';
    assert.match(text, new RegExp(`^http_request_duration_seconds_count\\{${labels}\\} 2$`, 'm'));
    // 50 ms or more: above the 0.03 bucket, within the 0.1 one.
    assert.match(text, new RegExp(`^http_request_duration_seconds_bucket\\{${labels},le="0.03"\\} 0$`, 'm'));
    assert.match(text, new RegExp(`^http_request_duration_seconds_bucket\\{${labels},le="0.1"\\} 2$`, 'm'));
    assert.match(text, /^http_request_duration_seconds_count\{status_code="404",method="GET",path="\/missing"\} 1$/m);
    const sum = Number(/^http_request_duration_seconds_sum\{status_code="200",method="GET",path="\/users\/:id"\} (\S+)$/m.exec(text)?.[1]);
    assert.ok(sum >= 0.1 && sum < 1, `sum ${sum}`);
    // The interval store has the route's percentiles too: what the page's history is drawn from.
    const closed = await registry.closeInterval(registry.openIntervalStart + registry.period);
    const family = closed?.families.find((f) => f.name === INBOUND_METRIC);
    assert.ok(family !== undefined);
    const i = family.labelValues[family.labelNames.indexOf('path')]!.indexOf('/users/:id');
    assert.ok(family.columns.p50![i]! >= 0.05, `p50 ${family.columns.p50![i]}`);
    assert.equal(family.columns.count![i], 2);
  } finally {
    tracker.close();
    remove();
    await close(server);
    registry.close();
  }
  assert.equal(registry.metric(INBOUND_METRIC), undefined, 'the remover unregistered it');
});

test('outbound: the duration histogram per status code, method and host, and failures by code', async () => {
  const registry = bare();
  const tracker = new TrafficTracker({ ignore: () => true });
  const remove = tracker.registerMetrics(registry);
  tracker.start();
  const server = createServer((_req, res) => void res.end('ok'));
  const origin = await listen(server);
  const host = new URL(origin).host;
  const refused = `127.0.0.1:${await closedPort()}`;
  try {
    await (await fetch(`${origin}/a`)).text();
    await fetch(`http://${refused}/`, { method: 'POST', body: 'x' }).catch(() => undefined);
    for (let i = 0; i < 200 && tracker.info().outbound.totals.count < 2; i++) await sleep(5);
    const text = renderText(registry.snapshot());
    assert.match(text, new RegExp(`^${OUTBOUND_METRIC}_count\\{status_code="200",method="GET",host="${host}"\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^${OUTBOUND_ERRORS_METRIC}\\{code="ECONNREFUSED",method="POST",host="${refused}"\\} 1$`, 'm'));
  } finally {
    tracker.close();
    remove();
    await close(server);
    registry.close();
  }
});

test('registerMetrics is counted per registry: the metrics go when the last caller removes them', () => {
  const registry = bare();
  const tracker = new TrafficTracker();
  const first = tracker.registerMetrics(registry);
  const second = tracker.registerMetrics(registry);
  assert.notEqual(registry.metric(INBOUND_METRIC), undefined);
  first();
  first();
  assert.notEqual(registry.metric(INBOUND_METRIC), undefined, 'one caller still holds them');
  second();
  assert.equal(registry.metric(INBOUND_METRIC), undefined);
  assert.equal(registry.metric(OUTBOUND_METRIC), undefined);
  assert.equal(registry.metric(OUTBOUND_ERRORS_METRIC), undefined);
  registry.close();
});

test('a registry that has http_request_duration_seconds of its own is left alone', () => {
  const registry = bare();
  const own = registry.histogram({ name: INBOUND_METRIC, labelNames: ['status_code', 'method', 'path'], buckets: INBOUND_BUCKETS });
  assert.throws(() => registerTrafficMetrics(registry), { code: 'METRIC_CONFLICT' });
  assert.equal(registry.metric(OUTBOUND_METRIC), undefined, 'nothing else registered');
  const tracker = new TrafficTracker();
  process.on('warning', noop);
  try {
    const remove = tracker.registerMetrics(registry);
    assert.equal(tracker.info().faults.internal, 1);
    assert.match(tracker.info().faults.lastMessage ?? '', /already registered/);
    remove();
    assert.equal(registry.metric(INBOUND_METRIC), own, 'the application\'s metric stays');
  } finally {
    process.off('warning', noop);
    registry.close();
  }
});

function noop(): void {}

test('routes past maxRoutes are labelled path="(overflow)" in the histogram too', async () => {
  const registry = bare();
  const tracker = new TrafficTracker({ maxRoutes: 1 });
  const remove = tracker.registerMetrics(registry);
  tracker.start();
  const server = createServer((_req, res) => void res.end());
  const origin = await listen(server);
  try {
    await get(`${origin}/first`);
    await get(`${origin}/second`);
    await get(`${origin}/third`);
    await settled(tracker, 3);
    const text = renderText(registry.snapshot());
    assert.match(text, /^http_request_duration_seconds_count\{status_code="200",method="GET",path="\/first"\} 1$/m);
    assert.match(text, /^http_request_duration_seconds_count\{status_code="200",method="GET",path="\(overflow\)"\} 2$/m);
    assert.doesNotMatch(text, /path="\/second"/);
  } finally {
    tracker.close();
    remove();
    await close(server);
    registry.close();
  }
});
