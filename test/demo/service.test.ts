import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { startDemo } from '../../src/demo/service.js';

test('wobserver serves the demo\'s metrics, the runtime metrics and the API; the application has its home page', async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 20 });
  try {
    await sleep(300);
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    const served = [...metrics.matchAll(/^demo_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(served > 0, metrics.slice(0, 500));
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'demo_http_request_duration_seconds_bucket', 'demo_store_entries']) {
      assert.match(metrics, new RegExp(`^${name}`, 'm'));
    }
    const home = await fetch(`${demo.appUrl}/`);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await home.text(), /wobserver demo/);
    // wobserver, standalone beside the application: its API index and pages.
    assert.match(await (await fetch(`${demo.url}/`)).text(), /<div id="app"><\/div>/, 'the web UI');
    const tables = (await (await fetch(`${demo.url}/api/tables`)).json()) as { name: string }[];
    assert.deepEqual(tables.map((t) => t.name), ['demo.cache', 'demo.store']);
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

test('the demo has something on every observer page', { timeout: 30_000 }, async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 30 });
  try {
    const o = demo.observer;
    await sleep(700);
    assert.ok(o.system().process.pid === process.pid);
    assert.ok(o.memory().spaces.length > 0);
    const unsubscribe = o.load.subscribe();
    const p = o.processes();
    assert.equal(p.workers.length, 2, JSON.stringify(p.workers));
    assert.ok(p.children.some((c) => c.running && c.command.includes('--role=demo-child')));
    assert.ok(p.requests.some((r) => r.url === '/long'), JSON.stringify(p.requests));
    assert.ok(o.applications().packages.length >= 1);
    assert.ok(o.ports().handles.some((h) => h.type === 'tcp' && h.state === 'listening'));
    assert.deepEqual(o.tables.list().map((t) => t.name), ['demo.cache', 'demo.store']);
    assert.equal((await o.tables.page('demo.cache', { pageSize: 5 })).entries.length, 5);
    const page = await o.pages.run('demo-cache');
    assert.ok(page.ok && page.shape === 'tables', JSON.stringify(page));
    assert.equal(o.diagnostics.state().running, null);
    await sleep(1100);
    unsubscribe();
    assert.ok(o.load.columns().timestamps.length >= 1);
  } finally {
    await demo.close();
  }
});
