import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry } from '../../src/metrics/index.js';
import { StatsdReporter } from '../../src/reporters/index.js';
import { pack } from '../../src/reporters/statsd/lines.js';

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

test('packing: a packet never exceeds the size unless one line alone does; send errors are counted, never thrown', async () => {
  const lines = Array.from({ length: 100 }, (_, i) => `m${i}:${i}|c`);
  const packets = pack(lines, 1432);
  assert.ok(packets.every((p) => p.length <= 1432));
  assert.deepEqual(packets.flatMap((p) => p.toString().split('\n')), lines);
  assert.deepEqual(pack(['x'.repeat(2000)], 1432).map((p) => p.length), [2000]);
  const { registry, step } = stepped();
  // Port 0 cannot be sent to: every send fails.
  const reporter = new StatsdReporter(registry, { port: 0, period: 1, log: () => undefined });
  try {
    reporter.start();
    registry.counter({ name: 'x_total' }).inc();
    await step();
    await reporter.flush();
    assert.ok(reporter.health().dropped >= 1);
  } finally {
    await reporter.stop();
    registry.close();
  }
});
