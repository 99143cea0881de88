// Route templates from real frameworks: Express (mount paths included), NestJS on Express,
// Fastify (its diagnostics channel, and the hook for requests a hook answered), Koa with
// @koa/router (through the middleware helper).
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import 'reflect-metadata';
import Router from '@koa/router';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { TrafficTracker, fastifyRouteHook, koaRoutes } from '../../../src/runtime/traffic/index.js';
import { close, get, listen, routeKeys, routeRow, settled } from './helpers.js';

test('Express: the route template joined with its mount path, nested routers, a 404 normalized and a thrown error as 500', async () => {
  const tracker = new TrafficTracker();
  tracker.start();
  const app = express();
  app.set('env', 'test'); // finalhandler logs errors otherwise
  app.get('/health', (_req, res) => void res.send('ok'));
  const users = express.Router();
  users.get('/:id', (_req, res) => void res.json({ ok: true }));
  users.get('/', (_req, res) => void res.json([]));
  const api = express.Router();
  api.use('/users', users);
  api.post('/orders/:orderId/items', (_req, res) => void res.status(201).send('made'));
  api.get('/boom', () => {
    throw new Error('boom');
  });
  app.use('/api/v1', api);
  const tenant = express.Router();
  tenant.get('/reports/:year', (_req, res) => void res.send('report'));
  tenant.get('/fail', (_req, _res, next) => next(new Error('failed')));
  app.use('/tenants/:tenant', tenant);
  const server = createServer(app);
  const origin = await listen(server);
  try {
    assert.equal((await get(`${origin}/health`)).status, 200);
    assert.equal((await get(`${origin}/api/v1/users/42`)).status, 200);
    assert.equal((await get(`${origin}/api/v1/users/7?full=1`)).status, 200);
    assert.equal((await get(`${origin}/api/v1/users`)).status, 200);
    assert.equal((await get(`${origin}/api/v1/orders/9/items`, { method: 'POST' })).status, 201);
    assert.equal((await get(`${origin}/api/v1/boom`)).status, 500);
    assert.equal((await get(`${origin}/nothing/123`)).status, 404);
    assert.equal((await get(`${origin}/tenants/17/reports/2024`)).status, 200);
    assert.equal((await get(`${origin}/tenants/18/fail`)).status, 500);
    const info = await settled(tracker, 9);
    assert.deepEqual(routeKeys(info), [
      // Left the router through next(err): Express reset req.baseUrl, the mount path came back from the URL.
      'GET /api/v1/boom',
      'GET /api/v1/users',
      'GET /api/v1/users/:id',
      'GET /health',
      'GET /nothing/:id',
      // A mount path with a parameter: Express gives its value, which the normalizer turns into :id.
      'GET /tenants/:id/fail',
      'GET /tenants/:id/reports/:year',
      'POST /api/v1/orders/:orderId/items',
    ]);
    const user = routeRow(info, 'GET', '/api/v1/users/:id');
    assert.equal(user.totals.count, 2);
    assert.equal(user.source, 'framework');
    assert.deepEqual(user.statusCodes, { '200': 2 });
    assert.deepEqual(routeRow(info, 'POST', '/api/v1/orders/:orderId/items').statusCodes, { '201': 1 });
    const boom = routeRow(info, 'GET', '/api/v1/boom');
    assert.deepEqual(boom.statusCodes, { '500': 1 });
    assert.equal(boom.totals.errors, 1);
    assert.equal(routeRow(info, 'GET', '/nothing/:id').source, 'normalized');
    assert.equal(info.inbound.totals.errors, 2, 'the two 5xx, not the 404');
  } finally {
    tracker.close();
    await close(server);
  }
});

test('NestJS on Express: the controller prefix and the method path make the route', async () => {
  const tracker = new TrafficTracker();
  tracker.start();
  // Plain functions for the decorators, as examples/nestjs.mjs does.
  class CatsController {
    one(): string {
      return 'a cat';
    }
    add(): string {
      return 'added';
    }
  }
  Controller('cats')(CatsController);
  const method = (name: string): PropertyDescriptor => Object.getOwnPropertyDescriptor(CatsController.prototype, name)!;
  Get(':id')(CatsController.prototype, 'one', method('one'));
  Post()(CatsController.prototype, 'add', method('add'));
  class AppModule {}
  Module({ controllers: [CatsController] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  app.setGlobalPrefix('v2');
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.equal((await get(`${origin}/v2/cats/3`)).body, 'a cat');
    assert.equal((await get(`${origin}/v2/cats`, { method: 'POST' })).status, 201);
    const info = await settled(tracker, 2);
    assert.deepEqual(routeKeys(info), ['GET /v2/cats/:id', 'POST /v2/cats']);
    assert.deepEqual(routeRow(info, 'POST', '/v2/cats').statusCodes, { '201': 1 });
  } finally {
    tracker.close();
    server.closeAllConnections();
    await app.close();
  }
});

test('Fastify: the route URL pattern from its diagnostics channel, prefixes included; a hook-answered request needs fastifyRouteHook', async () => {
  const tracker = new TrafficTracker();
  tracker.start();
  const app = Fastify();
  app.get('/items/:itemId', async () => ({ ok: true }));
  await app.register(
    async (api) => {
      api.get('/things/:slug/parts/:part', async (_req, reply) => reply.code(202).send('ok'));
      api.get('/guarded/:id', { onRequest: async (_req, reply) => reply.code(401).send('no') }, async () => 'never');
    },
    { prefix: '/api' },
  );
  const hooked = Fastify();
  hooked.addHook('onRequest', fastifyRouteHook);
  hooked.get('/locked/:id', { onRequest: async (_req, reply) => reply.code(403).send('no') }, async () => 'never');
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  const hookedOrigin = await hooked.listen({ port: 0, host: '127.0.0.1' });
  try {
    assert.equal((await get(`${origin}/items/abc`)).status, 200);
    assert.equal((await get(`${origin}/api/things/red/parts/wheel`)).status, 202);
    assert.equal((await get(`${origin}/api/guarded/12`)).status, 401);
    assert.equal((await get(`${hookedOrigin}/locked/0f8fad5bd9cb469f`)).status, 403);
    assert.equal((await get(`${origin}/missing`)).status, 404);
    const info = await settled(tracker, 5);
    assert.deepEqual(routeKeys(info), [
      'GET /api/guarded/:id', // normalized: a hook answered before the handler, so the channel never spoke
      'GET /api/things/:slug/parts/:part',
      'GET /items/:itemId',
      'GET /locked/:id',
      'GET /missing',
    ]);
    assert.equal(routeRow(info, 'GET', '/items/:itemId').source, 'framework');
    assert.equal(routeRow(info, 'GET', '/api/guarded/:id').source, 'normalized');
    const locked = routeRow(info, 'GET', '/locked/:id');
    assert.equal(locked.source, 'framework', 'the hook gave the pattern');
    assert.deepEqual(locked.statusCodes, { '403': 1 });
    assert.deepEqual(routeRow(info, 'GET', '/api/things/:slug/parts/:part').statusCodes, { '202': 1 });
  } finally {
    tracker.close();
    await app.close();
    await hooked.close();
  }
});

test('Koa with @koa/router: koaRoutes() gives the matched route, router prefixes and nested routers included, also when a handler throws', async () => {
  const tracker = new TrafficTracker();
  tracker.start();
  const app = new Koa();
  app.silent = true;
  const nested = new Router();
  nested.get('/:postId', (ctx) => {
    ctx.body = 'post';
  });
  const router = new Router({ prefix: '/blog' });
  router.get('/authors/:name', (ctx) => {
    ctx.body = 'author';
  });
  router.get('/fail/:n', () => {
    throw new Error('fails');
  });
  router.use('/posts', nested.routes());
  app.use(koaRoutes());
  app.use(router.routes());
  const server = createServer(app.callback());
  const origin = await listen(server);
  try {
    assert.equal((await get(`${origin}/blog/authors/ann`)).body, 'author');
    assert.equal((await get(`${origin}/blog/posts/12`)).body, 'post');
    assert.equal((await get(`${origin}/blog/fail/1`)).status, 500);
    assert.equal((await get(`${origin}/blog/unknown/55`)).status, 404);
    const info = await settled(tracker, 4);
    assert.deepEqual(routeKeys(info), ['GET /blog/authors/:name', 'GET /blog/fail/:n', 'GET /blog/posts/:postId', 'GET /blog/unknown/:id']);
    assert.deepEqual(routeRow(info, 'GET', '/blog/fail/:n').statusCodes, { '500': 1 });
    assert.equal(routeRow(info, 'GET', '/blog/unknown/:id').source, 'normalized');
  } finally {
    tracker.close();
    await close(server);
  }
});
