import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockEvent } from '../../src/protocol/index.js';
import { barsOf } from '../../src/ui/pages/eventloop-bars.js';

const block = (id: number, thread: number, startedAt: number, durationMs: number | null): BlockEvent => ({ id, thread: { id: thread, name: thread === 0 ? 'main' : `worker ${thread}` }, startedAt, durationMs, stack: null, signature: null, captureMs: null, noStack: 'stacks-off' });

test('a ring of 10,000 blocks draws one bar per thread and 2-px column, the longest of each', () => {
  // 10,000 blocks of two threads over 1,000 px: one a millisecond, 10 ms a pixel.
  const events = Array.from({ length: 10_000 }, (_, i) => block(i, i % 2 === 0 ? 0 : 2, i, 200 + (i % 7) * 10));
  const x = (t: number): number => t / 10;
  const bars = barsOf(events, 20_000, x, undefined);
  assert.ok(bars.length <= 2 * 501, `${bars.length} bars`);
  assert.ok(bars.length >= 2 * 499, `every column of each thread keeps one: ${bars.length}`);
  for (const b of bars) {
    const column = events.filter((e) => e.thread.id === b.e.thread.id && Math.round(x(e.startedAt) / 2) === Math.round(b.x / 2));
    assert.equal(b.d, Math.max(...column.map((e) => e.durationMs!)), `the longest of its column, at ${b.x}`);
  }
});

test('a block still going on and the block being read are always drawn, last (on top), the ongoing one as long as it lasted so far', () => {
  const events = [block(1, 0, 1000, 300), block(2, 0, 1001, 250), block(3, 0, 1002, null)];
  const bars = barsOf(events, 1500, (t) => t / 100, 1);
  assert.deepEqual(bars.map((b) => b.e.id), [1, 2, 3]);
  assert.equal(bars[2]!.d, 498);
  assert.deepEqual(barsOf(events, 1500, (t) => t / 100, undefined).map((b) => b.e.id), [1, 3], 'without it being read, the shorter of the column goes');
});
