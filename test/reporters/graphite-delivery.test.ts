import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry } from '../../src/metrics/index.js';
import { GraphiteReporter } from '../../src/reporters/index.js';
import { freePort } from '../helpers/carbon.js';
import { RecordingReceiver } from '../helpers/recording-receiver.js';
import { TinyWindowReceiver } from '../helpers/tiny-window-receiver.js';
import { untilTrue as until } from '../helpers/until.js';

const quiet = { log: () => undefined };

test('a registry and period that cannot deliver every interval are refused at construction, naming why', () => {
  const cases: [Parameters<typeof createRegistry>[0], number | undefined, RegExp][] = [
    [{ period: 500 }, undefined, /whole seconds.*carbon would keep only one/],
    [{ period: 2000 }, 3, /period \(3 s\) must be a whole multiple of the registry's period \(2 s\)/],
    [{ intervals: false }, 10, /intervals: false/],
  ];
  for (const [ro, period, message] of cases) {
    const registry = createRegistry({ runtimeMetrics: false, ...ro });
    try {
      assert.throws(() => new GraphiteReporter(registry, { period, ...quiet }), { code: 'INVALID_CONFIG', message });
    } finally {
      registry.close();
    }
  }
  const ok = createRegistry({ runtimeMetrics: false, period: 2000, keep: 1 });
  try {
    assert.doesNotThrow(() => new GraphiteReporter(ok, { period: 10, ...quiet }), 'keep 1 with a period of 5 intervals works: intervals are taken as they close');
  } finally {
    ok.close();
  }
});

test('every interval reaches the receiver even when more of them closed between two flushes than the registry keeps', async () => {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, keep: 1, clock: () => now });
  const rx = await new RecordingReceiver().listen();
  const reporter = new GraphiteReporter(registry, { port: rx.port, period: 5, ...quiet });
  try {
    const c = registry.counter({ name: 'c_total' });
    reporter.start();
    const stamps: number[] = [];
    for (let i = 1; i <= 6; i++) {
      c.inc(i);
      stamps.push(now / 1000);
      now += 1000;
      await registry.closeInterval(now);
    }
    assert.equal(registry.closedIntervals().length, 1, 'the registry forgot all but one');
    await reporter.flush();
    await until(() => rx.count('c_total ') === 6, 'six points');
    assert.deepEqual(stamps.map((ts, i) => rx.points.get(`c_total ${ts}`)?.value), ['1', '2', '3', '4', '5', '6']);
    assert.equal(reporter.health().dropped, 0);
  } finally {
    await reporter.stop(500);
    registry.close();
    await rx.close();
  }
});

test('refused connections are retried once per failure, on the doubling schedule (timed attempts)', { timeout: 30_000 }, async () => {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, clock: () => now });
  const port = await freePort();
  const reporter = new GraphiteReporter(registry, { port, period: 1, retryMinMs: 100, retryMaxMs: 100_000, ...quiet });
  try {
    registry.counter({ name: 'c_total' }).inc();
    reporter.start();
    now += 1000;
    await registry.closeInterval(now);
    const times: number[] = [];
    let seen = 0;
    void reporter.flush();
    const t0 = performance.now();
    while (performance.now() - t0 < 8000 && times.length < 5) {
      const n = reporter.health().connectAttempts;
      if (n > seen) {
        for (let i = seen; i < n; i++) times.push(performance.now());
        seen = n;
      }
      await sleep(2);
    }
    assert.equal(times.length, 5, `5 attempts within 8 s, got ${times.length}`);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const shown = gaps.map(Math.round).join(', ');
    // Gap k is 100 * 2^k ms times [0.5, 1]. A timer never fires early: the lower bounds are tight. It may fire
    // late on a loaded machine: the upper bounds are generous, and still below what a schedule that quadruples
    // gives at gap 3 (at least 3200 ms).
    gaps.forEach((g, k) => {
      const base = 100 * 2 ** k;
      assert.ok(g >= base * 0.5 - 10 && g <= base + 1500, `gap ${k} of ${g.toFixed(0)} ms, expected ${base / 2}-${base} ms (gaps ${shown})`);
    });
  } finally {
    await reporter.stop(100);
    registry.close();
  }
});

test('a receiver that accepts and resets at once is retried on the same schedule, not at the minimum', { timeout: 30_000 }, async () => {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, clock: () => now });
  const rx = await new RecordingReceiver().listen();
  const reporter = new GraphiteReporter(registry, { port: rx.port, period: 1, retryMinMs: 100, retryMaxMs: 100_000, ...quiet });
  try {
    registry.counter({ name: 'c_total' }).inc();
    reporter.start();
    now += 1000;
    await registry.closeInterval(now);
    rx.resetAfter(0);
    const reset = setInterval(() => rx.resetAfter(0), 5);
    try {
      void reporter.flush();
      await until(() => rx.accepted.length >= 5, 'five connections', 10_000);
    } finally {
      clearInterval(reset);
    }
    const gaps = rx.accepted.slice(1, 5).map((t, i) => t - rx.accepted[i]!);
    assert.ok(gaps[3]! >= 400 - 10 && gaps[3]! <= 800 + 1500, `the fourth gap doubled three times: ${gaps.map(Math.round).join(', ')}`);
    // Gap 0 is not a retry's alone: it runs from the connection made at start to the first one after the reset, so it
    // holds the wait for the flush's write too (995 ms in one CI run). Gap 1 is the second retry (100-200 ms) and gap 3
    // the fourth (400-800 ms); only their order is asserted, a late timer on a loaded machine lengthens either.
    assert.ok(gaps[3]! > gaps[1]!, `it grows: ${gaps.map(Math.round).join(', ')}`);
  } finally {
    await reporter.stop(100);
    registry.close();
    await rx.close();
  }
});

test('a receiver that stops reading is seen from its unacknowledged bytes after a few kilobytes, long before a write would wait; nothing leaves the window meanwhile, so its reset loses nothing', { timeout: 60_000, skip: process.platform !== 'linux' && 'reads /proc/net/tcp' }, async () => {
  let now = Math.floor(Date.now() / 1000) * 1000 - 600_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, clock: () => now });
  const rx = await new TinyWindowReceiver().start();
  const logs: string[] = [];
  // A short window, and no reset by the reporter itself: only the stall detection keeps the points.
  const reporter = new GraphiteReporter(registry, { port: rx.port, period: 1, stallMs: 300, sendTimeoutMs: 30_000, resendWindowMs: 1000, retryMinMs: 50, retryMaxMs: 200, log: (m) => logs.push(m) });
  try {
    const c = registry.counter({ name: 'w_total', labelNames: ['n'] });
    reporter.start();
    const expected: string[] = [];
    const interval = async (k: number): Promise<void> => {
      for (let n = 0; n < 200; n++) c.inc({ n: String(n) }, k);
      for (let n = 0; n < 200; n++) expected.push(`w_total.${n} ${k} ${now / 1000}`);
      now += 1000;
      await registry.closeInterval(now);
      void reporter.flush();
      await sleep(150);
    };
    // About 6 KB an interval; the receiver's window is 4 KB; 3 s of it: longer than the resend window.
    for (let k = 1; k <= 20; k++) await interval(k);
    assert.ok(logs.some((m) => /acknowledged none of \d+ bytes .* it stopped reading/.test(m)), `seen: ${logs.join(' | ')}`);
    assert.ok(!logs.some((m) => /carbon stopped reading for/.test(m)), 'no write waited: the kernel still took everything');
    assert.ok(reporter.health().unconfirmed > 0, 'the window held on');
    await rx.reset();
    rx.resume();
    for (let k = 21; k <= 22; k++) await interval(k);
    await until(() => {
      void reporter.flush();
      return expected.every((l) => rx.lines.has(l));
    }, 'every line at the receiver', 30_000);
    assert.ok(reporter.health().resent > 0, 'what the reset connection held went again');
    assert.equal(reporter.health().dropped, 0);
  } finally {
    await reporter.stop(200);
    registry.close();
    await rx.close();
  }
});
