import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { WebSocket } from 'ws';
import { type WebSocketLike, connect } from '../../src/client/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { type Wobserver, createWobserver, expressMiddleware, fastifyPlugin, koaMiddleware } from '../../src/server/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { json as getJson } from '../helpers/http.js';

const PREFIX = '/wobserver';

function mounted(): Wobserver {
  const observer = createObserver();
  observer.tables.register('users', new Map([['u1', { name: 'Ann' }]]));
  observer.pages.register({ title: 'Info', command: 'info', callback: () => ({ answer: 42 }) });
  return createWobserver({ prefix: PREFIX, observer, nodeName: 'mounted' });
}

/** Every API route, the index, /metrics, the WebSocket and the fallback, through the framework; and the app's own route still answers. */
async function probe(origin: string, wob: Wobserver): Promise<void> {
  const base = `${origin}${PREFIX}`;
  const json = async (path: string): Promise<any> => {
    const res = await getJson(`${base}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.type ?? '', /application\/json/, path);
    return res.body;
  };
  assert.equal((await json('/api/about')).prefix, PREFIX);
  assert.equal((await json('/api/nodes'))[0].name, 'mounted');
  assert.equal((await json('/api/system')).process.pid, process.pid);
  assert.ok(Array.isArray((await json('/api/load')).timestamps));
  assert.ok((await json('/api/memory')).spaces.length > 0);
  assert.ok(Array.isArray((await json('/api/applications')).packages));
  assert.equal((await json('/api/processes')).main.pid, process.pid);
  assert.equal((await json('/api/mounted/processes/main')).id, 'main');
  assert.ok(Array.isArray((await json('/api/ports')).handles));
  assert.deepEqual((await json('/api/tables')).map((t: { name: string }) => t.name), ['users']);
  assert.equal((await json('/api/local/tables/users')).entries[0].key, 'u1');
  assert.equal((await json('/api/pages'))[0].command, 'info');
  assert.deepEqual((await json('/api/pages/info')).data, { answer: 42 });
  assert.equal((await json('/api/diagnostics')).enabled, false);
  const denied = await fetch(`${base}/api/diagnostics/report`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
  assert.equal(denied.status, 403);
  assert.equal(((await denied.json()) as any).error.code, 'DIAGNOSTICS_DISABLED');
  assert.equal((await fetch(`${base}/api/elsewhere/system`)).status, 404);
  // The built UI, from the package, under the prefix by relative URLs.
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  const script = /src="(assets\/app-[\w-]+\.js)"/.exec(await index.text())?.[1];
  assert.ok(script !== undefined, 'the page loads its script by a relative URL');
  const js = await fetch(`${base}/${script}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  const metrics = await fetch(`${base}/metrics`);
  assert.match(await metrics.text(), /^nodejs_heap_size_used_bytes /m);
  assert.equal((await fetch(`${origin}/app`).then((r) => r.text())), 'the app');

  const c = new TestClient(`${base.replace('http', 'ws')}/ws`);
  await c.opened();
  c.send({ id: 'm', subscribe: 'memory', every: 300 });
  await c.next((m) => m.sub === 'm');
  await c.next((m) => m.sub === 'm' && c.count((x) => x.sub === 'm') >= 2);
  c.close();

  const viaEvents = connect(`${base}/`, { transport: 'events' });
  try {
    assert.equal((await viaEvents.get<{ node: string }>('about')).node, 'mounted');
    assert.equal(viaEvents.state, 'fallback');
  } finally {
    viaEvents.close();
  }
  const auto = connect(`${base}/`, { WebSocket: (u) => new WebSocket(u) as unknown as WebSocketLike });
  try {
    assert.equal((await auto.get<{ node: string }>('about')).node, 'mounted');
    assert.equal(auto.state, 'open');
  } finally {
    auto.close();
  }
  assert.ok(wob.liveStats().clients <= 2);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes wobserver (its live clients first), its observer, then the framework's server. */
async function closeMounted(wob: Wobserver, server: Server): Promise<void> {
  wob.close();
  wob.observer.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

test('mounted in node:http: handle(req, res, next) and attach(server)', async () => {
  const wob = mounted();
  const server = createServer((req, res) =>
    void wob.handle(req, res, () => {
      res.end(req.url === '/app' ? 'the app' : 'not found');
    }),
  );
  wob.attach(server);
  try {
    await probe(await listen(server), wob);
  } finally {
    await closeMounted(wob, server);
  }
});

test('mounted in Express, beside the app\'s routes and its JSON body parser', async () => {
  const wob = mounted();
  const app = express();
  app.use(express.json());
  app.use(expressMiddleware(wob));
  app.get('/app', (_req, res) => {
    res.send('the app');
  });
  const server = createServer(app);
  try {
    const origin = await listen(server);
    // The first request through the middleware attaches the WebSocket.
    assert.equal(await (await fetch(`${origin}/app`)).text(), 'the app');
    await probe(origin, wob);
  } finally {
    await closeMounted(wob, server);
  }
});

test('mounted in Express under a mount path: app.use("/wobserver", ...)', async () => {
  const wob = mounted();
  const app = express();
  app.use(PREFIX, expressMiddleware(wob));
  app.get('/app', (_req, res) => {
    res.send('the app');
  });
  const server = createServer(app);
  wob.attach(server);
  try {
    await probe(await listen(server), wob);
  } finally {
    await closeMounted(wob, server);
  }
});

test('mounted in Fastify as a plugin', async () => {
  const wob = mounted();
  // Node 20's fetch (undici) opens a spare connection after an aborted stream; Fastify's close waits for it unless told not to.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fastifyPlugin(wob));
  app.get('/app', async () => 'the app');
  try {
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    await probe(origin, wob);
  } finally {
    await app.close();
    wob.observer.close();
  }
});

test('mounted in Koa', async () => {
  const wob = mounted();
  const app = new Koa();
  app.use(koaMiddleware(wob));
  app.use(async (ctx) => {
    if (ctx.path === '/app') ctx.body = 'the app';
  });
  const server = createServer(app.callback());
  wob.attach(server);
  try {
    await probe(await listen(server), wob);
  } finally {
    await closeMounted(wob, server);
  }
});
