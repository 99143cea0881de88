import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelfSummary } from '../../src/runtime/index.js';
import { untilTrue } from '../helpers/until.js';

test('the Fleet summary gives no rates on its first read, then the busy time since the previous one', () => {
  const s = new SelfSummary({ minIntervalMs: 0 });
  try {
    const first = s.read('me', 2);
    assert.deepEqual([first.cpu, first.eventLoopUtilization, first.delayP99Ms], [null, null, null]);
    assert.deepEqual([first.node, first.pid, first.nodeVersion, first.requestsInFlight], ['me', process.pid, process.version, 2]);
    assert.ok(first.rss > 0 && first.memoryLimit >= first.rss && first.heapSizeLimit > first.heapUsed);
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // Busy: the event loop is active all along.
    }
    const second = s.read('me', 0);
    assert.ok(second.eventLoopUtilization !== null && second.eventLoopUtilization > 0.5, `utilization ${second.eventLoopUtilization} after a busy loop`);
    assert.ok(second.cpu !== null && second.cpu > 0, `cpu ${second.cpu}`);
  } finally {
    s.close();
  }
});

test('reads closer together than minIntervalMs share their rates, so that a second asker does not get an empty interval', () => {
  const s = new SelfSummary({ minIntervalMs: 60_000 });
  try {
    s.read('me', 0);
    const until = performance.now() + 50;
    while (performance.now() < until) {
      // Busy.
    }
    assert.equal(s.read('me', 0).eventLoopUtilization, null, 'still the first interval\'s (none)');
  } finally {
    s.close();
  }
});

test('the event-loop delay monitor runs only while the summary is read: it stops idleMs after the last read', async () => {
  const s = new SelfSummary({ idleMs: 100 });
  try {
    assert.equal(s.monitoring, false, 'nothing runs before anyone asks');
    s.read('me', 0);
    assert.equal(s.monitoring, true);
    await untilTrue(() => !s.monitoring, 'the monitor stops when nobody asks', 5000);
  } finally {
    s.close();
  }
});
