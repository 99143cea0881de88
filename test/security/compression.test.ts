import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createMetricsHandler } from '../../src/exporters/prometheus/index.js';
import { createRegistry } from '../../src/metrics/index.js';
import { start } from '../../src/server/index.js';

const UI = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with node:http, which (unlike fetch) hands back the bytes as sent, not decoded. */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(r: Raw): Buffer {
  const coding = r.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(r.body);
  if (coding === 'gzip') return gunzipSync(r.body);
  assert.equal(coding, undefined, 'only br, gzip or nothing');
  return r.body;
}

/** The built UI's text files: index.html and every JS and CSS asset. */
function builtFiles(): string[] {
  const assets = readdirSync(join(UI, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  assert.ok(assets.some((f) => f.endsWith('.js')), 'the UI is built (npm run build)');
  return ['index.html', ...assets.map((f) => `assets/${f}`)];
}

test('the build writes a .br and a .gz beside every JS, CSS and HTML file of the UI, each decoding to the file', () => {
  for (const f of builtFiles()) {
    const raw = readFileSync(join(UI, f));
    assert.deepEqual(brotliDecompressSync(readFileSync(join(UI, `${f}.br`))), raw, `${f}.br`);
    assert.deepEqual(gunzipSync(readFileSync(join(UI, `${f}.gz`))), raw, `${f}.gz`);
  }
  const js = builtFiles().find((f) => f.endsWith('.js'))!;
  const size = (name: string): number => readFileSync(join(UI, name)).length;
  assert.ok(size(`${js}.br`) < size(`${js}.gz`) && size(`${js}.gz`) * 2 < size(js), `${js}: ${size(js)} bytes, ${size(`${js}.gz`)} gzip, ${size(`${js}.br`)} brotli`);
});

test("start() sends the UI precompressed by Accept-Encoding's q-values, with the compressed length and Vary: Accept-Encoding", async () => {
  const s = await start({ port: 0, registry: createRegistry({ runtimeMetrics: false, intervals: false }) });
  try {
    for (const f of builtFiles()) {
      const path = f === 'index.html' ? '/' : `/${f}`;
      const raw = readFileSync(join(UI, f));
      // [Accept-Encoding, the file that must be sent, its Content-Encoding]
      const cases: [string | undefined, string, string | undefined][] = [
        ['gzip, deflate, br, zstd', `${f}.br`, 'br'],
        ['br', `${f}.br`, 'br'],
        ['gzip', `${f}.gz`, 'gzip'],
        ['br;q=0.5, gzip', `${f}.gz`, 'gzip'],
        ['br;q=0, *', `${f}.gz`, 'gzip'],
        ['gzip;q=0', f, undefined],
        ['br;q=0, gzip;q=0', f, undefined],
        ['*;q=0, identity', f, undefined],
        ['deflate', f, undefined],
        [undefined, f, undefined],
      ];
      for (const [accept, sent, coding] of cases) {
        const what = `${path} with Accept-Encoding: ${accept}`;
        const r = await get(s.url, path, accept === undefined ? {} : { 'accept-encoding': accept });
        assert.equal(r.status, 200, what);
        assert.equal(r.headers['content-encoding'], coding, what);
        assert.match(String(r.headers.vary), /\bAccept-Encoding\b/i, what);
        assert.equal(r.headers['content-length'], String(readFileSync(join(UI, sent)).length), what);
        assert.equal(r.body.length, readFileSync(join(UI, sent)).length, what);
        assert.deepEqual(decode(r), raw, what);
      }
      const head = await get(s.url, path, { 'accept-encoding': 'br' }, 'HEAD');
      assert.equal(head.headers['content-encoding'], 'br');
      assert.equal(head.headers['content-length'], String(readFileSync(join(UI, `${f}.br`)).length));
      assert.equal(head.body.length, 0);
    }
  } finally {
    await s.close();
  }
});

test('a precompressed copy that is missing or a link out of the folder is never sent; identity then', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wobserver-assets-'));
  const outside = mkdtempSync(join(tmpdir(), 'wobserver-outside-'));
  const html = '<!doctype html><div id="app"></div>'.padEnd(2000, ' ');
  const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), html);
  writeFileSync(join(root, 'assets', 'app-ABCDEFGH.js'), js);
  writeFileSync(join(root, 'assets', 'app-ABCDEFGH.js.gz'), gzipSync(js));
  // No .br for the script; a .br for the stylesheet that points out of the folder.
  writeFileSync(join(root, 'assets', 'app-ABCDEFGH.css'), 'body{}'.repeat(300));
  writeFileSync(join(outside, 'secret.br'), brotliCompressSync('SECRET'));
  symlinkSync(join(outside, 'secret.br'), join(root, 'assets', 'app-ABCDEFGH.css.br'));
  const s = await start({ port: 0, assets: root, registry: createRegistry({ runtimeMetrics: false, intervals: false }) });
  try {
    const index = await get(s.url, '/', { 'accept-encoding': 'br, gzip' });
    assert.equal(index.headers['content-encoding'], undefined, 'no copies, no coding');
    assert.equal(index.headers.vary, 'Accept-Encoding');
    assert.equal(index.body.toString(), html);
    const script = await get(s.url, '/assets/app-ABCDEFGH.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(script.headers['content-encoding'], 'gzip', 'the copy there is');
    assert.equal(gunzipSync(script.body).toString(), js);
    const style = await get(s.url, '/assets/app-ABCDEFGH.css', { 'accept-encoding': 'br' });
    assert.equal(style.headers['content-encoding'], undefined, 'not the link out of the folder');
    assert.equal(style.body.toString(), 'body{}'.repeat(300));
  } finally {
    await s.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test("start()'s /metrics and createMetricsHandler choose the same coding for every Accept-Encoding, gzip;q=0 included", async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  const c = registry.counter({ name: 'hits_total', help: 'hits', labelNames: ['i'] });
  for (let i = 0; i < 500; i++) c.inc({ i }, 1);
  const s = await start({ port: 0, registry });
  const handler = createMetricsHandler(registry);
  const plain = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const handlerUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  try {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['gzip', 'gzip'],
      ['gzip, deflate, br', 'gzip'],
      ['x-gzip', 'gzip'],
      ['*', 'gzip'],
      ['gzip;q=0', undefined],
      ['gzip;q=0.0, identity', undefined],
      ['identity, gzip;q=0.5', undefined],
      ['*;q=0, identity', undefined],
      ['br', undefined],
      ['deflate', undefined],
    ];
    for (const [accept, coding] of cases) {
      for (const base of [s.url, handlerUrl]) {
        const what = `${base === s.url ? 'start()' : 'createMetricsHandler'} with Accept-Encoding: ${accept}`;
        const r = await get(base, '/metrics', accept === undefined ? {} : { 'accept-encoding': accept });
        assert.equal(r.status, 200, what);
        assert.equal(r.headers['content-encoding'], coding, what);
        assert.equal(r.headers.vary, 'Accept, Accept-Encoding', what);
        assert.match(decode(r).toString(), /^hits_total\{i="499"\} 1$/m, what);
      }
    }
  } finally {
    plain.closeAllConnections();
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    await s.close();
    registry.close();
  }
});
