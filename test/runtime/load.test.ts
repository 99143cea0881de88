import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LOAD_SERIES, LoadSampler } from '../../src/runtime/load.js';
import { SocketTracker } from '../../src/runtime/sockets.js';

test('nothing is sampled until someone subscribes, and sampling stops when the last one leaves', async () => {
  const sampler = new LoadSampler({ interval: 20 });
  try {
    await sleep(80);
    assert.equal(sampler.running, false);
    assert.equal(sampler.columns().timestamps.length, 0);
    const a = sampler.subscribe();
    const b = sampler.subscribe();
    assert.equal(sampler.running, true);
    await sleep(120);
    a();
    assert.equal(sampler.running, true, 'one subscriber is still there');
    b();
    assert.equal(sampler.running, false);
    const n = sampler.columns().timestamps.length;
    assert.ok(n >= 2, String(n));
    await sleep(80);
    assert.equal(sampler.columns().timestamps.length, n, 'no sample after the last unsubscribe');
  } finally {
    sampler.close();
  }
});

test('every subscriber gets the same sample, and one that throws does not stop the others', async () => {
  const sampler = new LoadSampler({ interval: 20 });
  const seen: [object[], object[]] = [[], []];
  const offA = sampler.subscribe((s) => seen[0].push(s));
  const offBad = sampler.subscribe(() => {
    throw new Error('subscriber bug');
  });
  const offB = sampler.subscribe((s) => seen[1].push(s));
  try {
    await sleep(110);
  } finally {
    offA();
    offBad();
    offB();
    sampler.close();
  }
  assert.ok(seen[0].length >= 2);
  assert.equal(seen[0].length, seen[1].length);
  seen[0].forEach((s, i) => assert.equal(s, seen[1][i], 'the very same sample object'));
});

test('columns are chart-ready: timestamps then one array per series, oldest first, bounded by capacity', async () => {
  const sampler = new LoadSampler({ interval: 15, capacity: 4 });
  const off = sampler.subscribe();
  try {
    let x = 0;
    const until = Date.now() + 150;
    while (Date.now() < until) {
      for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
      await sleep(1);
    }
    assert.ok(x > 0);
  } finally {
    off();
    sampler.close();
  }
  const c = sampler.columns();
  assert.equal(c.interval, 15);
  assert.equal(c.timestamps.length, 4, 'capacity bounds the ring');
  for (let i = 1; i < 4; i++) assert.ok(c.timestamps[i]! >= c.timestamps[i - 1]!);
  assert.deepEqual(Object.keys(c.series), [...LOAD_SERIES]);
  for (const name of LOAD_SERIES) assert.equal(c.series[name].length, 4, name);
  assert.ok(c.series.rss.every((v) => v > 0));
  assert.ok(c.series.eventLoopUtilization.every((v) => v >= 0 && v <= 1));
  assert.ok(c.series.cpuUserPercent.some((v) => v > 0), 'the busy loop used CPU');
  assert.ok(c.series.delayP50Ms.every((v) => v >= 0 && v < sampler.delayResolution), 'the resolution is taken off the delay');
  assert.doesNotThrow(() => JSON.stringify(c));
});

test('bytes read and written by sockets are counted per second, also for sockets that closed', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const sampler = new LoadSampler({ interval: 50 }, sockets);
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const off = sampler.subscribe();
  try {
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const payload = Buffer.alloc(100_000, 1);
    let echoed = 0;
    await new Promise<void>((resolve) => {
      client.on('data', (d) => {
        echoed += d.length;
        if (echoed >= payload.length) resolve();
      });
      client.write(payload);
    });
    client.destroy();
    await sleep(150);
    const totals = sockets.totals();
    // Both ends are in this process: the client wrote and read 100 kB, and so did the server.
    assert.ok(totals.written >= 200_000 && totals.read >= 200_000, JSON.stringify(totals));
    const c = sampler.columns();
    const perSec = c.series.bytesWrittenPerSec.reduce((a, b) => a + b, 0) * (sampler.interval / 1000);
    assert.ok(perSec >= 150_000, `bytes written over the samples: ${perSec}`);
  } finally {
    off();
    sampler.close();
    sockets.stop();
    server.close();
  }
});
