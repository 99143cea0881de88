// The Host and Origin rules as pure functions: every case in microseconds, without a
// server. test/security/host.test.ts and cross-site.test.ts drive the same rules
// through real requests (and a real browser); this file is the table of cases.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { checkSameOrigin, createHostCheck, hasBearer, originMatchesHost } from '../../src/server/guards.js';

const MARK = { 'x-wobserver-request': '1' };

test('without allowedHosts, loopback names pass with any port and in any case; every other name, and every malformed Host, is refused', () => {
  const check = createHostCheck(undefined, false)!;
  for (const host of ['localhost', 'LOCALHOST:4001', '127.0.0.1', '127.0.0.1:1', '127.9.8.7:65535', '[::1]', '[::1]:4001', '[::1]:80']) {
    assert.equal(check(host), true, host);
  }
  for (const host of [
    'evil.example',
    'evil.example:4001',
    '127.0.0.1.evil.example',
    'localhost.evil.example',
    '127.0.0.1:4001:1',
    '127.0.0.1:123456',
    '127.0.0.1:',
    '127.0.0.1:port',
    '127.256.0.1',
    '127.1',
    '[::1',
    '[::1]x',
    '[::1]:',
    '[fe80::1]:4001',
    '[::ffff:127.0.0.1]',
    '::1',
    'localhost@evil.example',
    'user@localhost',
    'localhost/evil',
    '10.0.0.5',
    '0.0.0.0',
    '',
    ' localhost',
  ]) {
    assert.equal(check(host), false, JSON.stringify(host));
  }
  assert.equal(check(undefined), true, 'no Host at all (HTTP/1.0): not a browser');
});

test('a Host that passed once is remembered, and one that did not is still refused after it', () => {
  const check = createHostCheck(undefined, false)!;
  assert.equal(check('localhost:4001'), true);
  assert.equal(check('localhost:4001'), true);
  assert.equal(check('evil.example'), false, 'the remembered one lets no other through');
  assert.equal(check('localhost:4001'), true);
});

test('allowedHosts: an exact name with any port, a name:port with that port only, a .suffix for the name and its subdomains; loopback stays allowed', () => {
  const check = createHostCheck(['Observer.Example', 'pinned.example:8443', '.corp.example', '[fd00::7]'], false)!;
  for (const host of ['observer.example', 'OBSERVER.example:4001', 'pinned.example:8443', 'corp.example', 'a.corp.example', 'a.b.corp.example:80', '[fd00::7]:4001', 'localhost:1', '[::1]']) {
    assert.equal(check(host), true, host);
  }
  for (const host of ['pinned.example', 'pinned.example:8444', 'evilcorp.example', 'corp.example.evil', 'observer.example.evil', 'xobserver.example', '[fd00::8]']) {
    assert.equal(check(host), false, host);
  }
});

test('an allowedHosts entry that is not a name, name:port or .suffix is refused when the check is made (INVALID_OPTION), naming it', () => {
  for (const entry of ['http://observer.example', 'observer.example/', 'observer.example:port', '', ' ', 'a b', '*.example.com', '.', '..', '...', 'a..b', '.:80', ':80', '.example.com:80', '[]']) {
    assert.throws(() => createHostCheck([entry], false), (e: { code?: string; status?: number; message?: string }) => {
      assert.equal(e.code, 'INVALID_OPTION', entry);
      assert.ok(e.message?.includes(JSON.stringify(entry)), `${e.message} names ${JSON.stringify(entry)}`);
      return true;
    });
  }
  assert.throws(() => createHostCheck([42 as unknown as string], false), { code: 'INVALID_OPTION' });
  // A fully qualified name's final dot and an IPv6 literal are names.
  assert.equal(createHostCheck(['observer.example.', '[::2]', '.example.org'], false)!('observer.example.'), true);
});

test('with authentication and no allowedHosts there is no Host check (the credentials are the guard); with allowedHosts there is', () => {
  assert.equal(createHostCheck(undefined, true), undefined);
  const check = createHostCheck(['observer.example'], true)!;
  assert.equal(check('observer.example'), true);
  assert.equal(check('evil.example'), false);
  assert.equal(check('127.0.0.1:4001'), true);
});

test('an Origin matches the Host it was sent to, or the first forwarded host, ignoring case; nothing else', () => {
  const h = (headers: IncomingHttpHeaders): IncomingHttpHeaders => headers;
  assert.equal(originMatchesHost('http://127.0.0.1:4001', h({ host: '127.0.0.1:4001' })), true);
  assert.equal(originMatchesHost('https://Observer.Example', h({ host: 'observer.example' })), true);
  assert.equal(originMatchesHost('http://[::1]:4001', h({ host: '[::1]:4001' })), true);
  assert.equal(originMatchesHost('https://observer.example', h({ host: '10.0.0.5:4001', 'x-forwarded-host': 'observer.example, proxy.internal' })), true, 'the first forwarded host');
  assert.equal(originMatchesHost('https://proxy.internal', h({ host: '10.0.0.5:4001', 'x-forwarded-host': 'observer.example, proxy.internal' })), false, 'not a later one');
  assert.equal(originMatchesHost('http://127.0.0.1:1', h({ host: '127.0.0.1:4001' })), false, 'another port is another origin');
  assert.equal(originMatchesHost('http://127.0.0.1', h({ host: '127.0.0.1:4001' })), false);
  assert.equal(originMatchesHost('http://127.0.0.1:4001.evil.example', h({ host: '127.0.0.1:4001' })), false);
  assert.equal(originMatchesHost('http://127.0.0.1:4001/', h({ host: '127.0.0.1:4001' })), false, 'an origin has no path');
  assert.equal(originMatchesHost('127.0.0.1:4001', h({ host: '127.0.0.1:4001' })), false, 'an origin has a scheme');
  assert.equal(originMatchesHost('null', h({ host: 'null' })), false, 'the opaque origin');
  assert.equal(originMatchesHost('http://127.0.0.1:4001', h({})), false, 'no Host, no forwarded host');
});

/** The code and status of what checkSameOrigin threw, or 'passed'. */
function judge(method: string, headers: IncomingHttpHeaders): string {
  try {
    checkSameOrigin(method, headers);
    return 'passed';
  } catch (e) {
    const { status, code } = e as { status?: number; code?: string };
    return `${status} ${code}`;
  }
}

test('GET and HEAD are never judged; every other method needs this origin (Origin, or Sec-Fetch-Site without one) and the marker header', () => {
  const host = '127.0.0.1:4001';
  for (const method of ['GET', 'HEAD']) assert.equal(judge(method, { host, origin: 'http://evil.example' }), 'passed', method);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    assert.equal(judge(method, { host, origin: 'http://evil.example', ...MARK }), '403 CROSS_SITE', `${method} from another origin`);
    assert.equal(judge(method, { host, origin: `http://${host}`, ...MARK }), 'passed', `${method} from this origin, marked`);
  }
  const cases: [string, IncomingHttpHeaders, string][] = [
    ['same origin, no marker', { host, origin: `http://${host}` }, '403 CROSS_SITE'],
    ['same origin, an empty marker', { host, origin: `http://${host}`, 'x-wobserver-request': '' }, '403 CROSS_SITE'],
    ['another port', { host, origin: 'http://127.0.0.1:1', ...MARK }, '403 CROSS_SITE'],
    ['opaque origin', { host, origin: 'null', ...MARK }, '403 CROSS_SITE'],
    ['Origin wins over Sec-Fetch-Site', { host, origin: 'http://evil.example', 'sec-fetch-site': 'same-origin', ...MARK }, '403 CROSS_SITE'],
    ['no Origin, Sec-Fetch-Site same-origin', { host, 'sec-fetch-site': 'same-origin', ...MARK }, 'passed'],
    ['no Origin, Sec-Fetch-Site same-site', { host, 'sec-fetch-site': 'same-site', ...MARK }, '403 CROSS_SITE'],
    ['no Origin, Sec-Fetch-Site cross-site', { host, 'sec-fetch-site': 'cross-site', ...MARK }, '403 CROSS_SITE'],
    ['no Origin, Sec-Fetch-Site none (typed in the address bar)', { host, 'sec-fetch-site': 'none', ...MARK }, '403 CROSS_SITE'],
    ['neither header (a program), marked', { host, ...MARK }, 'passed'],
    ['neither header, no marker (an old browser\'s form, curl)', { host }, '403 CROSS_SITE'],
    ['behind a proxy: the forwarded host', { host: '10.0.0.5:4001', origin: 'https://observer.example', 'x-forwarded-host': 'observer.example', ...MARK }, 'passed'],
    ['a bearer token alone does not pass here: the caller exempts it', { host, origin: 'http://evil.example', authorization: 'Bearer t0ken', ...MARK }, '403 CROSS_SITE'],
  ];
  for (const [why, headers, expected] of cases) assert.equal(judge('POST', headers), expected, why);
});

test('only a Bearer credential with a token counts as not ambient; Basic, a cookie, an empty bearer do not', () => {
  for (const a of ['Bearer t0ken', 'bearer t0ken', 'BEARER x']) assert.equal(hasBearer({ authorization: a }), true, a);
  for (const a of ['Bearer ', 'Bearer', 'Basic YTpi', 'Bearert0ken', ' Bearer t0ken', 'Token t0ken', '']) assert.equal(hasBearer({ authorization: a }), false, JSON.stringify(a));
  assert.equal(hasBearer({}), false);
  assert.equal(hasBearer({ cookie: 'wobserver_session=x' }), false);
});
