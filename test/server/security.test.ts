import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, start } from '../../src/server/index.js';

const ROUTES = ['/', '/api/system', '/api/local/tables', '/api/pages', '/metrics', '/api/diagnostics'];

test('with a token, every route is refused without it and answered with it', async () => {
  const s = await start({ port: 0, auth: { token: 's3cret' } });
  try {
    for (const r of ROUTES) {
      const denied = await fetch(`${s.url}${r}`);
      assert.equal(denied.status, 401, r);
      assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
      assert.equal((await fetch(`${s.url}${r}`, { headers: { authorization: 'Bearer wrong' } })).status, 401, r);
      assert.equal((await fetch(`${s.url}${r}`, { headers: { authorization: 'Bearer s3cret' } })).status, 200, r);
    }
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
