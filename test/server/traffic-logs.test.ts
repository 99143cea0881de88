// The traffic, logs and requestlog topics over HTTP, with wobserver mounted under a prefix in a real
// node:http application: the application's requests are counted and its logs captured, wobserver's own are not.
import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry } from '../../src/metrics/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { createWobserver } from '../../src/server/index.js';
import { json } from '../helpers/http.js';
import { until } from '../helpers/until.js';

async function app(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  const registry = createRegistry({ node: 'app' });
  const observer = createObserver({ logs: { sources: ['console'] } });
  const wob = createWobserver({ prefix: '/wob', registry, observer });
  const server: Server = createServer((req, res) => void wob.handle(req, res, () => void handler(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    api: `${origin}/wob/api`,
    registry,
    async [Symbol.asyncDispose]() {
      wob.close();
      observer.close();
      registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("/api/traffic counts the application's requests per route, not wobserver's own under its prefix, and /metrics has them as express-prom-bundle names them", async () => {
  await using a = await app(async (req, res) => {
    res.statusCode = req.url?.startsWith('/fail') ? 503 : 200;
    res.end('ok');
  });
  for (const p of ['/users/17', '/users/42', '/fail']) await (await fetch(`${a.origin}${p}`)).text();
  for (let i = 0; i < 3; i++) await json(`${a.api}/system`);
  const info = await until(
    async () => (await json(`${a.api}/traffic`)).body,
    (b) => b.inbound.totals.count >= 3,
    'three requests counted',
  );
  assert.deepEqual(info.inbound.routes.map((r: { method: string; route: string }) => `${r.method} ${r.route}`).sort(), ['GET /fail', 'GET /users/:id']);
  assert.equal(info.inbound.totals.errors, 1);
  assert.deepEqual(info.inbound.statusCodes, { '200': 2, '503': 1 });
  assert.equal(info.route, null);
  const one = (await json(`${a.api}/traffic?method=GET&route=${encodeURIComponent('/users/:id')}`)).body;
  assert.deepEqual(one.route, { method: 'GET', route: '/users/:id', history: [] }, 'a known route, no window closed yet');
  const text = await (await fetch(`${a.origin}/wob/metrics`)).text();
  assert.match(text, /^http_request_duration_seconds_count\{.*path="\/users\/:id".*\} 2$/m);
  assert.match(text, /^http_request_duration_seconds_bucket\{.*le="0\.003".*\}/m);
  assert.doesNotMatch(text, /path="\/wob/, "wobserver's own requests are not the application's");
});

test('/api/logs tails the captured lines after since, filtered by level and search; a bad level or since is a 400 BAD_PARAMETER', async () => {
  await using a = await app(async (_req, res) => void res.end());
  const first = (await json(`${a.api}/logs?limit=1`)).body;
  console.info('traffic-logs test: an info line');
  console.warn('traffic-logs test: a warning with password=hunter2');
  console.debug('traffic-logs test: a debug line');
  const page = await until(
    async () => (await json(`${a.api}/logs?since=${first.next}&search=traffic-logs%20test`)).body,
    (b) => b.lines.length >= 3,
    'three lines captured',
  );
  assert.deepEqual(
    page.lines.map((l: { level: string; source: string }) => [l.level, l.source]),
    [
      ['info', 'console'],
      ['warn', 'console'],
      ['debug', 'console'],
    ],
  );
  assert.doesNotMatch(JSON.stringify(page.lines), /hunter2/, 'secrets go through the redaction rules');
  const warn = (await json(`${a.api}/logs?since=${first.next}&level=warn&search=traffic-logs`)).body;
  assert.deepEqual(
    warn.lines.map((l: { level: string }) => l.level),
    ['warn'],
  );
  assert.equal(page.capturing, true);
  assert.deepEqual(page.sources, ['console']);
  for (const q of ['level=loud', 'since=x', 'limit=0', 'limit=5000']) {
    const r = await json(`${a.api}/logs?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.code, 'BAD_PARAMETER', q);
  }
});

test("/api/requestlog follows a token: the marked request's lines across awaits and timers arrive with its method, status and duration, an unmarked concurrent one's and wobserver's own marked one do not", async () => {
  await using a = await app(async (req, res) => {
    const who = new URL(req.url ?? '/', 'http://x').searchParams.get('who');
    console.info(`request-logger test: ${who} begins`);
    await sleep(20);
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        console.info(`request-logger test: ${who} in a timer`);
        resolve();
      }, 10),
    );
    res.statusCode = 201;
    res.end();
  });
  const token = 'tok-1234.abc';
  const empty = (await json(`${a.api}/requestlog?token=${token}`)).body;
  assert.deepEqual(empty.mark, { param: 'wobserver_logger', header: 'x-wobserver-logger', cookie: 'wobserver_logger' });
  assert.deepEqual(empty.requests, []);
  await Promise.all([
    fetch(`${a.origin}/work?who=marked&wobserver_logger=${token}`).then((r) => r.text()),
    fetch(`${a.origin}/work?who=plain`).then((r) => r.text()),
    fetch(`${a.origin}/work?who=header`, { headers: { 'x-wobserver-logger': token } }).then((r) => r.text()),
    // wobserver's own requests are never followed, marked or not (a browser that set the cookie marks them too).
    fetch(`${a.api}/system`, { headers: { 'x-wobserver-logger': token } }).then((r) => r.text()),
  ]);
  const info = await until(
    async () => (await json(`${a.api}/requestlog?token=${token}`)).body,
    (b) => b.requests.length === 2 && b.requests.every((r: { state: string }) => r.state === 'finished'),
    'two marked requests finished',
  );
  const seen = info.requests.map((r: { method: string; status: number; durationMs: number; url: string; lines: { message: string }[] }) => {
    assert.equal(r.method, 'GET');
    assert.equal(r.status, 201);
    assert.ok(r.durationMs >= 25, `${r.durationMs} ms`);
    assert.doesNotMatch(r.url, new RegExp(token.replace('.', '\\.')), 'the token is redacted from the URL');
    return r.lines.map((l) => l.message).join(' | ');
  });
  assert.deepEqual(seen.sort(), [
    'request-logger test: header begins | request-logger test: header in a timer',
    'request-logger test: marked begins | request-logger test: marked in a timer',
  ]);
  for (const bad of ['', 'has space', 'x'.repeat(129)]) {
    const r = await json(`${a.api}/requestlog?token=${encodeURIComponent(bad)}`);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.body.error.code, 'BAD_PARAMETER');
  }
  assert.equal((await json(`${a.api}/requestlog`)).body.error.code, 'BAD_PARAMETER', 'a token is required');
});
