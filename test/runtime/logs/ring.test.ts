import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLevel } from '../../../src/protocol/logs.js';
import { type Entry, LogRing, MAX_SCAN } from '../../../src/runtime/logs/ring.js';

/** An entry of `size` bytes (its message is that many ASCII characters, at least its label). */
function entry(message: string, size = message.length, level: LogLevel | null = 'info'): Entry {
  return { seq: 0, time: 1, level, source: 'console', message, fields: null, request: null, truncated: false, size };
}

test('the ring bounded by lines drops the oldest first and counts each line and byte it dropped', () => {
  const ring = new LogRing(3, 1_000_000);
  for (const m of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) ring.add(entry(m));
  const s = ring.state();
  assert.deepEqual(ring.since(0).lines.map((l) => l.message), ['ccc', 'dddd', 'eeeee']);
  assert.deepEqual([s.firstSeq, s.lastSeq, s.lines, s.bytes, s.droppedLines, s.droppedBytes], [3, 5, 3, 12, 2, 3]);
});

test('the ring bounded by bytes drops as many of the oldest as the new line needs, and counts them exactly', () => {
  const ring = new LogRing(100, 10);
  ring.add(entry('1', 4));
  ring.add(entry('2', 3));
  ring.add(entry('3', 3));
  assert.equal(ring.state().bytes, 10);
  ring.add(entry('4', 6));
  // 10 + 6 > 10: the 4- and the first 3-byte lines go (3 + 6 fits the bound at 9).
  assert.deepEqual(ring.since(0).lines.map((l) => [l.seq, l.message]), [[3, '3'], [4, '4']]);
  const s = ring.state();
  assert.deepEqual([s.bytes, s.droppedLines, s.droppedBytes, s.firstSeq], [9, 2, 7, 3]);
  // A line bigger than the whole ring is dropped alone, without a seq.
  ring.add(entry('huge', 11));
  assert.deepEqual([ring.state().lastSeq, ring.state().droppedLines, ring.state().droppedBytes, ring.state().lines], [4, 3, 18, 2]);
  ring.add(entry('5', 1));
  assert.deepEqual(ring.since(2).lines.map((l) => l.seq), [3, 4, 5]);
});

test('the ring keeps the same lines as a plain list trimmed from its front, while it grows, wraps and shrinks by bytes', () => {
  const ring = new LogRing(7, 40);
  const model: { seq: number; size: number }[] = [];
  let dropped = 0;
  let droppedBytes = 0;
  // A fixed pseudo-random run of sizes 1..15 (bytes often bind before lines do, and then not).
  let x = 12345;
  for (let i = 1; i <= 500; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (x % 15);
    ring.add(entry(`m${i}`, size));
    model.push({ seq: i, size });
    while (model.length > 7 || model.reduce((a, b) => a + b.size, 0) > 40) {
      droppedBytes += model.shift()!.size;
      dropped++;
    }
    const lines = ring.since(0).lines;
    assert.deepEqual(lines.map((l) => l.seq), model.map((m) => m.seq), `after ${i}`);
    assert.deepEqual(lines.map((l) => l.message), model.map((m) => `m${m.seq}`));
    const st = ring.state();
    assert.deepEqual([st.bytes, st.droppedLines, st.droppedBytes], [model.reduce((a, b) => a + b.size, 0), dropped, droppedBytes], `after ${i}`);
  }
});

test('since() filters by minimum level (leaving out lines of unknown level) and by a search in message or fields, ignoring case', () => {
  const ring = new LogRing(100, 1_000_000);
  ring.add(entry('debug thing', undefined, 'debug'));
  ring.add(entry('Warn Timeout', undefined, 'warn'));
  ring.add(entry('bare timeout', undefined, null));
  ring.add({ ...entry('error x', undefined, 'error'), fields: '{"cause":"TIMEOUT"}' });
  ring.add(entry('a.b*c', undefined, 'info'));
  assert.deepEqual(ring.since(0, { level: 'warn' }).lines.map((l) => l.message), ['Warn Timeout', 'error x']);
  assert.deepEqual(ring.since(0, { search: 'timeout' }).lines.map((l) => l.message), ['Warn Timeout', 'bare timeout', 'error x']);
  assert.deepEqual(ring.since(0, { search: 'b*c' }).lines.map((l) => l.message), ['a.b*c'], 'the search is text, not a pattern');
  assert.deepEqual(ring.since(0, { level: 'error', search: 'timeout' }).lines[0]?.fields, { cause: 'TIMEOUT' });
});

test('since() pages by limit with next and more, reads the tail without a seq, and counts lines a slow reader missed', () => {
  const ring = new LogRing(10, 1_000_000);
  for (let i = 1; i <= 25; i++) ring.add(entry(`m${i}`));
  const tail = ring.since(undefined, { limit: 3 });
  assert.deepEqual(tail.lines.map((l) => l.seq), [23, 24, 25]);
  assert.equal(tail.next, 25);
  const first = ring.since(5, { limit: 4 });
  assert.deepEqual(first.lines.map((l) => l.seq), [16, 17, 18, 19]);
  assert.equal(first.missed, 10, 'seqs 6 to 15 were dropped before this read');
  assert.equal(first.more, true);
  const second = ring.since(first.next, { limit: 100 });
  assert.deepEqual(second.lines.map((l) => l.seq), [20, 21, 22, 23, 24, 25]);
  assert.deepEqual([second.more, second.missed, second.next], [false, 0, 25]);
  assert.deepEqual(ring.since(25).lines, []);
  assert.equal(ring.since(25).next, 25);
  // A seq from another process's ring (beyond the newest) reads as a first read.
  assert.deepEqual(ring.since(999, { limit: 2 }).lines.map((l) => l.seq), [24, 25]);
});

test('since() examines at most MAX_SCAN lines of a full ring per call, and says there are more', () => {
  const ring = new LogRing(MAX_SCAN + 500, 1e9);
  for (let i = 1; i <= MAX_SCAN + 500; i++) ring.add(entry(i === MAX_SCAN + 400 ? 'needle' : 'hay'));
  const started = process.hrtime.bigint();
  const a = ring.since(0, { search: 'needle' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.deepEqual([a.lines.length, a.next, a.more], [0, MAX_SCAN, true]);
  const b = ring.since(a.next, { search: 'needle' });
  assert.deepEqual(b.lines.map((l) => l.seq), [MAX_SCAN + 400]);
  assert.equal(b.more, false);
  assert.ok(ms < 200, `one read took ${ms} ms`);
});
