// Outbound requests, made for real to loopback servers with fetch and http.request: per host,
// method, status class, duration, and failures by code (a refused connection, a timeout).
import assert from 'node:assert/strict';
import { errorMonitor } from 'node:events';
import { createServer, request } from 'node:http';
import { type Socket, createServer as createTcpServer } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrafficTracker, errorCode } from '../../../src/runtime/traffic/index.js';
import { OutboundChannels } from '../../../src/runtime/traffic/outbound-channels.js';
import { OutboundTable } from '../../../src/runtime/traffic/outbound.js';
import { MetricSinks } from '../../../src/runtime/traffic/sinks.js';
import { close, closedPort, hostRow, listen, waitAtLeast } from './helpers.js';

/** A loopback server: `/slow` answers after 60 ms, `/status/<code>` with that code, anything else 200. */
async function target() {
  const server = createServer(async (req, res) => {
    if (req.url === '/slow') await waitAtLeast(60);
    const m = /^\/status\/(\d+)$/.exec(req.url ?? '');
    res.statusCode = m === null ? 200 : Number(m[1]);
    res.end('body');
  });
  const origin = await listen(server);
  return { origin, host: new URL(origin).host, [Symbol.asyncDispose]: () => close(server) };
}

/** `http.request` as a promise: the status, or the error it failed with. */
function httpCall(url: string, options: { method?: string; signal?: AbortSignal } = {}): Promise<number | Error> {
  return new Promise((resolve) => {
    const req = request(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', resolve);
    req.end();
  });
}

/** Waits until the tracker counted `count` outbound requests to `host`. */
async function outbound(tracker: TrafficTracker, host: string, count: number) {
  const end = Date.now() + 5000;
  for (;;) {
    const row = tracker.info().outbound.hosts.find((h) => h.host === host);
    if (row !== undefined && row.totals.count >= count) return row;
    if (Date.now() > end) throw new Error(`timed out: ${count} requests to ${host}: ${JSON.stringify(tracker.info().outbound.hosts)}`);
    await sleep(5);
  }
}

test('fetch: counted per host with its method and status class, timed to the response', async () => {
  await using t = await target();
  const tracker = new TrafficTracker({ ignore: () => true });
  tracker.start();
  try {
    assert.equal((await fetch(`${t.origin}/a`)).status, 200);
    assert.equal((await fetch(`${t.origin}/status/404`)).status, 404);
    assert.equal((await fetch(`${t.origin}/status/502`, { method: 'POST', body: 'x' })).status, 502);
    const slow = await fetch(`${t.origin}/slow`);
    await slow.text();
    const row = await outbound(tracker, t.host, 4);
    assert.equal(row.totals.count, 4);
    assert.equal(row.totals.errors, 0, 'a 5xx answer is a response, not a failure');
    assert.deepEqual(row.methods, { GET: 3, POST: 1 });
    assert.deepEqual(row.statusClasses, { '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 1 });
    assert.deepEqual(row.current.statusCodes, { '200': 2, '404': 1, '502': 1 });
    assert.ok(row.current.maxMs !== null && row.current.maxMs >= 60, `max ${row.current.maxMs}`);
    assert.deepEqual(tracker.info().inbound.routes, [], 'the loopback server\'s own requests were ignored');
  } finally {
    tracker.close();
  }
});

test('http.request: counted per host (with its port) and method, timed to the response', async () => {
  await using t = await target();
  const tracker = new TrafficTracker();
  tracker.start();
  try {
    assert.equal(await httpCall(`${t.origin}/slow`), 200);
    assert.equal(await httpCall(`${t.origin}/status/201`, { method: 'PUT' }), 201);
    assert.equal(await httpCall(`${t.origin}/status/500`), 500);
    const row = await outbound(tracker, t.host, 3);
    assert.match(row.host, /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(row.methods, { GET: 2, PUT: 1 });
    assert.deepEqual(row.statusClasses, { '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 0, '5xx': 1 });
    assert.ok(row.current.maxMs !== null && row.current.maxMs >= 60, `max ${row.current.maxMs}`);
  } finally {
    tracker.close();
  }
});

test('a refused connection is counted as ECONNREFUSED, for fetch and for http.request', async () => {
  const port = await closedPort();
  const host = `127.0.0.1:${port}`;
  const tracker = new TrafficTracker();
  tracker.start();
  try {
    await assert.rejects(fetch(`http://${host}/x`), (e: Error) => (e.cause as { code?: string }).code === 'ECONNREFUSED');
    const err = await httpCall(`http://${host}/y`, { method: 'DELETE' });
    assert.equal((err as NodeJS.ErrnoException).code, 'ECONNREFUSED', 'the application still sees its error');
    // Never ended, so never started in Node's eyes (no http.client.request.start): counted from its error.
    const unsent = request(`http://${host}/z`, { method: 'PUT' });
    await new Promise((resolve) => unsent.on('error', resolve));
    const row = await outbound(tracker, host, 3);
    assert.deepEqual(row.errorCodes, { ECONNREFUSED: 3 });
    assert.equal(row.totals.errors, 3);
    assert.deepEqual(row.methods, { GET: 1, DELETE: 1, PUT: 1 });
    assert.equal(row.current.errors, 3);
    assert.equal(row.current.p50Ms, null, 'no response, no duration');
  } finally {
    tracker.close();
  }
});

test('a timeout (AbortSignal.timeout) is counted as ETIMEDOUT, for fetch and for http.request', async () => {
  // A server that accepts and never answers.
  const sockets: Socket[] = [];
  const silent = createTcpServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  const tracker = new TrafficTracker();
  tracker.start();
  try {
    await assert.rejects(fetch(`http://${host}/hang`, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
    const err = await httpCall(`http://${host}/hang`, { signal: AbortSignal.timeout(100) });
    assert.ok(err instanceof Error);
    const row = await outbound(tracker, host, 2);
    assert.deepEqual(row.errorCodes, { ETIMEDOUT: 2 });
  } finally {
    tracker.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('ignoreOutbound leaves requests out; close() stops counting', async () => {
  await using t = await target();
  const tracker = new TrafficTracker({ ignoreOutbound: (r) => r.path.startsWith('/internal') });
  tracker.start();
  try {
    await (await fetch(`${t.origin}/internal/ping`)).text();
    await (await fetch(`${t.origin}/public`)).text();
    assert.equal(await httpCall(`${t.origin}/internal/pong`), 200);
    const row = await outbound(tracker, t.host, 1);
    await sleep(20);
    assert.equal(row.totals.count, 1);
    tracker.close();
    await (await fetch(`${t.origin}/public`)).text();
    await sleep(20);
    assert.equal(tracker.info().outbound.hosts.find((h) => h.host === t.host)?.totals.count, 1);
  } finally {
    tracker.close();
  }
});

test("a request one wobserver node signs for another (x-wobserver-signature) is wobserver's, not counted; the same request unsigned is, and every host adds to the history", async () => {
  await using t = await target();
  let clock = 1_000_000;
  const tracker = new TrafficTracker({ now: () => clock, windowMs: 1000 });
  tracker.start();
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${t.origin}/api/about`, { headers: { 'x-wobserver-signature': 'v1=abc' } }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end();
    });
    assert.equal(await httpCall(`${t.origin}/api/about`), 200);
    const row = await outbound(tracker, t.host, 1);
    await sleep(20);
    assert.equal(row.totals.count, 1, 'only the unsigned one');
    clock += 2000;
    const history = tracker.info().outbound.history;
    assert.deepEqual(
      history.map((p) => [p.count, p.errors]),
      [[1, 0]],
    );
  } finally {
    tracker.close();
  }
});

test('more hosts than maxHosts: the later ones go to the overflow host', async () => {
  const tracker = new TrafficTracker({ maxHosts: 1 });
  tracker.start();
  try {
    const a = await closedPort();
    const b = await closedPort();
    await fetch(`http://127.0.0.1:${a}/`).catch(() => undefined);
    await fetch(`http://127.0.0.1:${b}/`).catch(() => undefined);
    await fetch(`http://127.0.0.1:${b}/`).catch(() => undefined);
    const info = await (async () => {
      for (let i = 0; i < 500; i++) {
        const info = tracker.info();
        if (info.outbound.totals.count >= 3) return info;
        await sleep(5);
      }
      throw new Error('timed out');
    })();
    assert.deepEqual(
      info.outbound.hosts.map((h) => [h.host, h.totals.count]),
      [
        ['(overflow)', 2],
        [`127.0.0.1:${a}`, 1],
      ],
    );
    assert.equal(info.outbound.overflowed, 2);
    assert.equal(hostRow(info, '(overflow)').errorCodes.ECONNREFUSED, 2);
  } finally {
    tracker.close();
  }
});

test('without http.client.request.error, an errorMonitor listener counts the failure and leaves the error unhandled for the app', async () => {
  const table = new OutboundTable(10, 10_000, new MetricSinks());
  const faults: unknown[] = [];
  const channels = new OutboundChannels(table, () => performance.now(), (now) => performance.timeOrigin + now, undefined, (e) => faults.push(e), false);
  channels.subscribe();
  const port = await closedPort();
  try {
    const req = request(`http://127.0.0.1:${port}/`, { method: 'PATCH' });
    const failed = new Promise<Error>((resolve) => req.on('error', resolve));
    req.end();
    assert.equal(((await failed) as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    // errorMonitor is not an 'error' listener: without the app's own, the error would still have thrown.
    assert.equal(req.listenerCount(errorMonitor), 1);
    assert.equal(req.listenerCount('error'), 1);
    const row = table.info(performance.timeOrigin + performance.now()).hosts[0]!;
    assert.deepEqual(row.errorCodes, { ECONNREFUSED: 1 });
    assert.deepEqual(row.methods, { PATCH: 1 });
    assert.deepEqual(faults, []);
  } finally {
    channels.unsubscribe();
  }
});

test('errorCode: the timeout signal, the error\'s own code, its cause\'s, an abort, and nothing usable', () => {
  const timeout = new DOMException('timed out', 'TimeoutError');
  assert.equal(errorCode(timeout), 'ETIMEDOUT');
  assert.equal(errorCode(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: timeout })), 'ETIMEDOUT');
  assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' })), 'ECONNRESET');
  assert.equal(errorCode(new TypeError('fetch failed', { cause: Object.assign(new Error('y'), { code: 'ENOTFOUND' }) })), 'ENOTFOUND');
  assert.equal(errorCode(Object.assign(new Error('z'), { name: 'AbortError' })), 'ABORT_ERR');
  assert.equal(errorCode(Object.assign(new Error('w'), { code: 'not a code at all' })), 'UNKNOWN');
  assert.equal(errorCode('a string'), 'UNKNOWN');
});
