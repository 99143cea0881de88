import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { test } from 'node:test';
import { startDemo } from '../../src/demo/service.js';
import { createMetricsHandler } from '../../src/exporters/prometheus/index.js';
import { createRegistry } from '../../src/metrics/index.js';
import { start } from '../../src/server/index.js';
import { launch } from '../helpers/browser.js';
import { rawRequest } from '../helpers/raw-http.js';

/** The policy's directives by name. */
function directives(csp: string): Map<string, string> {
  return new Map(csp.split(';').map((d) => d.trim()).filter((d) => d !== '').map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(' ') + 1)]));
}

test('every answer carries nosniff and a restrictive Content-Security-Policy: the page, assets, API, errors, metrics, the fallback', async () => {
  const s = await start({ port: 0, diagnostics: true });
  const authed = await start({ port: 0, auth: { token: 't0ken' } });
  try {
    const index = await rawRequest(s.url, { path: '/' });
    const script = /src="(assets\/app-[\w-]+\.js)"/.exec(index.body)?.[1];
    assert.ok(script !== undefined, 'the built UI');
    const answers: [string, Awaited<ReturnType<typeof rawRequest>>][] = [
      ['page', index],
      ['script', await rawRequest(s.url, { path: `/${script}` })],
      ['api', await rawRequest(s.url, { path: '/api/system' })],
      ['404', await rawRequest(s.url, { path: '/api/nope/nope' })],
      ['405', await rawRequest(s.url, { method: 'DELETE', path: '/api/system', headers: { 'x-wobserver-request': '1' } })],
      ['403 cross-site', await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report' })],
      ['403 host', await rawRequest(s.url, { path: '/api/system', headers: { host: 'evil.example' } })],
      ['401', await rawRequest(authed.url, { path: '/api/system' })],
      ['metrics', await rawRequest(s.url, { path: '/metrics' })],
      ['download', await rawRequest(s.url, { method: 'POST', path: '/api/diagnostics/report', headers: { 'x-wobserver-request': '1' } })],
    ];
    for (const [what, r] of answers) {
      assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
      const csp = directives(String(r.headers['content-security-policy'] ?? ''));
      assert.equal(csp.get('default-src'), "'none'", what);
      assert.equal(csp.get('script-src'), "'self'", `${what}: no inline script, no eval, nothing from elsewhere`);
      assert.equal(csp.get('frame-ancestors'), "'none'", `${what}: not framed (clickjacking the diagnostics buttons)`);
      assert.equal(csp.get('base-uri'), "'none'", what);
      for (const v of csp.values()) assert.doesNotMatch(v, /unsafe-|\*|https?:/, what);
    }
    const stream = await fetch(`${s.url}/events`);
    assert.equal(stream.headers.get('x-content-type-options'), 'nosniff');
    assert.match(stream.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    await stream.body?.cancel();
    // A refused upgrade is written on the socket by hand: it says nosniff too.
    const refusal = await new Promise<string>((resolve, reject) => {
      const u = new URL(s.url);
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write(`GET /ws HTTP/1.1\r\nHost: ${u.host}\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(refusal, /^HTTP\/1\.1 403/);
    assert.match(refusal, /X-Content-Type-Options: nosniff/i);
  } finally {
    await s.close();
    await authed.close();
  }
});

test('createMetricsHandler\'s answers say nosniff too', async () => {
  const registry = createRegistry({ runtimeMetrics: false });
  const handler = createMetricsHandler(registry);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  try {
    assert.equal((await rawRequest(url)).headers['x-content-type-options'], 'nosniff');
    assert.equal((await rawRequest(url, { method: 'POST' })).headers['x-content-type-options'], 'nosniff');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    registry.close();
  }
});

test('in Chromium, every page of the UI works under the policy with no violation', { timeout: 120_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 100 });
  demo.observer.pages.register({ title: 'CSP page', command: 'csp-page', callback: () => ({ colour: 'teal' }) });
  demo.observer.tables.register('csp.things', new Map([['alpha', { n: 1 }]]));
  try {
    const page = await browser.newPage();
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
    `);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${demo.url}/`);
    await page.getByTestId('connection').getByText('connected', { exact: true }).waitFor();
    // Every page the menu links (the UI's page registry and this node's custom pages), and one table's page.
    await page.locator('nav.side-nav a[href="#/page/csp-page"]').waitFor();
    const pages: [string, string][] = [];
    for (const link of await page.locator('nav.side-nav a').all()) {
      pages.push([(await link.getAttribute('href'))!.replace(/^#\//, ''), (await link.textContent())!.trim()]);
    }
    assert.ok(pages.length >= 11 && pages.some(([h]) => h === 'page/csp-page'), JSON.stringify(pages));
    pages.push(['tables/csp.things', 'Tables']);
    for (const [hash, title] of pages) {
      await page.goto(`${demo.url}/#/${hash}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      // Rendered past "loading": the page's data arrived and was drawn.
      // A locator, not waitForFunction: Playwright evaluates a function's text with eval, which this very policy refuses and reports.
      await page.locator('main').filter({ hasNotText: 'Loading' }).waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await page.goto(`${demo.url}/#/load`);
    await page.locator('.chart canvas').first().waitFor();
    assert.deepEqual(await page.evaluate('window.__violations'), [], 'no securitypolicyviolation');
    assert.deepEqual(errors, []);
    // The listener does see violations: an inline script, what an injection would add, is blocked and reported.
    await page.evaluate(`document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.__ran = true' }))`);
    await page.waitForFunction('window.__violations.length > 0');
    assert.equal(await page.evaluate('window.__ran === true'), false, 'the inline script did not run');
  } finally {
    await browser.close();
    await demo.close();
  }
});
