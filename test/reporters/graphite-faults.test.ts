import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry, type Registry } from '../../src/metrics/index.js';
import { GraphiteReporter, type GraphiteOptions } from '../../src/reporters/index.js';
import { familyLines, familyNames } from '../../src/reporters/graphite/lines.js';
import { RecordingReceiver } from '../helpers/recording-receiver.js';
import { untilTrue as until } from '../helpers/until.js';

/**
 * The fault-injection suite: a reporter delivers a stepped registry (1 s
 * intervals on an injected clock, `keep: 2`, so that an interval the reporter
 * skipped would be gone) to a receiver that records every (path, timestamp)
 * and misbehaves on cue. Each case counts the points expected (every line of
 * every interval that closed while the reporter ran), received, lost and
 * duplicated, the sum of the counter's values against what was incremented,
 * and the drop counters against what never arrived.
 */
interface Run {
  registry: Registry;
  rx: RecordingReceiver;
  reporter: GraphiteReporter;
  /** Closes `n` intervals, one every `gapMs` of real time, flushing after each (without waiting for the flush). */
  intervals(n: number, gapMs?: number): Promise<void>;
  /** Ends the faults' effects: waits until nothing waits to be written, then stops the reporter (a clean close). */
  drain(): Promise<void>;
  tally(): Tally;
}

interface Tally {
  intervals: number;
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  wrongValue: number;
  counterIncremented: number;
  counterReceived: number;
  dropped: number;
  droppedUnconfirmed: number;
  resent: number;
}

const BASE = (Math.floor(Date.now() / 1000) - 3600) * 1000;

async function run(t: TestContext, o: Partial<GraphiteOptions> & { series?: number; prefix?: string } = {}): Promise<Run> {
  let now = BASE;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, keep: 2, clock: () => now });
  const rx = await new RecordingReceiver().listen();
  const prefix = o.prefix ?? 'f';
  const reporter = new GraphiteReporter(registry, {
    port: rx.port,
    period: 1,
    prefix,
    resendWindowMs: 3000,
    stallMs: 300,
    sendTimeoutMs: 2000,
    connectTimeoutMs: 1000,
    retryMinMs: 50,
    retryMaxMs: 200,
    log: () => undefined,
    ...o,
  });
  const counter = registry.counter({ name: 'work_total', labelNames: ['n'], maxSeries: 100_000 });
  const series = o.series ?? 40;
  reporter.start();
  const expected = new Map<string, string>();
  let closed = 0;
  let incremented = 0;
  registry.onIntervalClosed((interval) => {
    closed++;
    const names = familyNames(interval.families);
    for (const f of interval.families) {
      for (const line of familyLines(f, names.get(f.name)!, interval, { prefix: prefix.split('.'), labels: 'segments' })) {
        const [path, value, ts] = line.trim().split(' ');
        expected.set(`${path} ${ts}`, value!);
      }
    }
  });
  let k = 0;
  t.after(async () => {
    await reporter.stop(200);
    registry.close();
    await rx.close();
  });
  return {
    registry,
    rx,
    reporter,
    async intervals(n, gapMs = 100) {
      for (let i = 0; i < n; i++) {
        k++;
        for (let s = 0; s < series; s++) counter.inc({ n: String(s) }, k);
        incremented += k * series;
        now += 1000;
        await registry.closeInterval(now);
        void reporter.flush();
        await sleep(gapMs);
      }
    },
    async drain() {
      await until(() => {
        void reporter.flush();
        const h = reporter.health();
        return h.queued - h.unconfirmed === 0;
      }, 'nothing left to write', 60_000);
      await reporter.stop(5000);
    },
    tally() {
      const h = reporter.health();
      let received = 0;
      let duplicated = 0;
      let wrongValue = 0;
      let counterReceived = 0;
      for (const [key, value] of expected) {
        const r = rx.points.get(key);
        if (r === undefined) continue;
        received++;
        duplicated += r.times - 1;
        if (r.value !== value) wrongValue++;
        if (key.startsWith(`${prefix}.work_total.`)) counterReceived += Number(r.value);
      }
      return {
        intervals: closed,
        expected: expected.size,
        received,
        lost: expected.size - received,
        duplicated,
        wrongValue,
        counterIncremented: incremented,
        counterReceived,
        dropped: h.dropped,
        droppedUnconfirmed: h.droppedUnconfirmed,
        resent: h.resent,
      };
    },
  };
}

/** Nothing lost, nothing dropped, every value right, the counter's sum whole. */
function assertWhole(t: TestContext, r: Run, series = 40): Tally {
  const x = r.tally();
  t.diagnostic(JSON.stringify(x));
  assert.ok(x.intervals >= 5, 'the case closed intervals');
  assert.ok(x.expected >= x.intervals * series, 'every series of every interval is expected');
  assert.equal(x.lost, 0, 'nothing lost');
  assert.equal(x.wrongValue, 0, 'every value as it was');
  assert.equal(x.counterReceived, x.counterIncremented, 'the counter sums to what was incremented');
  assert.equal(x.dropped, 0);
  assert.equal(x.droppedUnconfirmed, 0);
  return x;
}

test('faults: refused at start and again later, nothing is lost', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.rx.refuse();
  await r.intervals(5);
  await r.rx.accept();
  await r.intervals(3);
  await r.rx.refuse();
  await r.intervals(5);
  await r.rx.accept();
  await r.intervals(2);
  await r.drain();
  assertWhole(t, r);
});

test('faults: connections reset mid-write (after N bytes), nothing is lost and the resent points arrive twice at most harmlessly', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.intervals(3);
  for (let i = 0; i < 4; i++) {
    r.rx.resetAfter(1500);
    await r.intervals(3);
  }
  await r.drain();
  const x = assertWhole(t, r);
  assert.ok(x.resent > 0, 'the reset connections made it send again');
  assert.ok(x.duplicated > 0, 'points the receiver had read before a reset came again (carbon keeps one value per path and time)');
});

test('faults: a receiver that stops reading, then reads again, loses nothing', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.intervals(3);
  r.rx.stall();
  await r.intervals(15);
  r.rx.resume();
  await r.intervals(3);
  await r.drain();
  assertWhole(t, r);
});

test('faults: a receiver that stalls for longer than the old confirmation window and then resets loses nothing', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.intervals(3);
  r.rx.stall();
  // 2.5 s: longer than the old default confirmation (2 periods), inside the resend window (3 s).
  await r.intervals(25);
  r.rx.resetAll();
  r.rx.resume();
  await r.intervals(3);
  await r.drain();
  const x = assertWhole(t, r);
  assert.ok(x.resent > 0);
});

test('faults: a black hole for longer than the old confirmation window that then closes loses nothing', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.intervals(3);
  r.rx.blackhole();
  await r.intervals(25);
  r.rx.endBlackhole();
  await r.intervals(3);
  await r.drain();
  const x = assertWhole(t, r);
  assert.ok(x.resent > 0, 'what the black hole swallowed was sent again');
});

test('faults: a receiver that restarts (down a second) loses nothing', { timeout: 60_000 }, async (t) => {
  const r = await run(t);
  await r.intervals(3);
  const restart = r.rx.restart(1000);
  await r.intervals(12);
  await restart;
  await r.intervals(3);
  await r.drain();
  assertWhole(t, r);
});

test('faults: a backlog, a reset right after draining starts, and a slow reader faster than production: it drains, in chunks', { timeout: 90_000 }, async (t) => {
  // Long paths: about 100 bytes a line, 1,000 series: about 100 KB an interval.
  const r = await run(t, { series: 1000, prefix: `slow.${'p'.repeat(80)}`, sendTimeoutMs: 1500, maxQueuedPoints: 1_000_000 });
  await r.rx.refuse();
  await r.intervals(20, 50);
  const backlog = r.reporter.health().queued;
  assert.ok(backlog >= 20_000, `a backlog of ${backlog} points`);
  r.rx.readRate(600_000);
  r.rx.resetAfter(200_000);
  // Every write the reporter makes to the receiver, measured.
  let largest = 0;
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, data: unknown, ...rest: unknown[]) {
    if (this.remotePort === r.rx.port && (Buffer.isBuffer(data) || typeof data === 'string')) largest = Math.max(largest, Buffer.byteLength(data));
    return (write as (...a: unknown[]) => boolean).call(this, data, ...rest);
  } as typeof write;
  try {
    await r.rx.accept();
    // Production: about 100 KB a second; the reader takes 600 KB a second.
    await r.intervals(6, 1000);
    await r.drain();
  } finally {
    Socket.prototype.write = write;
  }
  const x = assertWhole(t, r, 1000);
  assert.ok(x.resent > 0, 'the reset made it resend');
  assert.ok(largest > 0 && largest <= 64 * 1024, `every write, the re-queued ones too, at most 64 KB (largest ${largest})`);
});

test('faults, bound: an outage longer than the outbox holds drops the oldest points, and the drop counter equals exactly what never arrived', { timeout: 60_000 }, async (t) => {
  const r = await run(t, { maxQueuedPoints: 300 });
  await r.intervals(2);
  await r.rx.refuse();
  await r.intervals(15);
  await r.rx.accept();
  await r.intervals(2);
  await r.drain();
  const x = r.tally();
  t.diagnostic(JSON.stringify(x));
  assert.ok(x.lost > 0, 'the outage was longer than the bound');
  assert.ok(x.dropped <= x.lost && x.lost <= x.dropped + x.droppedUnconfirmed, 'every lost point counted: certainly (never written) or possibly (written, unconfirmed)');
  assert.ok(x.dropped > 0, 'points never written were dropped');
  assert.equal(x.wrongValue, 0);
});

test('faults, bound: points the receiver read before their connection died, then dropped by the bound, are not counted as never delivered', { timeout: 60_000 }, async (t) => {
  const r = await run(t, { maxQueuedPoints: 300, resendWindowMs: 30_000 });
  // Delivered and read, but inside the resend window when the receiver goes away.
  await r.intervals(4);
  await until(() => r.rx.count('f.work_total.') >= 4 * 40, 'the first intervals read');
  await r.rx.refuse();
  await r.intervals(12);
  await r.rx.accept();
  await r.intervals(2);
  await r.drain();
  const x = r.tally();
  t.diagnostic(JSON.stringify(x));
  assert.ok(x.droppedUnconfirmed > 0, 're-queued points were dropped by the bound');
  assert.ok(x.lost > 0);
  assert.equal(x.dropped, x.lost, 'dropped counts exactly the points that never arrived');
});

test('faults: a receiver that stops reading a stream larger than the kernel buffers holds the flush up past the registry\'s keep, and no interval is lost', { timeout: 90_000 }, async (t) => {
  // About 2.5 MB an interval: the writes stop completing within a few intervals.
  const logs: string[] = [];
  const r = await run(t, { series: 20_000, prefix: `big.${'p'.repeat(90)}`, sendTimeoutMs: 20_000, maxQueuedPoints: 2_000_000, log: (m) => logs.push(m) });
  await r.intervals(1, 300);
  r.rx.stall();
  await r.intervals(10, 250);
  r.rx.resume();
  await r.intervals(1, 300);
  await r.drain();
  assertWhole(t, r, 20_000);
  assert.ok(logs.some((m) => /carbon stopped reading for \d+ ms/.test(m)), `the stall was seen: ${logs.join(' | ')}`);
});

test('faults, beyond the guarantee: a black hole longer than the resend window that then closes loses what was written to it before the window, and nothing after', { timeout: 60_000 }, async (t) => {
  const r = await run(t, { resendWindowMs: 1000 });
  await r.intervals(3);
  const before = r.tally().expected;
  r.rx.blackhole();
  await r.intervals(30);
  const during = r.tally().expected - before;
  r.rx.endBlackhole();
  await r.intervals(3);
  await r.drain();
  const x = r.tally();
  t.diagnostic(JSON.stringify({ ...x, blackholed: during }));
  assert.ok(x.lost > 0, 'a receiver that swallows silently for longer than the window can make points vanish');
  assert.ok(x.lost < during, 'only points written to the black hole, and not the last window of them');
  assert.equal(x.dropped, 0, 'not counted: the reporter cannot know');
});
