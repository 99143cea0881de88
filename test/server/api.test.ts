import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createRegistry } from '../../src/metrics/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { start } from '../../src/server/index.js';
import { json } from '../helpers/http.js';

test('every API route answers JSON for the local node, by "local" and by its own name', async () => {
  const registry = createRegistry({ node: 'node-a' });
  const observer = createObserver();
  observer.tables.register('users', new Map([['u1', { name: 'Ann' }], ['u2', { name: 'Bob' }]]));
  observer.pages.register({ title: 'Info', command: 'info', callback: () => ({ answer: 42 }) });
  const s = await start({ port: 0, registry, observer });
  try {
    for (const base of [`${s.url}/api`, `${s.url}/api/local`, `${s.url}/api/node-a`]) {
      const nodes = await json(`${base}/nodes`);
      assert.deepEqual(nodes.body.map((n: { name: string; local: boolean; state: string; prefix: string }) => [n.name, n.local, n.state, n.prefix]), [['node-a', true, 'up', '']]);
      assert.equal((await json(`${base}/system`)).body.process.pid, process.pid);
      assert.ok((await json(`${base}/memory`)).body.spaces.length > 0);
      assert.ok(Array.isArray((await json(`${base}/applications`)).body.packages));
      const procs = await json(`${base}/processes`);
      assert.equal(procs.body.main.pid, process.pid);
      assert.equal((await json(`${base}/processes/main`)).body.id, 'main');
      assert.ok((await json(`${base}/ports`)).body.handles.length > 0);
      assert.deepEqual((await json(`${base}/tables`)).body.map((t: { name: string }) => t.name), ['users']);
      const page = await json(`${base}/tables/users?pageSize=1&sort=key&order=desc`);
      assert.deepEqual(page.body.entries, [{ key: 'u2', value: { name: 'Bob' } }]);
      assert.deepEqual((await json(`${base}/pages`)).body, [{ title: 'Info', command: 'info', apiOnly: false, refresh: 0 }]);
      assert.deepEqual((await json(`${base}/pages/info`)).body.data, { answer: 42 });
      assert.ok(Array.isArray((await json(`${base}/load`)).body.timestamps));
      assert.equal((await json(`${base}/diagnostics`)).body.enabled, false);
      const about = await json(`${base}/about`);
      assert.equal(about.body.name, 'wobserver');
      assert.equal(about.body.node, 'node-a');
      assert.equal(about.headers.get('content-type'), 'application/json; charset=utf-8');
    }
    assert.equal(observer.load.running, true, 'reading /api/load keeps the sampler running for a while');
  } finally {
    await s.close();
    observer.close();
    registry.close();
  }
});

test('errors are JSON with a stable code and the right status, and the connection stays usable', async () => {
  const s = await start({ port: 0 });
  try {
    const cases: [string, number, string, RequestInit?][] = [
      ['/api/elsewhere/system', 404, 'NODE_NOT_FOUND'],
      ['/api/nope/nope', 404, 'NODE_NOT_FOUND'],
      ['/api/system/extra', 404, 'NOT_FOUND'],
      ['/api/processes/child:999999', 404, 'PROCESS_NOT_FOUND'],
      ['/api/tables/none', 404, 'TABLE_NOT_FOUND'],
      ['/api/tables/none?page=-1', 400, 'BAD_PARAMETER'],
      ['/api/pages/none', 404, 'PAGE_NOT_FOUND'],
      ['/api/system', 405, 'METHOD_NOT_ALLOWED', { method: 'POST', headers: { 'x-wobserver-request': '1' } }],
      ['/api/diagnostics/report', 403, 'DIAGNOSTICS_DISABLED', { method: 'POST', headers: { 'x-wobserver-request': '1' } }],
      ['/api/%E0%A4%A', 400, 'BAD_PATH'],
      ['/nothing', 404, 'NOT_FOUND'],
      ['/metrics?format=xml', 400, 'UNKNOWN_FORMAT'],
      ['/api/system', 413, 'BODY_TOO_LARGE', { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: 'x'.repeat(70_000) }],
    ];
    for (const [path, status, code, init] of cases) {
      const r = await json(`${s.url}${path}`, init);
      assert.equal(r.status, status, path);
      assert.equal(r.body.error.code, code, path);
      assert.equal(typeof r.body.error.message, 'string');
    }
    assert.match((await json(`${s.url}/api/elsewhere/system`)).body.error.message, /"elsewhere"/);
    assert.equal((await fetch(`${s.url}/api/about`)).status, 200, 'still answering');
  } finally {
    await s.close();
  }
});

test('/metrics negotiates the format, gzips when asked, and serves registered formats', async () => {
  const registry = createRegistry({ runtimeMetrics: false, intervals: false });
  registry.counter({ name: 'hits_total', help: 'Hits' }).inc(3);
  const s = await start({
    port: 0,
    registry,
    formats: { names: { contentType: 'application/json', render: (snap) => [JSON.stringify(snap.families.map((f) => f.name))] } },
  });
  try {
    const text = await fetch(`${s.url}/metrics`, { headers: { 'accept-encoding': 'identity' } });
    assert.match(text.headers.get('content-type') ?? '', /version=0\.0\.4/);
    assert.equal(await text.text(), '# HELP hits_total Hits\n# TYPE hits_total counter\nhits_total 3\n');
    const om = await fetch(`${s.url}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0', 'accept-encoding': 'identity' } });
    assert.match(await om.text(), /# EOF\n$/);
    // fetch would decompress by itself: ask with node:http semantics through the raw bytes.
    const { request } = await import('node:http');
    const zipped = await new Promise<Buffer>((resolve, reject) => {
      request(`${s.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        assert.equal(res.headers['content-encoding'], 'gzip');
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(Buffer.concat(parts)));
      }).on('error', reject).end();
    });
    assert.match(gunzipSync(zipped).toString(), /^hits_total 3$/m);
    const custom = await fetch(`${s.url}/metrics?format=names`);
    assert.deepEqual(await custom.json(), ['hits_total']);
    s.wobserver.addFormat('influx', { contentType: 'text/plain', render: (snap) => snap.families.map((f) => `${f.name} value=${(f as { values: Float64Array }).values[0]}\n`) });
    assert.equal(await (await fetch(`${s.url}/metrics?format=influx`)).text(), 'hits_total value=3\n');
    const builtIn = (await (await fetch(`${s.url}/metrics?format=json`)).json()) as { families: { name: string; type: string; series: unknown[] }[] };
    assert.deepEqual(builtIn.families, [{ name: 'hits_total', type: 'counter', help: 'Hits', unit: '', labelNames: [], series: [{ labels: {}, value: 3 }] }]);
    assert.throws(() => s.wobserver.addFormat('Bad Name', { contentType: 'x', render: () => [] }), { code: 'INVALID_OPTION' });
  } finally {
    await s.close();
    registry.close();
  }
});

test('without a UI, the root shows an index of the API with relative links, also under a prefix', async () => {
  const s = await start({ port: 0, prefix: '/wobserver/', assets: false });
  try {
    assert.ok(s.url.endsWith('/wobserver'));
    const html = await (await fetch(`${s.url}/`)).text();
    assert.match(html, /href="api\/system"/);
    const bare = await fetch(s.url, { redirect: 'manual' });
    assert.equal(bare.status, 308, 'the bare prefix redirects to the folder, so relative links resolve under it');
    assert.equal(bare.headers.get('location'), 'wobserver/');
    assert.equal((await fetch(`${s.url}/api/about`)).status, 200);
    const outside = await fetch(s.url.replace('/wobserver', '/api/about'));
    assert.equal(outside.status, 404, 'nothing outside the prefix');
  } finally {
    await s.close();
  }
});

test('diagnostics, when enabled, hand out DevTools files; heap snapshots are rate-limited', { timeout: 60_000 }, async () => {
  const s = await start({ port: 0, diagnostics: { enabled: true, minIntervalMs: 60_000 } });
  try {
    assert.equal((await fetch(`${s.url}/api/diagnostics/cpu-profile/start`, { method: 'POST', headers: { 'x-wobserver-request': '1' } })).status, 202);
    const busy = await json(`${s.url}/api/diagnostics/heap-profile/start`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'DIAGNOSTICS_BUSY');
    const profile = await fetch(`${s.url}/api/diagnostics/cpu-profile/stop`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.match(profile.headers.get('content-disposition') ?? '', /attachment; filename="cpu-.*\.cpuprofile"/);
    assert.ok(Array.isArray(((await profile.json()) as { nodes: unknown[] }).nodes));
    const stopAgain = await json(`${s.url}/api/diagnostics/cpu-profile/stop`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.equal(stopAgain.body.error.code, 'DIAGNOSTICS_NOT_RUNNING');
    const report = await fetch(`${s.url}/api/diagnostics/report`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.match(report.headers.get('content-disposition') ?? '', /\.json"/);
    const snap = await fetch(`${s.url}/api/diagnostics/heap-snapshot`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.equal(snap.status, 200);
    assert.match(snap.headers.get('content-disposition') ?? '', /\.heapsnapshot"/);
    const parsed = JSON.parse(await snap.text()) as { snapshot: { node_count: number } };
    assert.ok(parsed.snapshot.node_count > 1000);
    const again = await fetch(`${s.url}/api/diagnostics/heap-snapshot`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.equal(again.status, 429);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    // When the next one is allowed, for a client to count down to: about a minute, never more.
    const retry = Number(again.headers.get('retry-after'));
    assert.ok(retry > 50 && retry <= 60, `retry-after ${again.headers.get('retry-after')}`);
  } finally {
    await s.close();
  }
});
