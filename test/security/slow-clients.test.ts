import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { test } from 'node:test';
import { startFromConfig } from '../../src/config/index.js';
import { start } from '../../src/server/index.js';

/** A socket to the server, resolved once connected; `text()` is what the server wrote before it closed. */
async function open(url: string): Promise<{ socket: Socket; ended: Promise<string> }> {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname);
  let text = '';
  socket.on('data', (c) => (text += c.toString()));
  const ended = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, ended };
}

test('start() bounds slow clients by default: headers in 10 s, the whole request in 30 s, idle keep-alive 5 s, 256 connections', async () => {
  const s = await start({ port: 0 });
  try {
    assert.equal(s.server.headersTimeout, 10_000);
    assert.equal(s.server.requestTimeout, 30_000);
    assert.equal(s.server.keepAliveTimeout, 5000);
    assert.equal(s.server.maxConnections, 256);
  } finally {
    await s.close();
  }
  const configured = await startFromConfig({ env: { WOBSERVER_PORT: '0', WOBSERVER_HEADERS_TIMEOUT_MS: '2000', WOBSERVER_REQUEST_TIMEOUT_MS: '4000', WOBSERVER_KEEP_ALIVE_TIMEOUT_MS: '1000', WOBSERVER_MAX_CONNECTIONS: '9' } });
  try {
    const server = configured.server.server;
    assert.deepEqual([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxConnections], [2000, 4000, 1000, 9]);
  } finally {
    await configured.close();
  }
});

test('a client that trickles its headers (slowloris) or its body is cut off with 408', { timeout: 60_000 }, async () => {
  const s = await start({ port: 0, headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  const timers: NodeJS.Timeout[] = [];
  try {
    const headers = await open(s.url);
    headers.socket.write(`GET /api/system HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\n`);
    // One header line every 100 ms, forever: never the blank line that ends them.
    let n = 0;
    timers.push(setInterval(() => headers.socket.writable && headers.socket.write(`X-Slow-${n++}: a\r\n`), 100));
    assert.match(await headers.ended, /^HTTP\/1\.1 408/);

    const body = await open(s.url);
    body.socket.write(`POST /events/x HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\nX-Wobserver-Request: 1\r\nContent-Length: 1000\r\n\r\n`);
    timers.push(setInterval(() => body.socket.writable && body.socket.write('x'), 100));
    const answer = await body.ended;
    assert.match(answer, /^HTTP\/1\.1 408/, answer.slice(0, 200));
  } finally {
    for (const t of timers) clearInterval(t);
    await s.close();
  }
});

test('past maxConnections a new connection is closed at once, and served again once one goes', { timeout: 60_000 }, async () => {
  const s = await start({ port: 0, maxConnections: 3 });
  const held: Awaited<ReturnType<typeof open>>[] = [];
  try {
    for (let i = 0; i < 3; i++) held.push(await open(s.url));
    const extra = await open(s.url);
    extra.socket.write(`GET /api/about HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\n\r\n`);
    assert.equal(await extra.ended, '', 'closed without an answer');
    const first = held.shift()!;
    first.socket.destroy();
    await first.ended;
    // The server counts the closed connection once its close event ran: poll until it serves.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await fetch(`${s.url}/api/about`, { headers: { connection: 'close' } }).then((r) => r.status, () => 0);
    }
    assert.equal(status, 200);
  } finally {
    for (const h of held) h.socket.destroy();
    await s.close();
  }
});
