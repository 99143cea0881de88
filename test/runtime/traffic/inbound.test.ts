// Inbound requests on a bare node:http server: counts, status codes, durations, bytes, the
// normalizer and its bound, routeOf, ignore, windows, start/close, and faults kept from the app.
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OVERFLOW_ROUTE, TrafficTracker, setRoute } from '../../../src/runtime/traffic/index.js';
import { close, get, listen, routeKeys, routeRow, settled, waitAtLeast } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A node:http server answering with `handler`, a tracker started with `options`, and a cleanup. */
async function serve(handler: Handler, options?: ConstructorParameters<typeof TrafficTracker>[0]) {
  const tracker = new TrafficTracker(options);
  tracker.start();
  const server = createServer((req, res) => void handler(req, res));
  const origin = await listen(server);
  return {
    tracker,
    origin,
    async [Symbol.asyncDispose]() {
      tracker.close();
      await close(server);
    },
  };
}

/** Sends one raw request and returns every byte the server wrote back, until it closed the connection. */
async function rawRequest(origin: string, path: string): Promise<Buffer> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
  await new Promise((resolve) => socket.on('close', resolve));
  return Buffer.concat(chunks);
}

test('counts each response under its method and normalized route, with its status code and the 5xx as errors', async () => {
  await using s = await serve((req, res) => {
    res.statusCode = req.url?.startsWith('/fail') ? 503 : req.url?.startsWith('/gone') ? 404 : 200;
    res.end('x');
  });
  await get(`${s.origin}/users/1`);
  await get(`${s.origin}/users/22`);
  await get(`${s.origin}/users/4444`);
  await get(`${s.origin}/users/333`, { method: 'DELETE' });
  await get(`${s.origin}/gone/4`);
  await get(`${s.origin}/fail`);
  await get(`${s.origin}/fail`);
  const info = await settled(s.tracker, 7);
  assert.deepEqual(routeKeys(info), ['DELETE /users/:id', 'GET /fail', 'GET /gone/:id', 'GET /users/:id']);
  const users = routeRow(info, 'GET', '/users/:id');
  assert.deepEqual(users.totals, { count: 3, errors: 0, bytes: users.totals.bytes });
  assert.deepEqual(users.statusCodes, { '200': 3 });
  assert.equal(users.source, 'normalized');
  assert.deepEqual(routeRow(info, 'GET', '/fail').totals.errors, 2);
  assert.deepEqual(info.inbound.statusCodes, { '200': 4, '404': 1, '503': 2 });
  assert.deepEqual(info.inbound.totals.errors, 2);
  assert.deepEqual(info.inbound.current.statusCodes, { '200': 4, '404': 1, '503': 2 }, 'the open window saw them all');
  assert.equal(info.inbound.routes[0]!.route, '/users/:id', 'the most requests first');
});

test('a handler that waits 50 ms is counted at 50 ms or more, and the slowest routes list it first', async () => {
  await using s = await serve(async (req, res) => {
    if (req.url === '/slow') await waitAtLeast(50);
    res.end('done');
  });
  await get(`${s.origin}/slow`);
  await get(`${s.origin}/fast`);
  const info = await settled(s.tracker, 2);
  const slow = routeRow(info, 'GET', '/slow').current;
  assert.ok(slow.maxMs !== null && slow.maxMs >= 50, `max ${slow.maxMs}`);
  // One observation: every percentile is it, within the sketch's 1%.
  assert.ok(slow.p50Ms !== null && slow.p50Ms >= 49.5 && slow.p50Ms <= slow.maxMs * 1.01, `p50 ${slow.p50Ms}`);
  const fast = routeRow(info, 'GET', '/fast').current;
  assert.ok(fast.maxMs !== null && fast.maxMs < 50, `fast max ${fast.maxMs}`);
  assert.deepEqual(
    info.inbound.slowest.map((r) => r.route),
    ['/slow', '/fast'],
  );
  assert.equal(info.inbound.slowest[0]!.window, 'current');
});

test('bytes are what the socket carried for the response, headers included', async () => {
  await using s = await serve((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('y'.repeat(req.url === '/big' ? 100_000 : 10));
  });
  const small = await rawRequest(s.origin, '/small');
  const big = await rawRequest(s.origin, '/big');
  const info = await settled(s.tracker, 2);
  assert.ok(big.length > 100_000);
  assert.equal(routeRow(info, 'GET', '/small').totals.bytes, small.length);
  assert.equal(routeRow(info, 'GET', '/big').totals.bytes, big.length);
  assert.equal(info.inbound.totals.bytes, small.length + big.length);
});

test('the normalizer turns numbers, UUIDs and long hex into :id and drops the query string', async () => {
  await using s = await serve((_req, res) => void res.end());
  for (const path of [
    '/orders/123/lines/4?expand=1',
    '/orders/9/lines/0',
    '/files/0f8fad5b-d9cb-469f-a165-70867728950e',
    '/files/0F8FAD5B-D9CB-469F-A165-70867728950E/meta',
    '/commits/5f3c2a9d8e7b6a51',
    '/objects/507f1f77bcf86cd799439011',
    '/words/cafebabe',
    '/search?q=42',
  ]) {
    await get(`${s.origin}${path}`);
  }
  const info = await settled(s.tracker, 8);
  assert.deepEqual(routeKeys(info), [
    'GET /commits/:id',
    'GET /files/:id',
    'GET /files/:id/meta',
    'GET /objects/:id',
    'GET /orders/:id/lines/:id',
    'GET /search',
    'GET /words/cafebabe',
  ]);
  assert.equal(routeRow(info, 'GET', '/orders/:id/lines/:id').totals.count, 2);
});

test('more distinct routes than maxRoutes: the later ones go to the overflow route, and memory stays bounded', async () => {
  await using s = await serve((_req, res) => void res.end(), { maxRoutes: 3 });
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await get(`${s.origin}/page-${name}`);
  await get(`${s.origin}/page-a`);
  await get(`${s.origin}/page-z`);
  const info = await settled(s.tracker, 9);
  assert.deepEqual(routeKeys(info), [`GET ${OVERFLOW_ROUTE}`, 'GET /page-a', 'GET /page-b', 'GET /page-c']);
  assert.equal(routeRow(info, 'GET', '/page-a').totals.count, 2, 'a known route keeps counting');
  const overflow = routeRow(info, 'GET', OVERFLOW_ROUTE);
  assert.equal(overflow.totals.count, 5);
  assert.equal(overflow.source, 'overflow');
  assert.equal(info.inbound.overflowed, 5);
  assert.equal(info.inbound.maxRoutes, 3);
});

test('routeOf overrides the normalizer; undefined leaves the choice to it; one that throws falls back to the normalizer and the app still answers', async () => {
  await using s = await serve((_req, res) => void res.end('answer'), {
    routeOf: (req) => {
      if (req.url === '/explode/5') throw new Error('my hook broke');
      return req.url?.startsWith('/v/') ? '/v/{version}' : undefined;
    },
  });
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  process.on('warning', onWarning);
  try {
    assert.equal((await get(`${s.origin}/v/1.2.3`)).body, 'answer');
    assert.equal((await get(`${s.origin}/v/2.0.0`)).body, 'answer');
    assert.equal((await get(`${s.origin}/plain/77`)).body, 'answer');
    assert.equal((await get(`${s.origin}/explode/5`)).body, 'answer', 'the throwing hook did not reach the application');
    assert.equal((await get(`${s.origin}/explode/5`)).body, 'answer');
    const info = await settled(s.tracker, 5);
    assert.deepEqual(routeKeys(info), ['GET /explode/:id', 'GET /plain/:id', 'GET /v/{version}']);
    assert.equal(routeRow(info, 'GET', '/v/{version}').source, 'user');
    assert.equal(routeRow(info, 'GET', '/v/{version}').totals.count, 2);
    assert.equal(routeRow(info, 'GET', '/explode/:id').source, 'normalized');
    assert.equal(info.faults.routeOf, 2);
    assert.equal(info.faults.internal, 0);
    assert.match(info.faults.lastMessage ?? '', /my hook broke/);
    await sleep(10);
    assert.equal(warnings.filter((w) => /wobserver traffic/.test(w.message)).length, 1, 'warned once');
  } finally {
    process.off('warning', onWarning);
  }
});

test('a route tagged with setRoute() is taken as the framework template', async () => {
  await using s = await serve((req, res) => {
    setRoute(req, '/reports/:year');
    setRoute(req, '/ignored/second/tag');
    res.end();
  });
  await get(`${s.origin}/reports/2024`);
  const info = await settled(s.tracker, 1);
  assert.deepEqual(routeKeys(info), ['GET /reports/:year']);
  assert.equal(info.inbound.routes[0]!.source, 'framework');
});

test('ignore() leaves requests out; an ignore() that throws is a fault, not an error of the app', async () => {
  await using s = await serve((_req, res) => void res.end('ok'), {
    ignore: (req) => {
      if (req.url === '/throw') throw new Error('ignore broke');
      return req.url?.startsWith('/wobserver') === true;
    },
  });
  process.on('warning', noop);
  try {
    await get(`${s.origin}/wobserver/api/system`);
    assert.equal((await get(`${s.origin}/throw`)).body, 'ok');
    await get(`${s.origin}/counted`);
    const info = await settled(s.tracker, 1);
    await sleep(20);
    assert.deepEqual(routeKeys(s.tracker.info()), ['GET /counted']);
    assert.equal(info.faults.internal, 1);
  } finally {
    process.off('warning', noop);
  }
});

function noop(): void {}

test('ignoreRequests() adds a predicate beside the option, told the server too, until its remover is called', async () => {
  await using s = await serve((_req, res) => void res.end('ok'), { ignore: (req) => req.url === '/by-option' });
  let own: unknown;
  const stop = s.tracker.ignoreRequests((req, server) => {
    own = server;
    return req.url?.startsWith('/wobserver/') === true;
  });
  await get(`${s.origin}/by-option`);
  await get(`${s.origin}/wobserver/api`);
  await get(`${s.origin}/kept`);
  await settled(s.tracker, 1);
  assert.ok(own !== undefined && typeof (own as { listen?: unknown }).listen === 'function', 'the predicate is given the server');
  stop();
  stop();
  await get(`${s.origin}/wobserver/api`);
  await settled(s.tracker, 2);
  assert.deepEqual(routeKeys(s.tracker.info()), ['GET /kept', 'GET /wobserver/api']);
});

test('adds no listener to the request or the response', async () => {
  const seen: string[] = [];
  const handler: Handler = (req, res) => {
    seen.push(`${req.eventNames().map(String).join(',')}|${res.eventNames().map(String).join(',')}`);
    res.end();
  };
  const bare = createServer((req, res) => void handler(req, res));
  const bareOrigin = await listen(bare);
  try {
    await get(`${bareOrigin}/x`);
  } finally {
    await close(bare);
  }
  await using s = await serve(handler);
  await get(`${s.origin}/x`);
  await settled(s.tracker, 1);
  assert.equal(seen.length, 2);
  assert.equal(seen[1], seen[0]);
});

test('windows: the open one fills, then closes into last with its rate and percentiles, and an idle window reads as empty', async () => {
  let clock = 1_000_000;
  await using s = await serve(
    (req, res) => {
      // Each request takes exactly the ms its path says, on the injected clock.
      clock += Number(req.url?.slice('/wait-'.length));
      res.end();
    },
    { now: () => clock, windowMs: 10_000 },
  );
  const windowStart = performance.timeOrigin + clock - ((performance.timeOrigin + clock) % 10_000);
  clock = windowStart - performance.timeOrigin + 100;
  for (const ms of [10, 20, 30, 40]) await get(`${s.origin}/wait-${ms}`);
  await settled(s.tracker, 4);
  let info = s.tracker.info();
  assert.equal(info.inbound.current.count, 4);
  assert.equal(info.inbound.last, null, 'no window closed yet');
  clock = windowStart - performance.timeOrigin + 10_000 + 500;
  info = s.tracker.info();
  assert.equal(info.inbound.current.count, 0);
  assert.equal(info.inbound.last?.count, 4);
  assert.equal(info.inbound.last?.rps, 0.4);
  assert.equal(info.inbound.last?.start, windowStart);
  assert.equal(info.inbound.last?.ms, 10_000);
  const rows = info.inbound.routes.map((r) => [r.route, r.last?.count, r.last?.maxMs]);
  assert.deepEqual(rows.sort(), [
    ['/wait-10', 1, 10],
    ['/wait-20', 1, 20],
    ['/wait-30', 1, 30],
    ['/wait-40', 1, 40],
  ]);
  assert.deepEqual(
    info.inbound.slowest.map((r) => [r.route, r.window]),
    [
      ['/wait-40', 'last'],
      ['/wait-30', 'last'],
      ['/wait-20', 'last'],
      ['/wait-10', 'last'],
    ],
  );
  clock += 30_000;
  info = s.tracker.info();
  assert.equal(info.inbound.last?.count, 0, 'the window before now saw nothing');
  assert.equal(info.inbound.totals.count, 4, 'totals stay');
});

test('history: every closed window that saw requests becomes a point with its percentiles, all routes together and per route, the last 60 kept', async () => {
  let clock = 1_000_000;
  await using s = await serve(
    (req, res) => {
      clock += Number(req.url?.slice('/wait-'.length));
      res.end();
    },
    { now: () => clock, windowMs: 1000 },
  );
  const at = (k: number) => {
    const epoch = performance.timeOrigin + clock;
    clock = epoch - (epoch % 1000) + k * 1000 + 100 - performance.timeOrigin;
  };
  at(1);
  for (const ms of [10, 20]) await get(`${s.origin}/wait-${ms}`);
  at(3); // one window without requests between: no point for it
  await get(`${s.origin}/wait-30`);
  await settled(s.tracker, 3);
  at(1);
  let info = s.tracker.info({ method: 'GET', route: '/wait-30' });
  assert.deepEqual(
    info.inbound.history.map((p) => [p.count, p.errors, p.p50Ms !== null && Math.round(p.p50Ms), p.p95Ms !== null, p.p99Ms !== null]),
    [
      [2, 0, 10, true, true],
      [1, 0, 30, true, true],
    ],
  );
  assert.equal(info.inbound.history[1]!.start - info.inbound.history[0]!.start, 3000, 'each point carries its own window start');
  assert.equal(info.inbound.last?.p50Ms !== null && Math.round(info.inbound.last!.p50Ms!), 30, 'all routes together have percentiles too');
  assert.deepEqual(info.route?.history.map((p) => p.count), [1]);
  assert.equal(s.tracker.info({ method: 'GET', route: '/nowhere' }).route, null, 'an unknown route has no history');
  assert.equal(s.tracker.info().route, null, 'none asked');
  for (let i = 0; i < 70; i++) {
    at(1);
    await get(`${s.origin}/wait-1`);
  }
  await settled(s.tracker, 73);
  at(1);
  info = s.tracker.info();
  assert.equal(info.inbound.history.length, 60, 'bounded');
  assert.ok(info.inbound.history.every((p, i, a) => i === 0 || p.start > a[i - 1]!.start), 'oldest first after the ring wrapped');
});

test('close() unsubscribes (twice is fine), start() resumes, and enabled: false never subscribes', async () => {
  await using s = await serve((_req, res) => void res.end());
  await get(`${s.origin}/one`);
  await settled(s.tracker, 1);
  s.tracker.close();
  s.tracker.close();
  assert.equal(s.tracker.running, false);
  await get(`${s.origin}/two`);
  await sleep(30);
  assert.deepEqual(routeKeys(s.tracker.info()), ['GET /one']);
  s.tracker.start();
  await get(`${s.origin}/three`);
  await settled(s.tracker, 2);
  assert.deepEqual(routeKeys(s.tracker.info()), ['GET /one', 'GET /three']);

  const off = new TrafficTracker({ enabled: false });
  off.start();
  assert.equal(off.running, false);
  await get(`${s.origin}/four`);
  await settled(s.tracker, 3);
  const info = off.info();
  assert.equal(info.enabled, false);
  assert.equal(info.since, null);
  assert.deepEqual(info.inbound.routes, []);
  off.close();
});

test('bad options throw an OptionError naming the option', () => {
  assert.throws(() => new TrafficTracker({ maxRoutes: 0 }), { code: 'INVALID_OPTION', message: /traffic\.maxRoutes/ });
  assert.throws(() => new TrafficTracker({ windowMs: 10 }), { code: 'INVALID_OPTION', message: /traffic\.windowMs/ });
  assert.throws(() => new TrafficTracker({ routeOf: 'x' as never }), { code: 'INVALID_OPTION', message: /traffic\.routeOf/ });
  assert.equal(new TrafficTracker().options.maxRoutes, 100);
});
