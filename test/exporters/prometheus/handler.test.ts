import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createRegistry, type Registry } from '../../../src/metrics/index.js';
import { createMetricsHandler, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../../src/exporters/prometheus/index.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  raw: Buffer;
}

async function serve(registry: Registry): Promise<Server> {
  const handler = createMetricsHandler(registry);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return server;
}

function fetchFrom(server: Server, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(parts);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

test('GET answers the text format by default and OpenMetrics when asked', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  const server = await serve(registry);
  try {
    registry.counter({ name: 'x_total', help: 'x' }).inc();
    const text = await fetchFrom(server);
    assert.equal(text.status, 200);
    assert.equal(text.headers['content-type'], TEXT_CONTENT_TYPE);
    assert.equal(text.headers['cache-control'], 'no-store');
    assert.equal(text.body, '# HELP x_total x\n# TYPE x_total counter\nx_total 1\n');
    const om = await fetchFrom(server, 'GET', { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' });
    assert.equal(om.headers['content-type'], OPENMETRICS_CONTENT_TYPE);
    assert.equal(om.body, '# HELP x x\n# TYPE x counter\nx_total 1\n# EOF\n');
  } finally {
    await closeServer(server);
    registry.close();
  }
});

test('HEAD has no body; other methods get 405 with Allow and a JSON error', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  const server = await serve(registry);
  try {
    const head = await fetchFrom(server, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    const post = await fetchFrom(server, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.deepEqual(JSON.parse(post.body), { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST is not allowed on /metrics' } });
  } finally {
    await closeServer(server);
    registry.close();
  }
});

test('a large registry streams completely', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false, maxSeries: 100_000 });
  const server = await serve(registry);
  try {
    const c = registry.counter({ name: 'x_total', help: 'x', labelNames: ['i'] });
    for (let i = 0; i < 50_000; i++) c.inc({ i }, i);
    const reply = await fetchFrom(server);
    const lines = reply.body.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('x_total{')).length, 50_000);
    assert.equal(lines.at(-2), 'x_total{i="49999"} 49999');
    assert.equal(lines.at(-1), '');
  } finally {
    await closeServer(server);
    registry.close();
  }
});

test('a predefined metric that throws still gives a 200 with every other metric, and counts the failure', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false, onError: () => undefined });
  const server = await serve(registry);
  try {
    registry.predefine({ name: 'broken', type: 'gauge', help: 'broken', fn: () => {
      throw new Error('boom');
    } });
    registry.predefine({ name: 'fine', type: 'gauge', help: 'fine', fn: () => 42 });
    const reply = await fetchFrom(server);
    assert.equal(reply.status, 200);
    assert.match(reply.body, /^fine 42$/m);
    assert.match(reply.body, /^broken 0$/m);
    assert.match(reply.body, /^wobserver_collect_errors_total\{collector="broken",reason="throw"\} 1$/m);
  } finally {
    await closeServer(server);
    registry.close();
  }
});

test('gzips when Accept-Encoding prefers gzip, by its q-values, and says Vary: Accept, Accept-Encoding', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  const server = await serve(registry);
  try {
    const c = registry.counter({ name: 'x_total', help: 'x', labelNames: ['i'] });
    for (let i = 0; i < 2000; i++) c.inc({ i }, i);
    const plain = await fetchFrom(server);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept, Accept-Encoding');
    assert.match(plain.body, /^x_total\{i="1999"\} 1999$/m);

    const zipped = await fetchFrom(server, 'GET', { 'accept-encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept, Accept-Encoding');
    assert.equal(gunzipSync(zipped.raw).toString('utf8'), plain.body);
    assert.ok(zipped.raw.length * 4 < plain.raw.length, `${zipped.raw.length} gzipped bytes for ${plain.raw.length}`);

    // OpenMetrics and gzip together, as Prometheus asks.
    const om = await fetchFrom(server, 'GET', { accept: OPENMETRICS_CONTENT_TYPE, 'accept-encoding': 'gzip' });
    assert.equal(om.headers['content-type'], OPENMETRICS_CONTENT_TYPE);
    assert.match(gunzipSync(om.raw).toString('utf8'), /# EOF\n$/);

    for (const refused of ['gzip;q=0', 'identity, gzip;q=0', '*;q=0, identity', 'br', 'deflate', 'gzip;q=2']) {
      const r = await fetchFrom(server, 'GET', { 'accept-encoding': refused });
      assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${refused}`);
      assert.equal(r.body, plain.body, `Accept-Encoding: ${refused}`);
    }
    const head = await fetchFrom(server, 'HEAD', { 'accept-encoding': 'gzip' });
    assert.equal(head.headers['content-encoding'], 'gzip');
    assert.equal(head.raw.length, 0);
  } finally {
    await closeServer(server);
    registry.close();
  }
});
