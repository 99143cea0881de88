import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startDemo } from '../../src/demo/service.js';

test('the demo serves its own metrics and the runtime metrics on /metrics, and a home page', async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 20 });
  try {
    await sleep(300);
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    const served = [...metrics.matchAll(/^demo_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(served > 0, metrics.slice(0, 500));
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'demo_http_request_duration_seconds_bucket', 'demo_store_entries']) {
      assert.match(metrics, new RegExp(`^${name}`, 'm'));
    }
    const home = await fetch(`${demo.url}/`);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await home.text(), /wobserver demo/);
  } finally {
    await demo.close();
  }
});

test('close() frees the port', async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 0 });
  const { port } = new URL(demo.url);
  await demo.close();
  const again = createServer();
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.listen(Number(port), '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => again.close(() => resolve()));
});
