import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/metrics/index.js';
import { LineWriter, familyLines, familyNames, writeFamilyLines } from '../../src/reporters/graphite/lines.js';
import { asciiSegmentLength, decodeSegment, encodeSegment, seriesPath, writeAsciiSegment } from '../../src/reporters/graphite/path.js';
import { Outbox } from '../../src/reporters/outbox.js';

test('a segment keeps plain names, escapes everything else, and decodes back: one-to-one', () => {
  assert.equal(encodeSegment('GET'), 'GET');
  assert.equal(encodeSegment('http_requests_total'), 'http_requests_total');
  assert.equal(encodeSegment('/users/:id'), '-2Fusers-2F-3Aid');
  assert.equal(encodeSegment('us-east-1'), 'us--east--1');
  assert.equal(encodeSegment('a.b'), 'a-2Eb');
  assert.equal(encodeSegment(''), '-');
  assert.equal(encodeSegment('é'), '-C3-A9');
  const samples = ['', '-', '--', '-2F', '/', 'a b', 'a_b', 'a-b', 'a.b', 'a;b=c~d', 'ü', '😀', '%2F', '\n', 'x'.repeat(50)];
  for (let i = 0; i < 2000; i++) samples.push(Array.from({ length: 1 + (i % 7) }, (_, j) => String.fromCharCode(32 + ((i * 31 + j * 17) % 95))).join(''));
  const seen = new Map<string, string>();
  for (const s of samples) {
    const e = encodeSegment(s);
    assert.match(e, /^[A-Za-z0-9_-]+$/, `only safe characters for ${JSON.stringify(s)}`);
    assert.equal(decodeSegment(e), s);
    const other = seen.get(e);
    assert.ok(other === undefined || other === s, `${JSON.stringify(s)} and ${JSON.stringify(other)} share ${e}`);
    seen.set(e, s);
  }
});

test('paths: label values as segments, or as Graphite tags', () => {
  assert.equal(seriesPath(['app'], 'http_requests_total', ['method', 'route'], ['GET', '/a'], 'segments'), 'app.http_requests_total.GET.-2Fa');
  assert.equal(seriesPath([], 'http_requests_total', ['method', 'route'], ['GET', '/a;b'], 'tags'), 'http_requests_total;method=GET;route=-2Fa-3Bb');
  assert.equal(seriesPath([], 'db.query.time', [], [], 'segments'), 'db.query.time');
});

test('each type sends its values at the interval start; a name that extends a labelled one is flattened', async () => {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 10_000, clock: () => now });
  try {
    registry.counter({ name: 'hits_total', labelNames: ['route'] }).inc({ route: '/a' }, 3);
    registry.gauge({ name: 'temp', intervalStats: true }).set(5);
    registry.histogram({ name: 'lat', buckets: [1, 2] }).observe(1.5);
    registry.meter({ name: 'events' }).mark(2);
    registry.counter({ name: 'hits_total.extra' }).inc(1);
    registry.counter({ name: 'db.calls' }).inc(4);
    registry.counter({ name: 'db.calls.errors' }).inc(1);
    now += 10_000;
    const interval = (await registry.closeInterval(now))!;
    const names = familyNames(interval.families);
    assert.deepEqual(names.get('hits_total.extra'), ['hits_total-2Eextra'], 'would meet hits_total.<route>');
    assert.deepEqual(names.get('db.calls.errors'), ['db', 'calls', 'errors'], 'db.calls has one path only: no meeting');
    const lines = interval.families.flatMap((f) => familyLines(f, names.get(f.name)!, interval, { prefix: ['p'], labels: 'segments' }));
    const ts = Math.floor(interval.start / 1000);
    for (const l of ['p.hits_total.-2Fa 3', 'p.temp 5', 'p.temp.min 5', 'p.temp.max 5', 'p.temp.mean 5', 'p.lat.count 1', 'p.lat.sum 1.5', 'p.events.count 2', 'p.hits_total-2Eextra 1', 'p.db.calls 4', 'p.db.calls.errors 1']) {
      assert.ok(lines.includes(`${l} ${ts}\n`), `${l} in ${lines.join('')}`);
    }
    assert.ok(lines.some((l) => l.startsWith('p.lat.p99 ')));
    assert.ok(lines.every((l) => /^[\w.-]+ -?[\d.e+-]+ \d+\n$/.test(l)), 'plaintext protocol lines');
  } finally {
    registry.close();
  }
});

test('an ASCII value written in place has the same bytes and length as its encoded string; other values say so', () => {
  const samples = ['', '-', 'us-east-1', '/users/:id', 'a.b;c=d~e', 'x'.repeat(40), ' \t\u007f'];
  for (let c = 0; c < 128; c++) samples.push(String.fromCharCode(c));
  for (const v of samples) {
    const out = new Uint8Array(4 * v.length + 1);
    const end = writeAsciiSegment(v, out, 0);
    assert.equal(Buffer.from(out.subarray(0, end)).toString('latin1'), encodeSegment(v), JSON.stringify(v));
    assert.equal(asciiSegmentLength(v), end);
  }
  assert.equal(asciiSegmentLength('é'), -1);
  assert.equal(asciiSegmentLength('a😀'), -1);
});

test('lines written into blocks: the same bytes as path, value and timestamp joined, never a line across two blocks', async () => {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 10_000, clock: () => now });
  try {
    const values = ['GET', 'us-east-1', '/a;b=c', 'é', '😀 x', '', 'x'.repeat(120)];
    const c = registry.counter({ name: 'hits_total', labelNames: ['route', 'zone'] });
    values.forEach((v, i) => c.inc({ route: v, zone: values[(i + 1) % values.length]! }, i + 0.5));
    registry.histogram({ name: 'lat', labelNames: ['op'], buckets: [1] }).observe({ op: 'read-1' }, 2);
    now += 10_000;
    const interval = (await registry.closeInterval(now))!;
    const names = familyNames(interval.families);
    const ts = Math.floor(interval.start / 1000);
    for (const labels of ['segments', 'tags'] as const) {
      const o = { prefix: ['app', 'n-1'], labels }; // the prefix comes encoded already
      // The reference, built from seriesPath: one string per line.
      const expected: string[] = [];
      const hits = interval.families.find((f) => f.name === 'hits_total')!;
      for (let i = 0; i < hits.size; i++) {
        const path = seriesPath(o.prefix, 'hits_total', hits.labelNames, hits.labelValues.map((col) => col[i]!), labels);
        expected.push(`${path} ${hits.columns.value![i]} ${ts}\n`);
      }
      // Blocks far smaller than the data, one smaller than the longest line: every block holds whole lines.
      for (const blockBytes of [64, 200, 64 * 1024]) {
        const blocks: { data: Buffer; count: number }[] = [];
        const w = new LineWriter(blockBytes, (data, count) => blocks.push({ data: Buffer.from(data), count }));
        assert.equal(writeFamilyLines(hits, names.get('hits_total')!, interval, o, w, 0, 3), 3);
        assert.equal(writeFamilyLines(hits, names.get('hits_total')!, interval, o, w, 3), hits.size - 3);
        w.finish();
        for (const b of blocks) {
          assert.ok(b.data.at(-1) === 0x0a, 'a block ends with a line');
          assert.equal(b.count, b.data.toString('latin1').split('\n').length - 1, 'a block counts its lines');
          assert.ok(b.data.length <= blockBytes || b.count === 1, 'only a line longer than a block has a block of its own');
        }
        assert.equal(Buffer.concat(blocks.map((b) => b.data)).toString('latin1'), expected.join(''), `${labels}, blocks of ${blockBytes}`);
      }
      // A histogram's statistics: the suffix before the tags.
      const lat = familyLines(interval.families.find((f) => f.name === 'lat')!, names.get('lat')!, interval, o);
      assert.ok(lat.includes(labels === 'tags' ? `app.n-1.lat.count;op=read--1 1 ${ts}\n` : `app.n-1.lat.read--1.count 1 ${ts}\n`), lat.join(''));
    }
  } finally {
    registry.close();
  }
});

test('what a writer keeps after finish goes on in the same block: nothing is lost between intervals', () => {
  const blocks: string[] = [];
  const w = new LineWriter(32, (data, count) => blocks.push(`${count}:${data.toString('latin1')}`));
  for (const line of ['a 1 1\n', 'b 2 1\n']) w.start(line.length), w.put(line), w.end();
  w.finish();
  w.finish();
  for (const line of ['c 3 2\n', 'd'.repeat(40) + '\n']) w.start(line.length), w.put(line), w.end();
  w.finish();
  assert.deepEqual(blocks, ['2:a 1 1\nb 2 1\n', '1:c 3 2\n', `1:${'d'.repeat(40)}\n`], 'an empty finish sends nothing');
});

/** Lines as the outbox keeps them. */
const B = (s: string): Buffer => Buffer.from(s);

test('the outbox keeps order, takes by bytes, and past its bounds drops the oldest and counts them exactly', () => {
  const box = new Outbox(5, 60_000);
  box.push(B('a\nb\n'), 2, 0);
  box.push(B('c\n'), 1, 0);
  const t = box.take(4)!;
  assert.equal(t.data.toString(), 'a\nb\n', 'whole runs while they fit');
  assert.equal(t.count, 2);
  box.putBack(t, 1);
  box.push(B('d\ne\nf\ng\n'), 4, 2);
  assert.equal(box.size, 5);
  assert.equal(box.dropped, 2, 'a and b, the oldest');
  assert.equal(box.take(1000)!.data.toString(), 'c\nd\ne\nf\ng\n');
  assert.equal(box.take(1000), undefined);
  const aged = new Outbox(100, 1000);
  aged.push(B('old\n'), 1, 0);
  aged.push(B('new\n'), 1, 1500);
  assert.equal(aged.dropped, 1);
  assert.equal(aged.take(4)!.data.toString(), 'new\n');
  assert.equal(aged.size, 0);
});

test('the outbox cuts a run larger than a chunk at line ends, a re-queued one too', () => {
  const box = new Outbox(1000, 60_000);
  const lines = Array.from({ length: 100 }, (_, i) => `m.${String(i).padStart(3, '0')} 1 1\n`);
  box.push(B(lines.join('')), 100, 0);
  const first = box.take(100)!;
  assert.ok(first.data.toString().length <= 100, `a chunk of ${first.data.toString().length} bytes`);
  assert.equal(first.count, first.data.toString().split('\n').length - 1);
  box.sent(first, 1, 0);
  const rest: string[] = [];
  for (let c = box.take(100); c !== undefined; c = box.take(100)) {
    box.sent(c, 1, 0);
    rest.push(c.data.toString());
  }
  assert.equal(first.data.toString() + rest.join(''), lines.join(''), 'every line once, in order');
  assert.equal(box.unconfirmed, 100);
  // The connection dies: everything in its window comes back, and goes out in chunks again.
  assert.equal(box.requeue(1, 1), 100);
  assert.equal(box.size, 100);
  const again = box.take(100)!;
  assert.ok(again.data.toString().length <= 100 && again.written, 're-queued points are chunked like any others');
  // A single line longer than the chunk still goes, alone.
  const long = new Outbox(10, 60_000);
  long.push(B(`${'x'.repeat(300)} 1 1\nshort 1 1\n`), 2, 0);
  assert.equal(long.take(100)!.count, 1);
  assert.equal(long.take(100)!.data.toString(), 'short 1 1\n');
});

test('the outbox bound gives up the resend window first, and counts written points apart from never-written ones', () => {
  const box = new Outbox(4, 60_000);
  box.push(B('a\nb\n'), 2, 0);
  box.sent(box.take(1000)!, 1, 0);
  assert.equal(box.release(1, 1000, 500), 0, 'not yet outlived');
  box.push(B('c\nd\ne\n'), 3, 1);
  assert.deepEqual([box.unconfirmed, box.size, box.dropped, box.droppedUnconfirmed], [1, 3, 0, 1], 'a gave way: it was written, it may have arrived');
  assert.equal(box.requeue(1, 2), 1, 'b goes again');
  box.push(B('f\n'), 1, 3);
  assert.deepEqual([box.size, box.dropped, box.droppedUnconfirmed], [4, 0, 2], 'b, re-queued, was dropped as unconfirmed');
  box.push(B('g\n'), 1, 4);
  assert.deepEqual([box.dropped, box.droppedUnconfirmed], [1, 2], 'c was never written: dropped');
  box.sent(box.take(1000)!, 2, 10);
  box.restartWindow(900);
  assert.equal(box.release(2, 1000, 1800), 0, 'a stall restarts the window');
  assert.equal(box.release(3, 1000, 5000), 0, 'only the live connection lets go of its points');
  assert.equal(box.release(2, 1000, 1900), 4, 'outlived by the window: delivered');
  assert.equal(box.unconfirmed, 0);
});
