import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createWobserver, start } from '../../src/server/index.js';
import { launch } from '../helpers/browser.js';
import { rawRequest, rebindingAttacker } from '../helpers/raw-http.js';
import { TestClient } from '../helpers/ws-client.js';

const ROUTES = ['/', '/api/system', '/api/diagnostics', '/metrics', '/events'];

test('without auth, a Host that names no loopback address gets 403 HOST_NOT_ALLOWED on every route, the WebSocket and the fallback', async () => {
  const s = await start({ port: 0 });
  const port = new URL(s.url).port;
  try {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`, `127.0.0.1:${port}:1`, '[::1', 'localhost@evil.example', `[fe80::1]:${port}`, '10.0.0.5']) {
      for (const path of ROUTES) {
        const r = await rawRequest(s.url, { path, headers: { host } });
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.equal(r.code, 'HOST_NOT_ALLOWED', `${host} ${path}`);
      }
      const post = await rawRequest(s.url, { method: 'POST', path: '/events/x', headers: { host, 'x-wobserver-request': '1' }, body: '{}' });
      assert.equal(post.code, 'HOST_NOT_ALLOWED', `${host} POST events`);
    }
    // The attack the review found: a rebound page's WebSocket, whose Origin and Host both name the attacker.
    const ws = new TestClient(`${s.url.replace('http', 'ws')}/ws`, { headers: { host: `evil.example:${port}` }, origin: `http://evil.example:${port}` });
    await assert.rejects(ws.opened(), { status: 403 });
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', 'LOCALHOST', '127.9.8.7', `[::1]:${port}`, '[::1]']) {
      const r = await rawRequest(s.url, { path: '/api/about', headers: { host } });
      assert.equal(r.status, 200, host);
    }
    const ok = new TestClient(`${s.url.replace('http', 'ws')}/ws`, { headers: { host: `localhost:${port}` }, origin: `http://localhost:${port}` });
    await ok.opened();
    ok.close();
  } finally {
    await s.close();
  }
});

test('allowedHosts adds exact names, a name with one port, and .suffix names; with auth it applies when set, and loopback stays allowed', async () => {
  const s = await start({ port: 0, allowedHosts: ['observer.example', 'pinned.example:8443', '.corp.example'] });
  try {
    for (const host of ['observer.example', 'OBSERVER.example:4001', 'pinned.example:8443', 'corp.example', 'a.b.corp.example:80']) {
      assert.equal((await rawRequest(s.url, { path: '/api/about', headers: { host } })).status, 200, host);
    }
    for (const host of ['pinned.example', 'pinned.example:8444', 'evilcorp.example', 'corp.example.evil', 'observer.example.evil']) {
      assert.equal((await rawRequest(s.url, { path: '/api/about', headers: { host } })).code, 'HOST_NOT_ALLOWED', host);
    }
  } finally {
    await s.close();
  }
  const token = { authorization: 'Bearer t0ken' };
  const authOnly = await start({ port: 0, auth: { token: 't0ken' } });
  try {
    const r = await rawRequest(authOnly.url, { path: '/api/about', headers: { host: 'observer.example', ...token } });
    assert.equal(r.status, 200, 'with auth and no allowedHosts, the credentials are the guard');
  } finally {
    await authOnly.close();
  }
  const both = await start({ port: 0, auth: { token: 't0ken' }, allowedHosts: ['observer.example'] });
  try {
    assert.equal((await rawRequest(both.url, { path: '/api/about', headers: { host: 'evil.example', ...token } })).code, 'HOST_NOT_ALLOWED');
    assert.equal((await rawRequest(both.url, { path: '/api/about', headers: { host: 'observer.example', ...token } })).status, 200);
    assert.equal((await rawRequest(both.url, { path: '/api/about', headers: token })).status, 200, 'loopback');
    const ws = new TestClient(`${both.url.replace('http', 'ws')}/ws`, { headers: { host: 'evil.example', ...token } });
    await assert.rejects(ws.opened(), { status: 403 });
  } finally {
    await both.close();
  }
  assert.throws(() => createWobserver({ allowedHosts: ['https://observer.example/'] }), { code: 'INVALID_OPTION' });
});

test('a request signed by another node passes the Host check to its signature check; a mounted wobserver leaves the host application\'s requests alone', async () => {
  const s = await start({ port: 0 });
  try {
    const r = await rawRequest(s.url, { path: '/api/about', headers: { host: 'node-b.internal:4001', 'x-wobserver-from': 'node-a', 'x-wobserver-signature': 'forged' } });
    assert.equal(r.status, 401, 'judged by its signature, which fails');
    assert.match(r.code ?? '', /^NODE_/);
  } finally {
    await s.close();
  }
  const wob = createWobserver({ prefix: '/wob', assets: false });
  const app = createServer((req, res) => void wob.handle(req, res, () => res.end('the app')));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  try {
    const own = await rawRequest(url, { path: '/shop', headers: { host: 'shop.example.com' } });
    assert.equal(own.status, 200);
    assert.equal(own.body, 'the app');
    assert.equal(own.headers['content-security-policy'], undefined, 'the app\'s answers are its own');
    assert.equal((await rawRequest(url, { path: '/wob/api/about', headers: { host: 'shop.example.com' } })).code, 'HOST_NOT_ALLOWED');
  } finally {
    wob.close();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
  }
});

test('DNS rebinding in Chromium: a page on evil.test, once its name points at the observer\'s port, reads nothing over HTTP, the WebSocket or the fallback', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t, { hosts: { 'evil.test': '127.0.0.2' } });
  if (browser === undefined) return;
  const s = await start({ port: 0 });
  const port = Number(new URL(s.url).port);
  const arrived: { host: string | undefined; url: string | undefined; status: number }[] = [];
  s.server.on('request', (req, res) => res.on('finish', () => arrived.push({ host: req.headers.host, url: req.url, status: res.statusCode })));
  const upgrades: (string | undefined)[] = [];
  s.server.on('upgrade', (req) => upgrades.push(req.headers.host));
  const attacker = await rebindingAttacker({ host: '127.0.0.2', port, target: { host: '127.0.0.1', port }, pagePath: '/attack', page: '<!doctype html><title>cute cats</title><p>cats</p>' });
  try {
    const page = await browser.newPage();
    await page.goto(`http://evil.test:${port}/attack`);
    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    const result = (await page.evaluate(`(async () => {
      const read = async (path) => {
        const r = await fetch(path);
        return { status: r.status, body: (await r.text()).slice(0, 300) };
      };
      const ws = await new Promise((resolve) => {
        const socket = new WebSocket('ws://' + location.host + '/ws');
        socket.onopen = () => resolve('open');
        socket.onmessage = (m) => resolve('message ' + String(m.data).slice(0, 100));
        socket.onerror = () => resolve('error');
        socket.onclose = () => resolve('closed');
      });
      return { system: await read('/api/system'), env: await read('/api/processes/main'), events: await read('/events'), ws };
    })()`)) as Record<'system' | 'env' | 'events', { status: number; body: string }> & { ws: string };
    for (const r of [result.system, result.env, result.events]) {
      assert.equal(r.status, 403, JSON.stringify(r));
      assert.match(r.body, /HOST_NOT_ALLOWED/);
    }
    assert.notEqual(result.ws, 'open');
    assert.doesNotMatch(result.ws, /hello/);
    // The requests did reach the observer, under the attacker's name: the refusal is the server's, not the browser's.
    assert.ok(arrived.filter((a) => a.host === `evil.test:${port}` && a.status === 403).length >= 3, JSON.stringify(arrived));
    assert.ok(upgrades.includes(`evil.test:${port}`), JSON.stringify(upgrades));
    assert.ok(!arrived.some((a) => a.status === 200), JSON.stringify(arrived));
  } finally {
    await browser.close();
    attacker.close();
    await s.close();
  }
});
