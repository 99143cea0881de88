import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry, type Registry } from '../../src/metrics/index.js';
import { GraphiteReporter, type GraphiteOptions } from '../../src/reporters/index.js';
import { Carbon } from '../helpers/carbon.js';
import { type Fault, FaultProxy } from '../helpers/fault-proxy.js';
import { untilTrue as until } from '../helpers/until.js';

/**
 * A registry whose intervals the test closes itself, one second each, ending
 * in the recent past (so that whisper, 1 s:2 h, keeps them).
 */
function steppedRegistry(): { registry: Registry; base: number; step: () => Promise<number> } {
  const base = (Math.floor(Date.now() / 1000) - 600) * 1000;
  let now = base;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, clock: () => now });
  return {
    registry,
    base,
    async step() {
      const start = now;
      now += 1000;
      await registry.closeInterval(now);
      return start / 1000;
    },
  };
}

const quiet: Pick<GraphiteOptions, 'log'> = { log: () => undefined };

test('every point of every interval reaches a real carbon-cache, with its value and timestamp', { timeout: 90_000 }, async (t) => {
  const carbon = await Carbon.start(t);
  if (carbon === undefined) return;
  const { registry, step } = steppedRegistry();
  const reporter = new GraphiteReporter(registry, { port: carbon.port, period: 1, prefix: 'test.%env%', substitutions: { env: 'ci' }, ...quiet });
  try {
    const hits = registry.counter({ name: 'hits_total', labelNames: ['route'] });
    const temp = registry.gauge({ name: 'temperature' });
    const lat = registry.histogram({ name: 'latency_seconds', buckets: [0.1, 1] });
    reporter.start();
    const expected: { ts: number; hits: number; temp: number }[] = [];
    for (let k = 1; k <= 6; k++) {
      hits.inc({ route: '/a' }, k);
      hits.inc({ route: '/b c' }, 10 * k);
      temp.set(20 + k);
      lat.observe(k / 10);
      expected.push({ ts: await step(), hits: k, temp: 20 + k });
      await reporter.flush();
    }
    await reporter.stop();
    const from = expected[0]!.ts - 1;
    const to = expected.at(-1)!.ts + 1;
    const a = await carbon.waitFor('test.ci.hits_total.-2Fa', from, to, (p) => p.size >= 6);
    const b = await carbon.waitFor('test.ci.hits_total.-2Fb-20c', from, to, (p) => p.size >= 6);
    const g = await carbon.waitFor('test.ci.temperature', from, to, (p) => p.size >= 6);
    const c = await carbon.waitFor('test.ci.latency_seconds.count', from, to, (p) => p.size >= 6);
    for (const e of expected) {
      assert.equal(a.get(e.ts), e.hits, `hits /a at ${e.ts}`);
      assert.equal(b.get(e.ts), 10 * e.hits, `hits "/b c" at ${e.ts}`);
      assert.equal(g.get(e.ts), e.temp, `temperature at ${e.ts}`);
      assert.equal(c.get(e.ts), 1, `latency count at ${e.ts}`);
    }
    const h = reporter.health();
    assert.equal(h.queued, 0);
    assert.equal(h.dropped, 0);
    assert.ok(h.sent >= 6 * 4);
  } finally {
    await reporter.stop();
    registry.close();
    await carbon.close();
  }
});

test('through refused connections, a connection dropped mid-write, a stalled peer, a black hole and a carbon restart, every interval arrives', { timeout: 150_000 }, async (t) => {
  const carbon = await Carbon.start(t);
  if (carbon === undefined) return;
  const proxy = new FaultProxy(carbon.port);
  await proxy.listen();
  const { registry, step } = steppedRegistry();
  const reporter = new GraphiteReporter(registry, {
    port: proxy.port,
    period: 1,
    prefix: 'faults',
    connectTimeoutMs: 1000,
    sendTimeoutMs: 1000,
    resendWindowMs: 6000,
    retryMinMs: 100,
    retryMaxMs: 500,
    maxQueuedPoints: 10_000,
    ...quiet,
  });
  const counter = registry.counter({ name: 'ticks_total' });
  const expected = new Map<number, number>();
  let k = 0;
  const interval = async (): Promise<void> => {
    k++;
    counter.inc(k);
    expected.set(await step(), k);
    await reporter.flush();
  };
  const phase = async (fault: Fault, intervals: number, during?: () => Promise<void>): Promise<void> => {
    await proxy.setFault(fault);
    for (let i = 0; i < intervals; i++) await interval();
    await during?.();
    await proxy.setFault('none');
    await interval();
  };
  try {
    // Refused from the start.
    await proxy.setFault('refuse');
    reporter.start();
    for (let i = 0; i < 3; i++) await interval();
    assert.equal(reporter.health().state, 'disconnected');
    await proxy.setFault('none');
    await interval();
    await until(() => reporter.health().state === 'connected', 'connected after the refusal');
    // Dropped mid-write: the proxy resets every connection right after the writes.
    for (let i = 0; i < 3; i++) {
      await interval();
      proxy.drop();
    }
    await interval();
    // Stalled: the proxy stops reading; then reads again.
    await phase('stall', 3, () => sleep(1500));
    // Black hole: new connections are accepted and never read; then the path dies.
    proxy.drop();
    await phase('blackhole', 3, () => sleep(1000));
    // Carbon itself restarts.
    await carbon.stop();
    for (let i = 0; i < 2; i++) await interval();
    await carbon.restart();
    await interval();
    // Everything drains.
    await until(() => {
      void reporter.flush();
      return reporter.health().queued === 0;
    }, 'the outbox and the unconfirmed points empty', 60_000);
    await reporter.stop();
    const from = Math.min(...expected.keys()) - 1;
    const to = Math.max(...expected.keys()) + 1;
    const stored = await carbon.waitFor('faults.ticks_total', from, to, (p) => p.size >= expected.size, 30_000);
    const missing = [...expected].filter(([ts, v]) => stored.get(ts) !== v);
    assert.deepEqual(missing, [], `every interval's point, exact (${expected.size} intervals)`);
    const h = reporter.health();
    assert.equal(h.dropped, 0);
    assert.ok(h.resent > 0, 'the dropped connections made it send again');
    assert.ok(h.reconnects >= 3);
  } finally {
    await reporter.stop(1000);
    await proxy.close();
    registry.close();
    await carbon.close();
  }
});

test('an outage longer than the outbox holds drops the oldest points and counts exactly how many', { timeout: 30_000 }, async () => {
  const { registry, step } = steppedRegistry();
  const dead = createServer();
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
  const port = (dead.address() as { port: number }).port;
  await new Promise((resolve) => dead.close(resolve));
  const reporter = new GraphiteReporter(registry, { port, period: 1, maxQueuedPoints: 25, retryMinMs: 60_000, ...quiet });
  try {
    // 10 series: 10 points per interval.
    const c = registry.counter({ name: 'c_total', labelNames: ['n'] });
    reporter.start();
    for (let i = 0; i < 4; i++) {
      for (let n = 0; n < 10; n++) c.inc({ n: String(n) });
      await step();
      await reporter.flush();
    }
    const h = reporter.health();
    assert.equal(h.queued, 25, 'held to the bound');
    // Each interval has 19 points: the 10 series of c_total and the reporter's own 9 health series.
    assert.equal(h.dropped, 4 * 19 - 25, 'exactly the points past the bound');
    const own = registry.counter({ name: 'wobserver_graphite_points_dropped_total', labelNames: ['target'] });
    assert.equal(own.get({ target: `127.0.0.1:${port}` }), h.dropped, 'the health metric says the same');
  } finally {
    await reporter.stop(100);
    registry.close();
  }
});

test('a peer that stops reading gets a send timeout: the socket is destroyed, the points wait, and all arrive once it reads again', { timeout: 60_000 }, async () => {
  const { registry, step } = steppedRegistry();
  // The test's own line receiver; it can stop reading.
  const received = new Map<string, number>();
  let paused = false;
  const sockets = new Set<import('node:net').Socket>();
  const sink = createServer((s) => {
    sockets.add(s);
    if (paused) s.pause();
    // One partial line per connection: an old connection's bytes can still arrive beside the new one's.
    let partial = '';
    s.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const lines = text.split('\n');
      partial = lines.pop()!;
      for (const l of lines) received.set(l, (received.get(l) ?? 0) + 1);
    });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.address() as { port: number }).port;
  // Long paths (a 200-character prefix): about 7 MB an interval, so that the kernel's buffers (tens of MB on loopback) fill.
  const prefix = 'p'.repeat(200);
  const reporter = new GraphiteReporter(registry, { port, period: 1, prefix, sendTimeoutMs: 500, resendWindowMs: 20_000, retryMinMs: 100, retryMaxMs: 300, ...quiet });
  try {
    const g = registry.gauge({ name: 'bulk', labelNames: ['i'], maxSeries: 40_000 });
    for (let i = 0; i < 30_000; i++) g.set({ i: String(i) }, i);
    reporter.start();
    paused = true;
    for (const s of sockets) s.pause();
    const stamps: number[] = [];
    const before = reporter.health().resent;
    for (let n = 0; n < 8; n++) {
      stamps.push(await step());
      await reporter.flush();
    }
    await until(() => reporter.health().state !== 'connected', 'the send timeout ended the connection', 20_000);
    paused = false;
    for (const s of sockets) s.resume();
    await until(() => {
      void reporter.flush();
      return stamps.every((ts) => received.has(`${prefix}.bulk.29999 29999 ${ts}`) && received.has(`${prefix}.bulk.0 0 ${ts}`));
    }, 'every interval at the sink', 40_000);
    for (const ts of stamps) for (let i = 0; i < 30_000; i++) assert.ok(received.has(`${prefix}.bulk.${i} ${i} ${ts}`), `bulk.${i} at ${ts}`);
    assert.equal(reporter.health().dropped, 0);
    assert.ok(reporter.health().resent > before, 'what the dead connection held was sent again');
  } finally {
    await reporter.stop(100);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => sink.close(resolve));
    registry.close();
  }
});

const KILL_CASES = [
  { signal: 'SIGTERM', windowMs: 20_000, lossless: true },
  { signal: 'SIGKILL', windowMs: 20_000, lossless: true },
  // The control: a resend window shorter than carbon's cache holds points: SIGKILL takes what the cache held.
  { signal: 'SIGKILL', windowMs: 300, lossless: false },
] as const;

for (const { signal, windowMs, lossless } of KILL_CASES) {
  const what = lossless ? 'has every point in whisper' : 'loses what its cache held once the resend window (300 ms) let it go';
  test(`a carbon-cache that writes slowly, stopped by ${signal} with points in its cache and started again, ${what}`, { timeout: 120_000 }, async (t) => {
    // Two whisper updates a second for 20 metrics: a point waits up to 10 s in carbon's cache before it is on disk.
    const carbon = await Carbon.start(t, { maxUpdatesPerSecond: 2 });
    if (carbon === undefined) return;
    const { registry, step } = steppedRegistry();
    const reporter = new GraphiteReporter(registry, {
      port: carbon.port,
      period: 1,
      prefix: `kill.${signal}_${windowMs}`,
      connectTimeoutMs: 1000,
      retryMinMs: 100,
      retryMaxMs: 500,
      resendWindowMs: windowMs,
      ...quiet,
    });
    const counter = registry.counter({ name: 'n_total', labelNames: ['m'] });
    const expected = new Map<number, number>();
    let k = 0;
    const intervals = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        k++;
        for (let m = 0; m < 20; m++) counter.inc({ m: String(m) }, k);
        expected.set(await step(), k);
        void reporter.flush();
        await sleep(250);
      }
    };
    try {
      reporter.start();
      await intervals(8);
      await until(() => reporter.health().queued - reporter.health().unconfirmed === 0, 'all written to carbon');
      await sleep(windowMs < 1000 ? 2 * windowMs : 0);
      // Let the window go, where it is short: the reporter takes the points for delivered.
      void reporter.flush();
      await sleep(50);
      const resentBefore = reporter.health().resent;
      await carbon.kill(signal);
      await intervals(4);
      await carbon.start();
      await intervals(3);
      await until(() => {
        void reporter.flush();
        const h = reporter.health();
        return h.queued - h.unconfirmed === 0;
      }, 'everything written again', 30_000);
      await reporter.stop();
      const h = reporter.health();
      const from = Math.min(...expected.keys()) - 1;
      const to = Math.max(...expected.keys()) + 1;
      const missing: string[] = [];
      for (let m = 0; m < 20; m++) {
        const stored = await carbon.waitFor(`kill.${signal}_${windowMs}.n_total.${m}`, from, to, (p) => p.size >= expected.size, lossless ? 40_000 : 0);
        // For the control, only the intervals before the kill: nothing will bring them back, and the later ones may still be in the cache.
        for (const [ts, v] of [...expected].slice(0, lossless ? undefined : 8)) if (stored.get(ts) !== v) missing.push(`${m}@${ts}`);
      }
      t.diagnostic(`${signal}, resend window ${windowMs} ms: ${expected.size} intervals x 20 series, resent ${h.resent - resentBefore} after the kill, missing ${missing.length}`);
      assert.equal(h.dropped, 0);
      if (lossless) {
        assert.deepEqual(missing, [], 'every point in whisper, exact');
        assert.ok(h.resent > resentBefore, 'the window was sent again to the new carbon');
      } else {
        assert.ok(missing.length > 0, 'SIGKILL lost what carbon had read and not written, once the window had let it go');
      }
    } finally {
      await reporter.stop(1000);
      registry.close();
      await carbon.close();
    }
  });
}
