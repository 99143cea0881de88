import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../../src/server/index.js';
import { launch } from '../helpers/browser.js';
import { shot } from '../helpers/shots.js';
import { rawRequest } from '../helpers/raw-http.js';
import { until } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';

const TOKEN = 'correct-horse-battery';
const MARK = { 'x-wobserver-request': '1' };

/** Signs in from a program; returns the `name=value` of the cookie and the whole Set-Cookie. */
async function signIn(url: string, headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string }> {
  const r = await rawRequest(url, { method: 'POST', path: `${new URL(url).pathname.replace(/\/$/, '')}/session`, headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
  assert.equal(r.status, 200, r.body);
  const setCookie = String(r.headers['set-cookie']?.[0] ?? '');
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

test('signing in trades the token for an HttpOnly, SameSite=Strict, expiring session cookie; Secure only behind https', async () => {
  const s = await start({ port: 0, prefix: '/wob', auth: { token: TOKEN } });
  const proxied = await start({ port: 0, auth: { token: TOKEN }, trustProxy: true });
  try {
    const { cookie, setCookie } = await signIn(s.url);
    assert.match(cookie, /^wobserver_session=[A-Za-z0-9_-]{43}$/);
    const attrs = setCookie.split(';').map((a) => a.trim());
    for (const a of ['HttpOnly', 'SameSite=Strict', 'Path=/wob', 'Max-Age=28800']) assert.ok(attrs.includes(a), `${a} in ${setCookie}`);
    assert.ok(!attrs.includes('Secure'), 'plain http: a Secure cookie would never come back');
    assert.ok(!setCookie.includes(TOKEN), 'the cookie is not the token');
    // X-Forwarded-Proto is believed only with trustProxy.
    assert.ok(!(await signIn(s.url, { 'x-forwarded-proto': 'https' })).setCookie.includes('Secure'));
    assert.match((await signIn(proxied.url, { 'x-forwarded-proto': 'https' })).setCookie, /; Secure/);
    assert.doesNotMatch((await signIn(proxied.url, { 'x-forwarded-proto': 'http' })).setCookie, /Secure/);

    assert.equal((await rawRequest(s.url, { path: '/wob/api/system', headers: { cookie } })).status, 200, 'the session opens the API');
    assert.equal((await rawRequest(s.url, { path: '/wob/metrics', headers: { cookie } })).status, 200, 'and /metrics');
    const state = JSON.parse((await rawRequest(s.url, { path: '/wob/session', headers: { cookie } })).body) as { auth: boolean; signedIn: boolean; session: boolean; expiresAt: number };
    assert.deepEqual([state.auth, state.signedIn, state.session], [true, true, true]);
    assert.ok(state.expiresAt > Date.now() + 7 * 3_600_000);
    const anonymous = JSON.parse((await rawRequest(s.url, { path: '/wob/session' })).body) as { signedIn: boolean };
    assert.equal(anonymous.signedIn, false);

    const wrong = await rawRequest(s.url, { method: 'POST', path: '/wob/session', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['set-cookie'], undefined);
    assert.equal(wrong.headers['www-authenticate'], undefined, 'no challenge: the browser must not open its own dialog over the sign-in view');
    assert.equal((await rawRequest(s.url, { method: 'POST', path: '/wob/session', headers: { cookie, ...MARK } })).status, 401, 'a session does not sign in again by itself');
    const madeUp = await rawRequest(s.url, { path: '/wob/api/system', headers: { cookie: 'wobserver_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(madeUp.status, 401, 'a made-up session');
    assert.equal(madeUp.headers['www-authenticate'], 'Bearer realm="wobserver"', 'a token-only server offers no Basic: the browser would open its own dialog');
  } finally {
    await s.close();
    await proxied.close();
  }
  const open = await start({ port: 0 });
  try {
    const r = await rawRequest(open.url, { method: 'POST', path: '/session', headers: { authorization: 'Bearer x' } });
    assert.equal(r.status, 409);
    assert.equal(r.code, 'NO_AUTH');
  } finally {
    await open.close();
  }
});

test('the WebSocket and the fallback accept the session, and signing out ends it: the cookie is refused and what it opened is closed', async () => {
  const s = await start({ port: 0, auth: { token: TOKEN } });
  try {
    const { cookie } = await signIn(s.url);
    const ws = new TestClient(`${s.url.replace('http', 'ws')}/ws`, { headers: { cookie }, origin: new URL(s.url).origin });
    await ws.opened();
    await ws.next((m) => m.hello !== undefined);
    const stream = await fetch(`${s.url}/events`, { headers: { cookie } });
    assert.equal(stream.status, 200);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"hello"')) text += (await reader.read()).value;
    const streamEnded = (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
    })();
    const wsClosed = ws.closed();

    const out = await rawRequest(s.url, { method: 'DELETE', path: '/session', headers: { cookie, origin: new URL(s.url).origin, ...MARK } });
    assert.equal(out.status, 200);
    assert.match(String(out.headers['set-cookie']?.[0]), /^wobserver_session=; .*Max-Age=0/);
    assert.equal((await wsClosed).code, 4401, 'the WebSocket it opened is closed');
    assert.equal(await streamEnded, true, 'the event stream it opened ends');
    assert.equal((await rawRequest(s.url, { path: '/api/system', headers: { cookie } })).status, 401, 'the old cookie no longer works');
    await assert.rejects(new TestClient(`${s.url.replace('http', 'ws')}/ws`, { headers: { cookie } }).opened(), { status: 401 });
    assert.equal((await rawRequest(s.url, { path: '/events', headers: { cookie } })).status, 401);
  } finally {
    await s.close();
  }
});

test('sessions expire, and past maxSessions the oldest is signed out', async () => {
  const s = await start({ port: 0, auth: { token: TOKEN, sessionMs: 1000, maxSessions: 2 } });
  try {
    const a = await signIn(s.url);
    assert.match(a.setCookie, /Max-Age=1;/);
    const b = await signIn(s.url);
    const c = await signIn(s.url);
    assert.equal((await rawRequest(s.url, { path: '/api/about', headers: { cookie: a.cookie } })).status, 401, 'the oldest went');
    assert.equal((await rawRequest(s.url, { path: '/api/about', headers: { cookie: c.cookie } })).status, 200);
    await until(() => rawRequest(s.url, { path: '/api/about', headers: { cookie: b.cookie } }).then((r) => r.status), (st) => st === 401, 'the session expires', 10_000);
  } finally {
    await s.close();
  }
});

test('in Chromium, the UI asks for the token once, then works on the session cookie (WebSocket, diagnostics) and signs out', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const s = await start({ port: 0, auth: { token: TOKEN }, diagnostics: true });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/`);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();
    await form.getByLabel('Token').fill('wrong-token');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    await shot(page, 'sign-in', { fullPage: false });
    await form.getByLabel('Token').fill(TOKEN);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();
    await page.getByText(String(process.pid), { exact: true }).first().waitFor();

    const cookies = await context.cookies(s.url);
    const session = cookies.find((c) => c.name === 'wobserver_session');
    assert.ok(session !== undefined, JSON.stringify(cookies));
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.secure, false);
    assert.ok(session.expires > Date.now() / 1000 + 3600, 'it expires, hours from now');
    assert.equal(await page.evaluate('document.cookie'), '', 'the page\'s script cannot read it');
    assert.equal(await page.evaluate('localStorage.length + sessionStorage.length'), 0, 'nor is the token kept anywhere');

    // A state-changing request on the session: the UI sends the marker from its own origin.
    await page.goto(`${s.url}/#/diagnostics`);
    await page.getByRole('button', { name: 'Download report' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report' }).click();
    assert.match((await download).suggestedFilename(), /^report-.*\.json$/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    assert.equal((await context.cookies(s.url)).some((c) => c.name === 'wobserver_session'), false, 'the cookie is gone');
    assert.equal((await rawRequest(s.url, { path: '/api/system', headers: { cookie: `wobserver_session=${session.value}` } })).status, 401, 'and the session is revoked on the server');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await s.close();
  }
});
