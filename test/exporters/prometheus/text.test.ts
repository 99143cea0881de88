import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, type Registry } from '../../../src/metrics/index.js';
import { renderText, textChunks } from '../../../src/exporters/prometheus/index.js';

function registry(): Registry {
  return createRegistry({ runtimeMetrics: false, intervals: false });
}

test('counters, gauges and meters render exactly, each family under one HELP and TYPE', () => {
  const r = registry();
  try {
    r.counter({ name: 'jobs', help: 'Jobs done' }).inc(3);
    const req = r.counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method', 'code'] });
    req.inc({ method: 'GET', code: 200 }, 2);
    req.inc({ method: 'POST', code: 500 });
    const g = r.gauge({ name: 'temp', help: 'Temperature', labelNames: ['room'] });
    g.set({ room: 'a' }, NaN);
    g.set({ room: 'b' }, Infinity);
    g.set({ room: 'c' }, -Infinity);
    g.set({ room: 'd' }, -1.5e-7);
    r.meter({ name: 'bytes_sent_total', help: 'Bytes sent' }).mark(1e21);
    r.counter({ name: 'app.http.requests', help: 'Dotted' }).inc();
    assert.equal(
      renderText(r.snapshot()),
      [
        '# HELP jobs_total Jobs done',
        '# TYPE jobs_total counter',
        'jobs_total 3',
        '# HELP http_requests_total Requests',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",code="200"} 2',
        'http_requests_total{method="POST",code="500"} 1',
        '# HELP temp Temperature',
        '# TYPE temp gauge',
        'temp{room="a"} NaN',
        'temp{room="b"} +Inf',
        'temp{room="c"} -Inf',
        'temp{room="d"} -1.5e-7',
        '# HELP bytes_sent_total Bytes sent',
        '# TYPE bytes_sent_total counter',
        'bytes_sent_total 1e+21',
        '# HELP app_http_requests_total Dotted',
        '# TYPE app_http_requests_total counter',
        'app_http_requests_total 1',
        '',
      ].join('\n'),
    );
  } finally {
    r.close();
  }
});

test('histograms and timers render cumulative buckets ending in +Inf, then _sum and _count', () => {
  const r = registry();
  try {
    const h = r.histogram({ name: 'size_bytes', help: 'Sizes', buckets: [10, 100], labelNames: ['k'] });
    for (const v of [1, 50, 50, 1000]) h.observe({ k: 'x' }, v);
    r.timer({ name: 'op_seconds', help: 'Op', buckets: [0.5] }).observe(0.25);
    assert.equal(
      renderText(r.snapshot()),
      [
        '# HELP size_bytes Sizes',
        '# TYPE size_bytes histogram',
        'size_bytes_bucket{k="x",le="10"} 1',
        'size_bytes_bucket{k="x",le="100"} 3',
        'size_bytes_bucket{k="x",le="+Inf"} 4',
        'size_bytes_sum{k="x"} 1101',
        'size_bytes_count{k="x"} 4',
        '# HELP op_seconds Op',
        '# TYPE op_seconds histogram',
        'op_seconds_bucket{le="0.5"} 1',
        'op_seconds_bucket{le="+Inf"} 1',
        'op_seconds_sum 0.25',
        'op_seconds_count 1',
        '',
      ].join('\n'),
    );
  } finally {
    r.close();
  }
});

test('HELP escapes backslash and line feed; label values also escape the double quote', () => {
  const r = registry();
  try {
    const c = r.counter({ name: 'x_total', help: 'a \\ b\nc "quoted"', labelNames: ['v'] });
    c.inc({ v: 'back\\slash "q"\nnew line é 日本' });
    assert.equal(
      renderText(r.snapshot()),
      [
        '# HELP x_total a \\\\ b\\nc "quoted"',
        '# TYPE x_total counter',
        'x_total{v="back\\\\slash \\"q\\"\\nnew line é 日本"} 1',
        '',
      ].join('\n'),
    );
  } finally {
    r.close();
  }
});

test('label sets that prom-client merges render as two distinct lines', () => {
  const r = registry();
  try {
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['a', 'b'] });
    c.inc({ a: '1,b:2', b: '' });
    c.inc({ a: '1', b: '2' });
    const lines = renderText(r.snapshot()).split('\n').filter((l) => l.startsWith('x_total{'));
    assert.deepEqual(lines, ['x_total{a="1,b:2",b=""} 1', 'x_total{a="1",b="2"} 1']);
  } finally {
    r.close();
  }
});

test('an empty labelled family shows only HELP and TYPE', () => {
  const r = registry();
  try {
    r.counter({ name: 'x_total', help: 'x', labelNames: ['a'] });
    assert.equal(renderText(r.snapshot()), '# HELP x_total x\n# TYPE x_total counter\n');
  } finally {
    r.close();
  }
});

test('the overflow series renders with its own label and its count is exposed', () => {
  const r = registry();
  try {
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['user'], maxSeries: 2 });
    c.inc({ user: 'a' });
    c.inc({ user: 'b' });
    c.inc({ user: 'c' });
    c.inc({ user: 'd' });
    const text = renderText(r.snapshot());
    assert.match(text, /^x_total\{wobserver_overflow="true"\} 2$/m);
    assert.match(text, /^wobserver_series_overflow_total\{metric="x_total"\} 2$/m);
  } finally {
    r.close();
  }
});

test('rendering in chunks gives the same text, split into several pieces', () => {
  const r = registry();
  try {
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['i'] });
    for (let i = 0; i < 1000; i++) c.inc({ i });
    const h = r.histogram({ name: 'h', help: 'h', labelNames: ['i'] });
    for (let i = 0; i < 100; i++) h.observe({ i }, i / 100);
    const snap = r.snapshot();
    const chunks = [...textChunks(snap, 10)];
    assert.ok(chunks.length > 50, String(chunks.length));
    assert.equal(chunks.join(''), renderText(snap));
    assert.equal(renderText(snap).split('\n').filter((l) => l.startsWith('x_total{')).length, 1000);
  } finally {
    r.close();
  }
});

test('rendering is a pure function of the snapshot: later updates and removals do not change it', () => {
  const r = registry();
  try {
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['k'] });
    c.inc({ k: 'a' });
    c.inc({ k: 'b' });
    const snap = r.snapshot();
    const first = renderText(snap);
    c.remove({ k: 'a' });
    c.inc({ k: 'z' }, 5);
    assert.equal(renderText(snap), first);
    assert.notEqual(renderText(r.snapshot()), first);
  } finally {
    r.close();
  }
});
