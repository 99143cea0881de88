import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { startCluster } from '../helpers/cluster.js';
import { requirePeer } from '../helpers/peers.js';
import { until } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';
import { json } from '../helpers/http.js';

test('cluster mode: every worker is a node of the primary over IPC, in the API, the WebSocket and /metrics; a replaced worker is a new node', { timeout: 90_000 }, async (t) => {
  const { url, workers, stop } = await startCluster();
  try {
    const nodes = await until(() => json(`${url}/api/nodes`), (r) => r.body.length === 3 && r.body.every((n: any) => n.state === 'up'), 'three nodes');
    assert.deepEqual(nodes.body.map((n: any) => [n.name, n.local]), [['primary', true], ['worker-1', false], ['worker-2', false]]);

    for (const [id, pid] of workers) {
      assert.equal((await json(`${url}/api/worker-${id}/system`)).body.process.pid, pid, `worker ${id} over IPC`);
      const info = await json(`${url}/api/worker-${id}/tables/worker-info`);
      assert.equal(info.body.entries[0].value, `worker-${id}`);
    }
    const report = await fetch(`${url}/api/worker-1/diagnostics/report`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.match(report.headers.get('content-disposition') ?? '', /report-.*\.json/);
    assert.equal(((await report.json()) as any).header.processId, workers.get(1));

    const ws = new TestClient(`${url.replace('http', 'ws')}/ws`);
    await ws.opened();
    ws.send({ id: 'm', subscribe: 'memory', node: 'worker-2', every: 500 });
    const pushed = await ws.next((m) => m.sub === 'm' && m.data !== undefined);
    assert.ok(pushed.data.heap.usedHeapSize > 0);
    ws.close();

    const scrape = await (await fetch(`${url}/metrics?nodes=all`)).text();
    for (const n of ['primary', 'worker-1', 'worker-2']) {
      assert.match(scrape, new RegExp(`^nodejs_heap_size_used_bytes\\{node="${n}"\\} `, 'm'));
      assert.match(scrape, new RegExp(`^wobserver_node_up\\{node="${n}"\\} 1$`, 'm'));
    }
    const promtool = requirePeer(t, 'promtool');
    if (promtool !== undefined) {
      const r = spawnSync(promtool, ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
      assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
    }
    assert.match(await (await fetch(`${url}/metrics/node/worker-2`)).text(), /^nodejs_heap_size_used_bytes\{node="worker-2"\} /m);

    // Worker 1 dies; the primary replaces it; the new worker is a new node and the old one is gone.
    process.kill(workers.get(1)!, 'SIGKILL');
    const after = await until(() => json(`${url}/api/nodes`), (r) => r.body.map((n: any) => n.name).join() === 'primary,worker-2,worker-3', 'worker-3 in, worker-1 out');
    assert.ok(after.body.every((n: any) => n.state === 'up'));
    assert.equal((await json(`${url}/api/worker-3/about`)).body.node, 'worker-3');
    assert.equal((await json(`${url}/api/worker-1/about`)).body.error.code, 'NODE_NOT_FOUND');
  } finally {
    await stop();
  }
});
