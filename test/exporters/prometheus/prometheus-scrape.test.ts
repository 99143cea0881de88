import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startDemo } from '../../../src/demo/service.js';
import { createMetricsHandler, negotiateFormat } from '../../../src/exporters/prometheus/index.js';
import { requirePeer } from '../../helpers/peers.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  return res.json();
}

test('a real Prometheus scrapes the demo (OpenMetrics, as it negotiates) and stores its series', { timeout: 120_000 }, async (t) => {
  const prometheus = requirePeer(t, 'prometheus');
  if (prometheus === undefined) return;
  const demo = await startDemo({ port: 0, trafficEvery: 50 });
  // The demo's registry, served by a handler that also records what each scrape asked for.
  const accepts: string[] = [];
  const handler = createMetricsHandler(demo.registry);
  const front = createHttpServer((req, res) => {
    accepts.push(req.headers.accept ?? '');
    void handler(req, res);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-prom-'));
  const port = await freePort();
  const target = `127.0.0.1:${(front.address() as { port: number }).port}`;
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: demo\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const child = spawn(
    prometheus,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const api = `http://127.0.0.1:${port}/api/v1`;
  try {
    let scrapeTarget: { health: string; lastError: string } | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await sleep(500);
      try {
        const targets = await getJson(`${api}/targets`);
        scrapeTarget = targets.data.activeTargets[0];
        if (scrapeTarget?.health === 'up') break;
      } catch {
        // not listening yet
      }
    }
    assert.equal(scrapeTarget?.health, 'up', `target: ${JSON.stringify(scrapeTarget)}\nprometheus log:\n${log}`);
    assert.equal(scrapeTarget?.lastError, '');
    assert.ok(accepts.length > 0 && accepts.every((a) => negotiateFormat(a) === 'openmetrics'), `Accept: ${accepts[0]}`);
    const scraped = await getJson(`${api}/query?query=scrape_samples_scraped`);
    assert.ok(Number(scraped.data.result[0]?.value[1]) > 50, JSON.stringify(scraped));
    for (const q of ['demo_http_requests_total', 'process_resident_memory_bytes', 'nodejs_gc_duration_seconds_bucket', 'demo_http_request_duration_seconds_count']) {
      const r = await getJson(`${api}/query?query=${encodeURIComponent(q)}`);
      assert.equal(r.status, 'success');
      assert.ok(r.data.result.length > 0, `${q}: ${JSON.stringify(r)}`);
    }
  } finally {
    child.kill('SIGTERM');
    await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)]);
    child.kill('SIGKILL');
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  }
});
