import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { type ConnectionState, type WebSocketLike, connect } from '../../src/client/index.js';
import { createWobserver, start } from '../../src/server/index.js';
import { untilTrue } from '../helpers/until.js';

const until = (check: () => boolean, what: string): Promise<boolean> => untilTrue(check, what, 10_000);

const viaWs = (headers: Record<string, string> = {}) => (url: string) => new WebSocket(url, { headers }) as unknown as WebSocketLike;

test('over the WebSocket: one-off reads, subscriptions, and errors with their code', async () => {
  const s = await start({ port: 0, nodeName: 'n' });
  const c = connect(s.url, { WebSocket: viaWs() });
  try {
    const about = await c.get<{ node: string }>('about');
    assert.equal(about.node, 'n');
    assert.equal(c.state, 'open');
    assert.equal(c.hello?.transport, 'websocket');
    const got: number[] = [];
    const off = c.subscribe<{ heap: { used: number } }>('memory', { every: 300 }, (m) => got.push(m.heap.used));
    await until(() => got.length >= 2, 'two pushes');
    off();
    await assert.rejects(c.get('tables', { params: { name: 'missing' } }), { code: 'TABLE_NOT_FOUND' });
    await assert.rejects(c.get('system', { node: 'elsewhere' }), { code: 'NODE_NOT_FOUND' });
  } finally {
    c.close();
    await s.close();
  }
});

test('when the upgrade is refused, the client falls back to server-sent events by itself', async () => {
  // Mounted in a node:http server without its upgrade handler: the WebSocket cannot open.
  const wob = createWobserver({ prefix: '/wobserver', auth: { token: 't0k' } });
  const server = createServer((req, res) => void wob.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wobserver/`;
  const headers = { authorization: 'Bearer t0k' };
  const c = connect(base, { WebSocket: viaWs(headers), headers });
  const states: ConnectionState[] = [];
  c.onState((st) => states.push(st));
  try {
    const about = await c.get<{ prefix: string }>('about');
    assert.equal(about.prefix, '/wobserver');
    assert.equal(c.state, 'fallback');
    assert.equal(c.hello?.transport, 'events');
    const pushes: unknown[] = [];
    const appended: boolean[] = [];
    c.subscribe('load', { every: 1000 }, (d, meta) => {
      pushes.push(d);
      appended.push(meta.append);
    });
    await until(() => pushes.length >= 2, 'load pushed over the fallback');
    assert.deepEqual(appended.slice(0, 2), [false, true]);
    assert.deepEqual(states, ['fallback']);
    await assert.rejects(c.get('nope'), { code: 'UNKNOWN_TOPIC' });
  } finally {
    c.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    wob.close();
  }
});

test('the client reconnects after the server restarts, and subscribes again', { timeout: 30_000 }, async () => {
  let s = await start({ port: 0 });
  const port = Number(new URL(s.url).port);
  const c = connect(s.url, { WebSocket: viaWs(), retryMinMs: 100, retryMaxMs: 400 });
  const states: ConnectionState[] = [];
  c.onState((st) => states.push(st));
  let pushes = 0;
  c.subscribe('about', { every: 300 }, () => pushes++);
  try {
    await until(() => pushes >= 1, 'first push');
    await s.close();
    await until(() => c.state === 'reconnecting', 'reconnecting');
    s = await start({ port });
    const before = pushes;
    await until(() => c.state === 'open' && pushes > before, 'a push after the restart');
    assert.ok(states.includes('reconnecting'));
    assert.equal(s.wobserver.liveStats().subscriptions, 1, 'subscribed again, once');
  } finally {
    c.close();
    await s.close();
  }
});

test('once a WebSocket has worked, one that fails to open is retried as a WebSocket, and only five failures in a row fall back to the event stream', { timeout: 30_000 }, async () => {
  const s = await start({ port: 0, nodeName: 'n' });
  // A port nothing listens on: a WebSocket sent there fails to open, for real.
  const dead = createServer();
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise<void>((resolve) => dead.close(() => resolve()));
  let failNext = 0;
  let attempts = 0;
  let last: WebSocket | undefined;
  const factory = (url: string): WebSocketLike => {
    attempts++;
    const to = failNext > 0 ? url.replace(/:\d+\//, `:${deadPort}/`) : url;
    if (failNext > 0) failNext--;
    last = new WebSocket(to);
    return last as unknown as WebSocketLike;
  };
  const c = connect(s.url, { WebSocket: factory, retryMinMs: 20, retryMaxMs: 60 });
  const states: ConnectionState[] = [];
  c.onState((st) => states.push(st));
  try {
    await c.get('about');
    assert.equal(c.state, 'open');
    // Four failures in a row after it worked: still a WebSocket when the fifth try opens.
    failNext = 4;
    attempts = 0;
    last!.terminate();
    await until(() => attempts === 5 && c.state === 'open', 'the fifth WebSocket opens');
    assert.ok(!states.includes('fallback'), `never on the fallback: ${states.join(' → ')}`);
    assert.equal(c.hello?.transport, 'websocket');
    // Five in a row: the event stream takes over.
    failNext = 5;
    attempts = 0;
    last!.terminate();
    await until(() => c.state === 'fallback', 'on the fallback after five failures');
    assert.equal(attempts, 5, 'five WebSockets tried, no more');
    assert.equal((await c.get<{ node: string }>('about')).node, 'n', 'and answers over it');
  } finally {
    c.close();
    await s.close();
  }
});
