// One suite for every framework adapter (node:http, Express, Fastify, Koa, NestJS on its
// Express platform), in the manner of Hono's shared router tests: `adapterConformance()`
// is called once per way of mounting wobserver, and each gets the same expectations.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { WebSocket } from 'ws';
import { type WebSocketLike, connect } from '../../src/client/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { type Wobserver, type WobserverOptions, createWobserver, expressMiddleware, fastifyPlugin, koaMiddleware } from '../../src/server/index.js';
import { json as getJson } from '../helpers/http.js';
import { TestClient } from '../helpers/ws-client.js';

const PREFIX = '/wobserver';
const TOKEN = 'adapter-t0ken';

/** What the host application answers on its own routes: `/app`, and `/wobserver-app`, which only starts like the prefix. */
const APP_ROUTES = ['/app', `${PREFIX}-app`];

function mounted(options: WobserverOptions = {}): Wobserver {
  const observer = createObserver();
  observer.tables.register('users', new Map([['u1', { name: 'Ann' }]]));
  observer.pages.register({ title: 'Info', command: 'info', callback: () => ({ answer: 42 }) });
  return createWobserver({ prefix: PREFIX, observer, nodeName: 'mounted', ...options });
}

/** A framework application serving APP_ROUTES with wobserver mounted in it, listening on loopback. */
interface Mounted {
  origin: string;
  close(): Promise<void>;
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


/**
 * The expectations every adapter meets: wobserver's UI, API, metrics, WebSocket and
 * fallback under its prefix; the application's own routes untouched (also one that
 * only starts like the prefix); wobserver's authentication on wobserver's routes and
 * on nothing else.
 */
function adapterConformance(name: string, mount: (wob: Wobserver) => Promise<Mounted>): void {
  test(`${name}: serves the UI, every API route, /metrics, the WebSocket and the fallback under its prefix`, async () => {
    const wob = mounted();
    const app = await mount(wob);
    try {
      await probe(app.origin, wob);
    } finally {
      await app.close();
      wob.observer.close();
    }
  });

  test(`${name}: passes the application's own routes through, also one that only starts like the prefix`, async () => {
    const wob = mounted();
    const app = await mount(wob);
    try {
      for (const path of APP_ROUTES) {
        const r = await fetch(`${app.origin}${path}`);
        assert.equal(r.status, 200, path);
        assert.equal(await r.text(), 'the app', path);
        assert.equal(r.headers.get('content-security-policy'), null, `${path}: none of wobserver's headers`);
      }
    } finally {
      await app.close();
      wob.observer.close();
    }
  });

  test(`${name}: wobserver's authentication applies to its page data, API, metrics, fallback and WebSocket, and not to the application's routes`, async () => {
    const wob = mounted({ auth: { token: TOKEN } });
    const app = await mount(wob);
    const base = `${app.origin}${PREFIX}`;
    try {
      for (const path of APP_ROUTES) assert.equal(await (await fetch(`${app.origin}${path}`)).text(), 'the app', `${path} needs no token`);
      for (const path of ['/api/about', '/api/system', '/metrics']) {
        const denied = await getJson(`${base}${path}`);
        assert.equal(denied.status, 401, path);
        assert.equal(denied.body.error.code, 'UNAUTHORIZED', path);
        assert.equal((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer wrong' } })).status, 401, `${path}, another token`);
        const ok = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(ok.status, 200, `${path} with the token`);
        await ok.body?.cancel();
      }
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200, 'the page loads, for the sign-in');
      await page.body?.cancel();
      assert.equal((await fetch(`${base}/events/x`, { method: 'POST', headers: { 'x-wobserver-request': '1', 'content-type': 'application/json' }, body: '{}' })).status, 401, 'the fallback');
      const ws = `${base.replace('http', 'ws')}/ws`;
      await assert.rejects(new TestClient(ws).opened(), { status: 401 });
      const c = new TestClient(ws, { headers: { authorization: `Bearer ${TOKEN}` } });
      await c.opened();
      c.close();
    } finally {
      await app.close();
      wob.observer.close();
    }
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes wobserver (its live clients first), then the framework's server. */
async function closeServer(wob: Wobserver, server: Server): Promise<void> {
  wob.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const appAnswer = (path: string | undefined): string | undefined => (APP_ROUTES.includes(path ?? '') ? 'the app' : undefined);

adapterConformance('node:http, handle(req, res, next) and attach(server)', async (wob) => {
  const server = createServer((req, res) =>
    void wob.handle(req, res, () => {
      const body = appAnswer(req.url);
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body ?? 'not found');
    }),
  );
  wob.attach(server);
  return { origin: await listen(server), close: () => closeServer(wob, server) };
});

adapterConformance("Express, beside the app's routes and its JSON body parser (the WebSocket attached by the first request)", async (wob) => {
  const app = express();
  app.use(express.json());
  app.use(expressMiddleware(wob));
  for (const path of APP_ROUTES) app.get(path, (_req, res) => void res.send('the app'));
  const server = createServer(app);
  const origin = await listen(server);
  // The first request through the middleware attaches the WebSocket.
  assert.equal(await (await fetch(`${origin}/app`)).text(), 'the app');
  return { origin, close: () => closeServer(wob, server) };
});

adapterConformance('Express under a mount path: app.use("/wobserver", ...)', async (wob) => {
  const app = express();
  app.use(PREFIX, expressMiddleware(wob));
  for (const path of APP_ROUTES) app.get(path, (_req, res) => void res.send('the app'));
  const server = createServer(app);
  wob.attach(server);
  return { origin: await listen(server), close: () => closeServer(wob, server) };
});

adapterConformance('Fastify, as a plugin', async (wob) => {
  // Node 20's fetch (undici) opens a spare connection after an aborted stream; Fastify's close waits for it unless told not to.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fastifyPlugin(wob));
  for (const path of APP_ROUTES) app.get(path, async () => 'the app');
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin, close: () => app.close() };
});

adapterConformance('Koa', async (wob) => {
  const app = new Koa();
  app.use(koaMiddleware(wob));
  app.use(async (ctx) => {
    const body = appAnswer(ctx.path);
    if (body !== undefined) ctx.body = body;
  });
  const server = createServer(app.callback());
  wob.attach(server);
  return { origin: await listen(server), close: () => closeServer(wob, server) };
});

adapterConformance('NestJS on its Express platform, through app.use(expressMiddleware())', async (wob) => {
  // Plain functions for the decorators, as examples/nestjs.mjs does.
  class AppController {
    app(): string {
      return 'the app';
    }
  }
  Controller()(AppController);
  Get([...APP_ROUTES])(AppController.prototype, 'app', Object.getOwnPropertyDescriptor(AppController.prototype, 'app')!);
  class AppModule {}
  Module({ controllers: [AppController] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(expressMiddleware(wob));
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  wob.attach(server);
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      wob.close();
      server.closeAllConnections();
      await app.close();
    },
  };
});
