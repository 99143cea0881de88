import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createObserver } from '../../src/runtime/index.js';
import { start } from '../../src/server/index.js';
import { TestClient } from '../helpers/ws-client.js';

const wsUrl = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}/ws`;

test('tables and custom pages are pushed at the subscription\'s rate, with their parameters', async () => {
  const observer = createObserver();
  const cache = new Map([['a', 1], ['b', 2], ['c', 3]]);
  observer.tables.register('cache', cache);
  let runs = 0;
  observer.pages.register({ title: 'Tick', command: 'tick', refresh: 1, callback: () => ({ runs: ++runs }) });
  const s = await start({ port: 0, observer });
  const c = new TestClient(wsUrl(s.url));
  try {
    await c.opened();
    c.send({ id: 't', subscribe: 'tables', params: { name: 'cache', pageSize: 2, sort: 'key', order: 'desc' }, every: 300 });
    const page = await c.next((m) => m.sub === 't');
    assert.deepEqual(page.data.entries.map((e: { key: string }) => e.key), ['c', 'b']);
    cache.set('d', 4);
    const later = await c.next((m) => m.sub === 't' && m.data.entries[0].key === 'd');
    assert.equal(later.data.size, 4);

    c.send({ id: 'p', subscribe: 'pages', params: { command: 'tick' } });
    const ack = await c.next((m) => m.id === 'p');
    assert.equal(ack.every, 1000, 'a custom page is pushed at its own refresh by default');
    await c.next((m) => m.sub === 'p' && m.data.data.runs === 1);

    c.send({ id: 'x', subscribe: 'tables', params: { name: 'missing' } });
    const missing = await c.next((m) => m.sub === 'x');
    assert.equal(missing.error.code, 'TABLE_NOT_FOUND', 'an error of the topic is pushed, not thrown');
  } finally {
    c.close();
    await s.close();
    observer.close();
  }
});

test('one sample per interval is shared by every subscriber, and nothing is sampled when nobody watches', async () => {
  const observer = createObserver();
  const s = await start({ port: 0, observer });
  const clients = [0, 1, 2].map(() => new TestClient(wsUrl(s.url)));
  try {
    await Promise.all(clients.map((c) => c.opened()));
    for (const c of clients) c.send({ id: 'm', subscribe: 'memory', every: 400 });
    await sleep(1500);
    const received = clients.map((c) => c.count((m) => m.sub === 'm'));
    const stats = s.wobserver.liveStats();
    assert.ok(received.every((n) => n >= 3), `each client got pushes: ${received}`);
    assert.equal(stats.feeds, 1, 'one feed for the same topic and parameters');
    assert.ok(stats.samples <= Math.max(...received) + 2, `samples ${stats.samples} shared among ${received}`);
    for (const c of clients) c.close();
    await sleep(200);
    const after = s.wobserver.liveStats();
    assert.equal(after.feeds, 0);
    assert.equal(after.clients, 0);
    await sleep(900);
    assert.equal(s.wobserver.liveStats().samples, after.samples, 'no sampling without subscribers');
  } finally {
    for (const c of clients) c.close();
    await s.close();
    observer.close();
  }
});

test('what only the WebSocket has: an array or a binary frame is one bad message; a message past the size limit closes that connection (1009), and only that one', async () => {
  // The errors both transports share are in transport-conformance.test.ts.
  const s = await start({ port: 0, nodeName: 'me', live: { maxMessageBytes: 1024, maxSubscriptions: 2 } });
  const c = new TestClient(wsUrl(s.url));
  try {
    await c.opened();
    c.send('[1,2]');
    const answer = await c.next((x) => x.error !== undefined);
    assert.equal(answer.error.code, 'BAD_MESSAGE', 'an array');
    assert.equal(typeof answer.error.message, 'string');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await c.next((x) => x.error?.message?.includes('binary'))).error.code, 'BAD_MESSAGE');
    c.send({ id: 'ok', get: 'about', node: 'me' });
    assert.equal((await c.next((x) => x.id === 'ok')).data.node, 'me', 'still answering');

    c.send({ id: 'big', get: 'about', params: { x: 'y'.repeat(2000) } });
    assert.equal((await c.closed()).code, 1009);
    const d = new TestClient(wsUrl(s.url));
    await d.opened();
    d.send({ id: 1, get: 'about' });
    assert.equal((await d.next((x) => x.id === 1)).data.name, 'wobserver');
    d.close();
  } finally {
    c.close();
    await s.close();
  }
});

test('a garbage frame closes only that connection; the server goes on', async () => {
  const s = await start({ port: 0 });
  try {
    const { port } = new URL(s.url);
    const raw = tcpConnect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    // An unmasked client frame with a reserved opcode: a protocol error.
    raw.write(Buffer.from([0x83, 0x05, 1, 2, 3, 4, 5]));
    await new Promise<void>((resolve) => raw.once('close', () => resolve()));
    const c = new TestClient(wsUrl(s.url));
    await c.opened();
    c.send({ id: 1, get: 'about' });
    assert.equal((await c.next((x) => x.id === 1)).data.name, 'wobserver');
    c.close();
    await sleep(50);
    assert.equal(s.wobserver.liveStats().clients, 0);
  } finally {
    await s.close();
  }
});

test('a peer that stops answering heartbeats is dropped', async () => {
  const s = await start({ port: 0, live: { heartbeatMs: 150 } });
  const c = new TestClient(wsUrl(s.url), { autoPong: false });
  const healthy = new TestClient(wsUrl(s.url));
  try {
    await Promise.all([c.opened(), healthy.opened()]);
    await c.closed();
    assert.ok(s.wobserver.liveStats().droppedDead >= 1);
    await sleep(400);
    assert.equal(healthy.ws.readyState, healthy.ws.OPEN, 'a peer that answers stays');
  } finally {
    c.close();
    healthy.close();
    await s.close();
  }
});

test('a client that stops reading is dropped once its send buffer passes the bound', { timeout: 60_000 }, async () => {
  const observer = createObserver();
  // About 3 MB a page of this table.
  const rows = new Map<string, Record<string, string>>();
  for (let i = 0; i < 1000; i++) rows.set(`k${i}`, Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, 'y'.repeat(150)])));
  observer.tables.register('big', rows);
  const s = await start({ port: 0, observer, live: { maxBufferedBytes: 256 * 1024 } });
  // A raw client: it subscribes, then never reads again, so the kernel's buffers fill, then the server's.
  const raw = tcpConnect(Number(new URL(s.url).port), '127.0.0.1');
  try {
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    raw.write(maskedText(JSON.stringify({ id: 'b', subscribe: 'tables', params: { name: 'big', pageSize: 1000 }, every: 250 })));
    raw.pause();
    const started = Date.now();
    while (s.wobserver.liveStats().droppedSlow === 0 && Date.now() - started < 45_000) await sleep(100);
    assert.equal(s.wobserver.liveStats().droppedSlow, 1);
    await sleep(100);
    assert.equal(s.wobserver.liveStats().clients, 0);
    assert.equal(s.wobserver.liveStats().feeds, 0, 'its subscriptions ended with it');
  } finally {
    raw.destroy();
    await s.close();
    observer.close();
  }
});

/** One masked text frame, as a client must send it. */
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  assert.ok(payload.length < 126);
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, body]);
}
