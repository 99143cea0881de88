import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../../src/metrics/index.js';
import { openMetricsChunks, renderOpenMetrics } from '../../../src/exporters/prometheus/index.js';

test('OpenMetrics: counter families without _total, samples with it, units, canonical le, # EOF last', () => {
  const r = createRegistry({ runtimeMetrics: false, intervals: false });
  try {
    r.counter({ name: 'jobs_total', help: 'Jobs "done"' }).inc(2);
    r.gauge({ name: 'mem_bytes', help: 'Memory\nin use', unit: 'bytes' }).set(1024);
    r.meter({ name: 'sent_bytes_total', help: 'Sent', unit: 'bytes' }).mark(5);
    const t = r.timer({ name: 'op_seconds', help: 'Op', buckets: [0.5, 1, 2.5], labelNames: ['k'] });
    t.observe({ k: 'a"b' }, 0.75);
    t.observe({ k: 'a"b' }, 3);
    assert.equal(
      renderOpenMetrics(r.snapshot()),
      [
        '# HELP jobs Jobs \\"done\\"',
        '# TYPE jobs counter',
        'jobs_total 2',
        '# HELP mem_bytes Memory\\nin use',
        '# TYPE mem_bytes gauge',
        '# UNIT mem_bytes bytes',
        'mem_bytes 1024',
        '# HELP sent_bytes Sent',
        '# TYPE sent_bytes counter',
        '# UNIT sent_bytes bytes',
        'sent_bytes_total 5',
        '# HELP op_seconds Op',
        '# TYPE op_seconds histogram',
        '# UNIT op_seconds seconds',
        'op_seconds_bucket{k="a\\"b",le="0.5"} 0',
        'op_seconds_bucket{k="a\\"b",le="1.0"} 1',
        'op_seconds_bucket{k="a\\"b",le="2.5"} 1',
        'op_seconds_bucket{k="a\\"b",le="+Inf"} 2',
        'op_seconds_sum{k="a\\"b"} 3.75',
        'op_seconds_count{k="a\\"b"} 2',
        '# EOF',
        '',
      ].join('\n'),
    );
  } finally {
    r.close();
  }
});

test('OpenMetrics: a plain histogram without unit, and NaN and infinite gauges', () => {
  const r = createRegistry({ runtimeMetrics: false, intervals: false });
  try {
    r.histogram({ name: 'size', help: 'Sizes', buckets: [1, 10] }).observe(5);
    const g = r.gauge({ name: 'g', help: 'g', labelNames: ['k'] });
    g.set({ k: 'nan' }, NaN);
    g.set({ k: 'inf' }, Infinity);
    g.set({ k: 'ninf' }, -Infinity);
    assert.equal(
      renderOpenMetrics(r.snapshot()),
      [
        '# HELP size Sizes',
        '# TYPE size histogram',
        'size_bucket{le="1.0"} 0',
        'size_bucket{le="10.0"} 1',
        'size_bucket{le="+Inf"} 1',
        'size_sum 5',
        'size_count 1',
        '# HELP g g',
        '# TYPE g gauge',
        'g{k="nan"} NaN',
        'g{k="inf"} +Inf',
        'g{k="ninf"} -Inf',
        '# EOF',
        '',
      ].join('\n'),
    );
  } finally {
    r.close();
  }
});

test('OpenMetrics output of an empty registry is just # EOF, and chunks join to the whole', () => {
  const r = createRegistry({ runtimeMetrics: false, intervals: false });
  try {
    assert.equal(renderOpenMetrics(r.snapshot()), '# EOF\n');
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['i'] });
    for (let i = 0; i < 500; i++) c.inc({ i });
    const snap = r.snapshot();
    const chunks = [...openMetricsChunks(snap, 20)];
    assert.ok(chunks.length > 10);
    const text = chunks.join('');
    assert.equal(text, renderOpenMetrics(snap));
    assert.ok(text.endsWith('\n# EOF\n'));
    assert.equal(text.indexOf('# EOF'), text.length - 6, '# EOF only once, at the end');
  } finally {
    r.close();
  }
});
