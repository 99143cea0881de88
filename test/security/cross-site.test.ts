import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { start } from '../../src/server/index.js';
import { launch } from '../helpers/browser.js';
import { rawRequest } from '../helpers/raw-http.js';
import { until } from '../helpers/until.js';

const MARK = { 'x-wobserver-request': '1' };

/** Whether a CPU profile is running, as the API says. */
async function profiling(url: string): Promise<boolean> {
  const state = (await (await fetch(`${url}/api/diagnostics`)).json()) as { running: unknown };
  return state.running !== null;
}

test('a state-changing request is refused with 403 CROSS_SITE unless same-origin and marked, whatever its content type; GET is untouched', async () => {
  const s = await start({ port: 0, diagnostics: true });
  const host = new URL(s.url).host;
  const path = '/api/diagnostics/cpu-profile/start';
  try {
    const refused: [string, Record<string, string>, string?][] = [
      ['no marker, no Origin (a form of an old browser, curl)', {}],
      ['text/plain from another site', { origin: 'http://evil.example', 'content-type': 'text/plain' }, 'x'],
      ['a form from another site', { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'a=b'],
      ['multipart from another site', { origin: 'http://evil.example', 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
      ['another site, even marked', { origin: 'http://evil.example', ...MARK }],
      ['another port of this host is another origin', { origin: `http://${host.split(':')[0]}:1`, ...MARK }],
      ['an origin that only starts like this one', { origin: `http://${host}.evil.example`, ...MARK }],
      ['an opaque origin (sandboxed frame, data: URL)', { origin: 'null', ...MARK }],
      ['no Origin, Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', ...MARK }],
      ['no Origin, Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', ...MARK }],
      ['same origin, but no marker (a form on a page of this origin)', { origin: `http://${host}`, 'content-type': 'text/plain' }, 'x'],
      ['basic credentials do not exempt: the browser resends them by itself', { origin: 'http://evil.example', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ];
    for (const [why, headers, body] of refused) {
      const r = await rawRequest(s.url, { method: 'POST', path, headers, ...(body !== undefined ? { body } : {}) });
      assert.equal(r.status, 403, why);
      assert.equal(r.code, 'CROSS_SITE', why);
    }
    for (const method of ['PUT', 'DELETE', 'PATCH']) assert.equal((await rawRequest(s.url, { method, path, headers: { origin: 'http://evil.example' } })).code, 'CROSS_SITE', method);
    assert.equal((await rawRequest(s.url, { method: 'POST', path: '/events/x', headers: { origin: 'http://evil.example' }, body: '{}' })).code, 'CROSS_SITE', 'the fallback\'s POSTs too');
    assert.equal(await profiling(s.url), false, 'nothing refused started a profile');
    assert.equal((await rawRequest(s.url, { path: '/api/system', headers: { origin: 'http://evil.example' } })).status, 200, 'a GET changes nothing and is not judged');

    const same = await rawRequest(s.url, { method: 'POST', path, headers: { origin: `http://${host}`, ...MARK } });
    assert.equal(same.status, 202, 'same origin and marked');
    assert.equal(await profiling(s.url), true);
    assert.equal((await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/cpu-profile/stop', headers: { 'sec-fetch-site': 'same-origin', ...MARK } })).status, 200, 'Sec-Fetch-Site when Origin is absent');
    assert.equal((await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: MARK })).status, 200, 'a program: neither header, marked');
    assert.equal((await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { origin: 'https://observer.example', 'x-forwarded-host': 'observer.example', ...MARK } })).status, 200, 'behind a proxy, the forwarded host');
  } finally {
    await s.close();
  }
});

test('a bearer token and a node signature are not ambient: they are exempt; a session cookie is ambient and is not', async () => {
  const s = await start({ port: 0, auth: { token: 't0ken' }, diagnostics: true });
  try {
    const bearer = await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { authorization: 'Bearer t0ken', origin: 'http://evil.example' } });
    assert.equal(bearer.status, 200, 'no browser sends a bearer token by itself, and another origin cannot add one without a preflight wobserver never grants');
    const signed = await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { 'x-wobserver-from': 'node-a', 'x-wobserver-signature': 'forged' } });
    assert.equal(signed.status, 401, 'a signed request is judged by its signature');
    assert.match(signed.code ?? '', /^NODE_/);
    const signIn = await fetch(`${s.url}/session`, { method: 'POST', headers: { authorization: 'Bearer t0ken' } });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const forged = await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { cookie, origin: 'http://evil.example', ...MARK } });
    assert.equal(forged.code, 'CROSS_SITE');
    const own = await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { cookie, origin: new URL(s.url).origin, ...MARK } });
    assert.equal(own.status, 200, 'the session, from the page\'s own origin');
  } finally {
    await s.close();
  }
});

/** The attacker's page: every way a page of another origin can send a POST without the user's help. */
function attackPage(target: string): string {
  const url = `${target}/api/diagnostics/cpu-profile/start`;
  return `<!doctype html><title>free prizes</title>
<iframe name="sink"></iframe>
<form id="f1" method="POST" action="${url}" enctype="text/plain" target="sink"><input name="a" value="b"></form>
<form id="f2" method="POST" action="${url}" enctype="multipart/form-data" target="sink"><input name="a" value="b"></form>
<script>
window.results = {};
(async () => {
  const note = (k, v) => (window.results[k] = v);
  document.getElementById('f1').submit();
  await new Promise((r) => setTimeout(r, 300));
  document.getElementById('f2').submit();
  for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
    try { await fetch('${url}', { method: 'POST', mode: 'no-cors', headers: { 'content-type': type }, body: 'a=b' }); note('no-cors ' + type, 'sent'); }
    catch (e) { note('no-cors ' + type, String(e)); }
  }
  try { await fetch('${url}', { method: 'POST', headers: { 'x-wobserver-request': '1' } }); note('cors marked', 'read'); }
  catch (e) { note('cors marked', 'blocked'); }
  note('beacon', navigator.sendBeacon('${url}', 'x'));
  note('done', true);
})();
</script>`;
}

test('in Chromium, pages of another origin (another port, another site) cannot start a profile: forms, no-cors fetch and beacons are refused, a marked fetch never leaves the preflight', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const s = await start({ port: 0, diagnostics: true });
  const arrived: { method: string | undefined; origin: string | undefined; status: number; code: string | undefined }[] = [];
  // Before wobserver's own listener: it may answer at once.
  s.server.prependListener('request', (req, res) => {
    const end = res.end.bind(res) as (chunk?: unknown) => unknown;
    let body = '';
    (res as unknown as { end: (chunk?: unknown) => unknown }).end = (chunk?: unknown) => {
      if (typeof chunk === 'string') body = chunk;
      return end(chunk);
    };
    res.on('finish', () => {
      if (!req.url?.includes('/diagnostics/')) return;
      arrived.push({ method: req.method, origin: req.headers.origin, status: res.statusCode, code: /"code":"([A-Z_]+)"/.exec(body)?.[1] });
    });
  });
  const attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackPage(s.url));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const port = (attacker.address() as AddressInfo).port;
  try {
    // Another port of the same host is the same site but another origin; localhost is another site altogether.
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const before = arrived.length;
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction('window.results && window.results.done === true', undefined, { timeout: 20_000 });
      const results = (await page.evaluate('window.results')) as Record<string, unknown>;
      assert.equal(results['cors marked'], 'blocked', JSON.stringify(results));
      await until(() => arrived.length - before, (n) => n >= 5, `the attacks from ${origin} reach the server`);
      const mine = arrived.slice(before);
      for (const a of mine) {
        if (a.method === 'OPTIONS') continue;
        assert.equal(a.status, 403, JSON.stringify(a));
        assert.equal(a.code, 'CROSS_SITE', JSON.stringify(a));
      }
      assert.ok(mine.filter((a) => a.method === 'POST').length >= 5, `forms, no-cors fetches and a beacon arrived: ${JSON.stringify(mine)}`);
      await page.close();
    }
    assert.equal(await profiling(s.url), false, 'no profile was started');

    // The UI itself, same origin, still starts one.
    const ui = await browser.newPage();
    await ui.goto(`${s.url}/#/diagnostics`);
    await ui.getByRole('button', { name: 'Start CPU profile' }).click();
    await ui.getByRole('status').filter({ hasText: 'started' }).waitFor();
    assert.equal(await profiling(s.url), true, 'the UI sends the marker');
    await fetch(`${s.url}/api/diagnostics/cpu-profile/stop`, { method: 'POST', headers: MARK }).then((r) => r.body?.cancel());
  } finally {
    await browser.close();
    attacker.closeAllConnections();
    attacker.close();
    await s.close();
  }
});
