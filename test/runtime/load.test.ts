import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LOAD_SERIES, LoadSampler } from '../../src/runtime/load.js';
import { SocketTracker } from '../../src/runtime/sockets.js';
import { ManualSchedule } from '../helpers/manual-schedule.js';

/** Keeps the CPU busy in this thread for at least `us` microseconds of user time. */
function burnCpu(us: number): void {
  const until = process.cpuUsage().user + us;
  while (process.cpuUsage().user < until);
}

test('nothing is sampled until someone subscribes, and sampling stops when the last one leaves', () => {
  const timers = new ManualSchedule();
  const sampler = new LoadSampler({ interval: 20, schedule: timers.schedule });
  try {
    assert.equal(timers.started, 0, 'no timer before the first subscriber');
    assert.equal(sampler.running, false);
    const a = sampler.subscribe();
    const b = sampler.subscribe();
    assert.equal(sampler.running, true);
    assert.deepEqual([timers.started, timers.active, timers.lastMs], [1, 1, 20], 'one timer for both, at the interval');
    timers.tick(3);
    a();
    assert.equal(sampler.running, true, 'one subscriber is still there');
    assert.equal(timers.active, 1);
    b();
    assert.equal(sampler.running, false);
    assert.equal(timers.active, 0, 'the timer is stopped after the last unsubscribe');
    assert.equal(sampler.columns().timestamps.length, 3, 'one sample per tick');
  } finally {
    sampler.close();
  }
});

test('every subscriber gets the same sample, and one that throws does not stop the others', () => {
  const timers = new ManualSchedule();
  const sampler = new LoadSampler({ interval: 20, schedule: timers.schedule });
  const seen: [object[], object[]] = [[], []];
  const offA = sampler.subscribe((s) => seen[0].push(s));
  const offBad = sampler.subscribe(() => {
    throw new Error('subscriber bug');
  });
  const offB = sampler.subscribe((s) => seen[1].push(s));
  try {
    timers.tick(3);
  } finally {
    offA();
    offBad();
    offB();
    sampler.close();
  }
  assert.equal(seen[0].length, 3, 'the one before the failing subscriber');
  assert.equal(seen[1].length, 3, 'the one after it');
  seen[0].forEach((s, i) => assert.equal(s, seen[1][i], 'the very same sample object'));
});

test('columns are chart-ready: timestamps then one array per series, oldest first, bounded by capacity', () => {
  const timers = new ManualSchedule();
  const sampler = new LoadSampler({ interval: 15, capacity: 4, schedule: timers.schedule });
  const off = sampler.subscribe();
  const taken: number[] = [];
  const offTaken = sampler.subscribe((s) => taken.push(s.timestamp));
  try {
    // Six samples, each after 2 ms of CPU in this thread: the ring keeps the last four.
    timers.tick(6, () => burnCpu(2000));
  } finally {
    off();
    offTaken();
    sampler.close();
  }
  const c = sampler.columns();
  assert.equal(c.interval, 15);
  assert.equal(taken.length, 6);
  assert.deepEqual(c.timestamps, taken.slice(2), 'capacity bounds the ring: the last four, oldest first');
  assert.deepEqual(Object.keys(c.series), [...LOAD_SERIES]);
  for (const name of LOAD_SERIES) assert.equal(c.series[name].length, 4, name);
  assert.ok(c.series.rss.every((v) => v > 0));
  assert.ok(c.series.eventLoopUtilization.every((v) => v >= 0 && v <= 1));
  assert.ok(c.series.cpuUserPercent.every((v) => v > 0), `every sample saw the busy CPU: ${c.series.cpuUserPercent.join(', ')}`);
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
