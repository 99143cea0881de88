import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry } from '../../src/metrics/index.js';
import { StatsdReporter } from '../../src/reporters/index.js';
import { pack } from '../../src/reporters/statsd/lines.js';
import { untilTrue as until } from '../helpers/until.js';

async function receiver(): Promise<{ port: number; packets: Buffer[]; close(): void }> {
  const packets: Buffer[] = [];
  const s = createSocket('udp4');
  s.on('message', (m) => packets.push(m));
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return { port: s.address().port, packets, close: () => s.close() };
}

function stepped() {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, clock: () => now });
  return { registry, step: async () => { now += 1000; await registry.closeInterval(now); } };
}

test('StatsD lines: counters, gauges and interval statistics, labels as segments, packets within the size', async () => {
  const udp = await receiver();
  const { registry, step } = stepped();
  const reporter = new StatsdReporter(registry, { port: udp.port, period: 1, prefix: 'app', maxPacketBytes: 200, log: () => undefined });
  try {
    reporter.start();
    const c = registry.counter({ name: 'requests_total', labelNames: ['route'] });
    for (let i = 0; i < 30; i++) c.inc({ route: `/r${i}` }, i + 1);
    registry.gauge({ name: 'queue.depth' }).set(7);
    registry.timer({ name: 'db_seconds', buckets: [0.1, 1] }).observe(0.25);
    await step();
    await reporter.flush();
    await sleep(100);
    assert.ok(udp.packets.length > 1, 'split into several packets');
    for (const p of udp.packets) assert.ok(p.length <= 200, `packet of ${p.length} bytes`);
    const lines = udp.packets.flatMap((p) => p.toString().split('\n'));
    for (const l of lines) assert.match(l, /^[\w.-]+:-?[\d.e+-]+\|(c|g)$/, l);
    assert.ok(lines.includes('app.requests_total.-2Fr0:1|c'));
    assert.ok(lines.includes('app.requests_total.-2Fr29:30|c'));
    assert.ok(lines.includes('app.queue.depth:7|g'));
    assert.ok(lines.includes('app.db_seconds.count:1|c'));
    assert.ok(lines.some((l) => l.startsWith('app.db_seconds.p99:')));
    assert.equal(reporter.health().sent, lines.length);
  } finally {
    await reporter.stop();
    registry.close();
    udp.close();
  }
});

test('DogStatsD tags carry the labels, with the characters that would break a line replaced', async () => {
  const udp = await receiver();
  const { registry, step } = stepped();
  const reporter = new StatsdReporter(registry, { port: udp.port, period: 1, tags: 'dogstatsd', log: () => undefined });
  try {
    reporter.start();
    registry.counter({ name: 'jobs_total', labelNames: ['queue', 'state'] }).inc({ queue: 'mail,urgent', state: 'done|ok' }, 3);
    await step();
    await reporter.flush();
    await sleep(100);
    const lines = udp.packets.flatMap((p) => p.toString().split('\n'));
    assert.ok(lines.includes('jobs_total:3|c|#queue:mail_urgent,state:done_ok'), lines.join('\n'));
  } finally {
    await reporter.stop();
    registry.close();
    udp.close();
  }
});

test('packing: a packet never exceeds the size in bytes unless one line alone does, and knows its line count', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `m${i}:${i}|c`);
  const packets = pack(lines, 1432);
  assert.ok(packets.every((p) => Buffer.byteLength(p.text) <= 1432));
  assert.deepEqual(packets.flatMap((p) => p.text.split('\n')), lines);
  assert.deepEqual(packets.map((p) => p.count), packets.map((p) => p.text.split('\n').length));
  assert.deepEqual(pack(['x'.repeat(2000)], 1432).map((p) => p.text.length), [2000]);
  // Multi-byte characters count as their bytes.
  const wide = pack(Array.from({ length: 10 }, () => `${'é'.repeat(50)}:1|c`), 250);
  assert.ok(wide.every((p) => Buffer.byteLength(p.text) <= 250), wide.map((p) => Buffer.byteLength(p.text)).join(','));
  const registry = createRegistry({ runtimeMetrics: false });
  const off = createRegistry({ runtimeMetrics: false, intervals: false });
  try {
    assert.throws(() => new StatsdReporter(registry, { port: 0 }), /port must be 1 to 65535/);
    assert.throws(() => new StatsdReporter(off, {}), { code: 'INVALID_CONFIG', message: /intervals: false/ });
  } finally {
    registry.close();
    off.close();
  }
});

test('StatsD looks its host up once, not per packet, and packets stay within the size', async () => {
  const udp = await receiver();
  const { registry, step } = stepped();
  let lookups = 0;
  const reporter = new StatsdReporter(registry, {
    host: 'statsd.test',
    port: udp.port,
    period: 1,
    maxPacketBytes: 512,
    lookup: async () => (lookups++, { address: '127.0.0.1', family: 4 }),
    log: () => undefined,
  });
  try {
    reporter.start();
    const c = registry.counter({ name: 'many_total', labelNames: ['i'] });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) c.inc({ i: String(i) });
      await step();
      await reporter.flush();
    }
    await until(() => udp.packets.reduce((n, p) => n + p.toString().split('\n').length, 0) >= reporter.health().sent, 'every packet');
    assert.ok(reporter.packets > 20, `${reporter.packets} packets`);
    assert.equal(lookups, 1, 'one lookup for every packet of three flushes');
    assert.ok(udp.packets.every((p) => p.length <= 512));
  } finally {
    await reporter.stop();
    registry.close();
    udp.close();
  }
});

test('StatsD: while the host does not resolve, lines wait in a bounded queue; the bound drops the oldest and counts them exactly; the rest arrive', async () => {
  const udp = await receiver();
  const { registry, step } = stepped();
  let resolvable = false;
  const reporter = new StatsdReporter(registry, {
    host: 'statsd.test',
    port: udp.port,
    period: 1,
    maxQueuedPoints: 250,
    lookup: async () => {
      if (!resolvable) throw Object.assign(new Error('getaddrinfo ENOTFOUND statsd.test'), { code: 'ENOTFOUND' });
      return { address: '127.0.0.1', family: 4 };
    },
    log: () => undefined,
  });
  try {
    reporter.start();
    const c = registry.counter({ name: 'q_total', labelNames: ['i'] });
    const total = { points: 0 };
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 100; i++) c.inc({ i: String(i) });
      await step();
      await reporter.flush();
    }
    const h = reporter.health();
    assert.equal(h.queued, 250, 'held to the bound');
    total.points = h.queued + h.dropped;
    assert.ok(h.dropped > 0);
    assert.equal(h.sent, 0);
    resolvable = true;
    await reporter.flush();
    const lines = (): string[] => udp.packets.flatMap((p) => p.toString().split('\n'));
    await until(() => lines().length >= 250, 'the queued lines');
    assert.equal(lines().length, 250, 'exactly what was queued arrived');
    assert.equal(reporter.health().dropped, total.points - 250, 'dropped is exactly what never went');
    const own = registry.counter({ name: 'wobserver_statsd_points_dropped_total', labelNames: ['target'] });
    assert.equal(own.get({ target: `statsd.test:${udp.port}` }), reporter.health().dropped, 'the health metric says the same');
  } finally {
    await reporter.stop();
    registry.close();
    udp.close();
  }
});
