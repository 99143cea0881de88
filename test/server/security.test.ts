import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoopback, start } from '../../src/server/index.js';
import { TestClient } from '../helpers/ws-client.js';

const ROUTES = ['/api/system', '/api/local/tables', '/api/pages', '/metrics', '/api/diagnostics', '/events'];
/** The UI's page and assets: static files, no data; with a token they load without it, so that the sign-in view can ask for it. */
const SHELL = ['/', '/assets/app.js'];

/** A UI folder with one asset, beside a secret the server must never hand out. */
function uiFolder(): { dir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'wob-assets-'));
  const dir = join(root, 'ui');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'assets', 'link.txt'));
  return { dir: join(dir, 'assets'), root };
}

/** A GET with the path sent exactly as written (fetch would normalize the dots away). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

test('with a token, every data route is refused without it and answered with it: API, metrics, fallback, WebSocket; the page and assets load for the sign-in', async () => {
  const ui = uiFolder();
  const s = await start({ port: 0, auth: { token: 's3cret' }, assets: join(ui.dir, '..') });
  try {
    for (const r of SHELL) {
      const open = await fetch(`${s.url}${r}`);
      assert.equal(open.status, 200, r);
      await open.body?.cancel();
    }
    for (const r of ROUTES) {
      const denied = await fetch(`${s.url}${r}`);
      assert.equal(denied.status, 401, r);
      assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
      assert.equal((await fetch(`${s.url}${r}`, { headers: { authorization: 'Bearer wrong' } })).status, 401, r);
      const ok = await fetch(`${s.url}${r}`, { headers: { authorization: 'Bearer s3cret' } });
      assert.equal(ok.status, 200, r);
      await ok.body?.cancel();
    }
    const ws = `${s.url.replace('http', 'ws')}/ws`;
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      await assert.rejects(new TestClient(ws, { headers }).opened(), { status: 401 });
    }
    const c = new TestClient(ws, { headers: { authorization: 'Bearer s3cret' } });
    await c.opened();
    c.close();
    const post = await fetch(`${s.url}/events/whatever`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: '{}' });
    assert.equal(post.status, 401, 'the fallback\'s messages too');
  } finally {
    await s.close();
    rmSync(ui.root, { recursive: true, force: true });
  }
});

test('the WebSocket refuses pages of another origin (cross-site WebSocket hijacking)', async () => {
  const s = await start({ port: 0, live: { allowedOrigins: ['https://ops.example.com'] } });
  const ws = `${s.url.replace('http', 'ws')}/ws`;
  const host = new URL(s.url).host;
  try {
    await assert.rejects(new TestClient(ws, { origin: 'https://evil.example' }).opened(), { status: 403 });
    await assert.rejects(new TestClient(ws, { origin: 'null' }).opened(), { status: 403 });
    await assert.rejects(new TestClient(ws, { origin: `http://${host}.evil.example` }).opened(), { status: 403 });
    for (const origin of [`http://${host}`, 'https://ops.example.com']) {
      const c = new TestClient(ws, { origin });
      await c.opened();
      c.close();
    }
    // Behind a proxy, the forwarded host is the page's host.
    const proxied = new TestClient(ws, { origin: 'https://observer.example', headers: { 'x-forwarded-host': 'observer.example' } });
    await proxied.opened();
    proxied.close();
  } finally {
    await s.close();
  }
});

test('static files cannot escape the asset folder', async () => {
  const ui = uiFolder();
  const s = await start({ port: 0, prefix: '/wob', assets: join(ui.dir, '..') });
  try {
    const ok = await rawGet(s.url, '/wob/assets/app.js');
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'console.log(1)');
    const index = await rawGet(s.url, '/wob/');
    assert.match(index.body, /<title>ui<\/title>/, 'the UI\'s index.html is the page when there is one');
    for (const path of [
      '/wob/assets/../../secret.txt',
      '/wob/assets/..%2f..%2fsecret.txt',
      '/wob/assets/%2e%2e/%2e%2e/secret.txt',
      '/wob/assets/..%5c..%5csecret.txt',
      '/wob/assets/link.txt',
      '/wob/assets/app.js%00.txt',
      '/wob/assets/',
      '/wob/assets//etc/passwd',
      '/wob/assets/%2fetc%2fpasswd',
    ]) {
      const r = await rawGet(s.url, path);
      assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body, /do not serve|root:/, path);
    }
  } finally {
    await s.close();
    rmSync(ui.root, { recursive: true, force: true });
  }
});

test('the fallback refuses bad input with a code and keeps the stream', async () => {
  const s = await start({ port: 0 });
  try {
    assert.equal((await fetch(`${s.url}/ws`)).status, 426, 'the WebSocket path without an upgrade');
    const missing = await fetch(`${s.url}/events/nope`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'SESSION_NOT_FOUND');
    const stream = await fetch(`${s.url}/events`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"hello"')) text += (await reader.read()).value;
    const session = /"session":"([^"]+)"/.exec(text)![1]!;
    const bad = await fetch(`${s.url}/events/${session}`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: 'garbage' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'BAD_MESSAGE');
    const tooMany = await fetch(`${s.url}/events/${session}`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: JSON.stringify(Array.from({ length: 33 }, () => ({ get: 'about' }))) });
    assert.equal(tooMany.status, 400);
    const big = await fetch(`${s.url}/events/${session}`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: 'x'.repeat(70_000) });
    assert.equal(big.status, 413);
    const good = await fetch(`${s.url}/events/${session}`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: JSON.stringify({ id: 1, get: 'about' }) });
    assert.equal(good.status, 202);
    while (!text.includes('"id":1')) text += (await reader.read()).value;
    assert.match(text, /data: \{"id":1,"data":\{"name":"wobserver"/);
    await reader.cancel();
  } finally {
    await s.close();
  }
});

test('basic auth and a custom authorize(req) work; /metrics can be left open or given its own token', async () => {
  const basic = Buffer.from('ops:pa:ss').toString('base64');
  const s = await start({
    port: 0,
    auth: { basic: { username: 'ops', password: 'pa:ss' }, authorize: (req) => req.headers['x-internal'] === 'yes', metrics: { token: 'scrape' } },
  });
  const open = await start({ port: 0, auth: { token: 't' , metrics: 'open' } });
  try {
    assert.equal((await fetch(`${s.url}/api/system`, { headers: { authorization: `Basic ${basic}` } })).status, 200);
    assert.equal((await fetch(`${s.url}/api/system`, { headers: { authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` } })).status, 401);
    assert.equal((await fetch(`${s.url}/api/system`, { headers: { 'x-internal': 'yes' } })).status, 200);
    assert.equal((await fetch(`${s.url}/metrics`, { headers: { authorization: `Basic ${basic}` } })).status, 401, 'metrics has its own token');
    assert.equal((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer scrape' } })).status, 200);
    assert.equal((await fetch(`${open.url}/metrics`)).status, 200);
    assert.equal((await fetch(`${open.url}/api/system`)).status, 401);
  } finally {
    await s.close();
    await open.close();
  }
});

test('an authorize(req) that throws refuses, it does not crash', async () => {
  const s = await start({ port: 0, auth: { authorize: () => {
    throw new Error('broken hook');
  } } });
  try {
    assert.equal((await fetch(`${s.url}/api/system`)).status, 401);
    assert.equal((await fetch(`${s.url}/api/system`)).status, 401);
  } finally {
    await s.close();
  }
});

test('a non-loopback address without authentication is refused, saying how to configure it', async () => {
  await assert.rejects(start({ port: 0, host: '0.0.0.0' }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'INSECURE_BIND');
    assert.match(e.message, /auth: \{ token \}/);
    return true;
  });
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost') && isLoopback('127.1.2.3'));
  assert.ok(!isLoopback('0.0.0.0') && !isLoopback('10.0.0.1') && !isLoopback('::'));
  // With a token it starts; it still listens on loopback here so that no other address is touched.
  const s = await start({ port: 0, host: '127.0.0.1', auth: { token: 'x' } });
  await s.close();
});
