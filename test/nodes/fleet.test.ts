import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sign } from '../../src/nodes/index.js';
import { requirePeer } from '../helpers/peers.js';
import { dnsServer } from '../helpers/dns-server.js';
import { type FleetNode, ports, startNode, stopAll } from '../helpers/fleet.js';
import { until as waitFor } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';
import { json } from '../helpers/http.js';

const until = <T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => waitFor(fn, ok, what, 15_000);

const SECRET = 'a-shared-secret-of-the-test-fleet';

test('a static fleet of three processes: one node lists, reads, streams, downloads and scrapes them all', { timeout: 120_000 }, async (t) => {
  const [pa, pb, pc] = await ports(3);
  const all = [pa, pb, pc].map((p) => `127.0.0.1:${p}`);
  const nodes: FleetNode[] = [];
  try {
    for (const [name, port] of [['node-a', pa], ['node-b', pb], ['node-c', pc]] as const) nodes.push(await startNode({ name, port: port!, secret: SECRET, static: all }));
    const [a, b, c] = nodes as [FleetNode, FleetNode, FleetNode];

    // The nodes, seen from A.
    const list = await until(() => json(`${a.url}/api/nodes`), (r) => r.body.length === 3 && r.body.every((n: any) => n.state === 'up'), 'three nodes up');
    assert.deepEqual(list.body.map((n: any) => [n.name, n.local]), [['node-a', true], ['node-b', false], ['node-c', false]]);

    // Each node's pages through A.
    for (const n of [a, b, c]) {
      assert.equal((await json(`${a.url}/api/${n.name}/system`)).body.process.pid, n.pid, `${n.name} through A`);
      assert.deepEqual((await json(`${a.url}/api/${n.name}/tables`)).body.map((x: any) => x.name), [`table-${n.name}`]);
      assert.equal((await json(`${a.url}/api/${n.name}/tables/table-${n.name}?search=who`)).body.entries[0].value, n.name, 'multi-segment paths and queries');
    }
    // A subscription to B's load, through A's WebSocket.
    const ws = new TestClient(`${a.url.replace('http', 'ws')}/ws`);
    await ws.opened();
    ws.send({ id: 'l', subscribe: 'load', node: 'node-b', every: 1000 });
    ws.send({ id: 'p', get: 'about', node: 'node-b' });
    assert.equal((await ws.next((m) => m.id === 'p')).data.pid, b.pid);
    await ws.next((m) => m.sub === 'l' && m.data.timestamps.length >= 2, 10_000);
    ws.send({ id: 'x', get: 'system', node: '127.0.0.1:9' });
    assert.equal((await ws.next((m) => m.id === 'x')).error.code, 'NODE_NOT_FOUND');
    ws.close();

    // A download from C, through A.
    const report = await fetch(`${a.url}/api/node-c/diagnostics/report`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.match(report.headers.get('content-disposition') ?? '', /attachment; filename="report-/);
    assert.equal(((await report.json()) as any).header.processId, c.pid);
    // A heap snapshot from B: spooled on A while its signature is checked, then streamed.
    const snapshot = await fetch(`${a.url}/api/node-b/diagnostics/heap-snapshot`, { method: 'POST', headers: { 'x-wobserver-request': '1' } });
    assert.equal(snapshot.status, 200);
    assert.match(snapshot.headers.get('content-disposition') ?? '', /\.heapsnapshot"/);
    const heap = (await snapshot.json()) as any;
    assert.ok(Array.isArray(heap.snapshot.meta.node_fields), 'a whole DevTools heap snapshot');
    assert.equal(Number(snapshot.headers.get('content-length')) > 1_000_000, true, 'with its length, from the spooled file');

    // Aggregated metrics, valid for promtool, every sample labelled with its node.
    const scrape = await (await fetch(`${a.url}/metrics?nodes=all`)).text();
    for (const n of nodes) {
      assert.match(scrape, new RegExp(`^proc_marker_total\\{node="${n.name}",kind="test"\\} 1$`, 'm'));
      assert.match(scrape, new RegExp(`^wobserver_node_up\\{node="${n.name}"\\} 1$`, 'm'));
    }
    assert.equal(scrape.match(/^# TYPE proc_marker_total /gm)?.length, 1, 'one TYPE per family');
    const promtool = requirePeer(t, 'promtool');
    if (promtool !== undefined) {
      const r = spawnSync(promtool, ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
      assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'promtool finds no problem');
      assert.equal(r.status, 0);
    }
    assert.match(await (await fetch(`${a.url}/metrics/node/node-b`)).text(), /^proc_marker_total\{kind="test"\} 1$/m, "one node's own metrics");
    const sd = (await json(`${a.url}/api/nodes/prometheus`)).body;
    assert.deepEqual(sd.map((g: any) => g.labels.node).sort(), ['node-a', 'node-b', 'node-c']);
    assert.deepEqual(sd.find((g: any) => g.labels.node === 'node-b').targets, [`127.0.0.1:${pb}`]);

    // C dies: it is listed as down, and the scrape still succeeds without it.
    c.child.kill('SIGKILL');
    await until(() => json(`${a.url}/api/nodes`), (r) => r.body.find((n: any) => n.name === 'node-c')?.state === 'down', 'node-c down');
    const after = await fetch(`${a.url}/metrics?nodes=all`);
    assert.equal(after.status, 200);
    const text = await after.text();
    assert.match(text, /^wobserver_node_up\{node="node-c"\} 0$/m);
    assert.match(text, /^proc_marker_total\{node="node-b",kind="test"\} 1$/m);

    // Only discovered nodes can be reached; another node's requests must be signed, once.
    const undiscovered = await json(`${a.url}/api/127.0.0.1:${pb}/system`);
    assert.equal(undiscovered.status, 404);
    assert.equal(undiscovered.body.error.code, 'NODE_NOT_FOUND');
    const unsigned = await json(`${b.url}/api/system`, { headers: { 'x-wobserver-from': 'node-a' } });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.body.error.code, 'NODE_UNSIGNED');
    const forged = await json(`${b.url}/api/system`, { headers: sign('not-the-shared-secret!!', 'GET', '/api/system', 'node-a', 'node-b') });
    assert.equal(forged.body.error.code, 'NODE_SIGNATURE_INVALID');
    const signed = sign(SECRET, 'GET', '/api/about', 'node-a', 'node-b');
    assert.equal((await fetch(`${b.url}/api/about`, { headers: signed })).status, 200, 'a signed request passes');
    const replay = await json(`${b.url}/api/about`, { headers: signed });
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error.code, 'NODE_REPLAY');
    const stale = await json(`${b.url}/api/about`, { headers: sign(SECRET, 'GET', '/api/about', 'node-a', 'node-b', Date.now() - 120_000) });
    assert.equal(stale.body.error.code, 'NODE_CLOCK_SKEW');
    const otherPath = await json(`${b.url}/api/system`, { headers: sign(SECRET, 'GET', '/api/about', 'node-a', 'node-b') });
    assert.equal(otherPath.body.error.code, 'NODE_SIGNATURE_INVALID', 'a signature is for one path only');
  } finally {
    await stopAll(nodes);
  }
});

test('without a shared secret, nodes are listed but not proxied, and the answer says why', { timeout: 60_000 }, async () => {
  const [pa, pb] = await ports(2);
  const all = [pa, pb].map((p) => `127.0.0.1:${p}`);
  const nodes: FleetNode[] = [];
  try {
    nodes.push(await startNode({ name: 'solo-a', port: pa!, static: all }));
    nodes.push(await startNode({ name: 'solo-b', port: pb!, static: all }));
    const list = (await json(`${nodes[0]!.url}/api/nodes`)).body;
    const other = list.find((n: any) => !n.local);
    assert.equal(other.state, 'unknown');
    assert.equal(other.proxy, false);
    const r = await json(`${nodes[0]!.url}/api/${encodeURIComponent(other.name)}/system`);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'PROXY_DISABLED');
    assert.match(r.body.error.message, /secret/);
  } finally {
    await stopAll(nodes);
  }
});

test('DNS discovery through SRV records of a resolver the test controls, and custom discovery', { timeout: 90_000 }, async () => {
  const [pa, pb, pc] = await ports(3);
  const dns = await dnsServer('wobserver.fleet.test', () => [pa!, pb!]);
  const dir = mkdtempSync(join(tmpdir(), 'wob-custom-'));
  const file = join(dir, 'nodes.json');
  writeFileSync(file, JSON.stringify([`127.0.0.1:${pc}`]));
  const nodes: FleetNode[] = [];
  try {
    const dnsConfig = { name: 'wobserver.fleet.test', srv: true, servers: [dns.address] };
    nodes.push(await startNode({ name: 'dns-a', port: pa!, secret: SECRET, dns: dnsConfig }));
    nodes.push(await startNode({ name: 'dns-b', port: pb!, secret: SECRET, dns: dnsConfig }));
    nodes.push(await startNode({ name: 'custom-c', port: pc!, secret: SECRET, customFile: file }));
    const [a, , c] = nodes as [FleetNode, FleetNode, FleetNode];
    const viaDns = await until(() => json(`${a.url}/api/nodes`), (r) => r.body.length === 2 && r.body.every((n: any) => n.state === 'up'), 'both SRV nodes');
    assert.deepEqual(viaDns.body.map((n: any) => n.name), ['dns-a', 'dns-b']);
    assert.equal((await json(`${a.url}/api/dns-b/about`)).body.node, 'dns-b');
    // A/AAAA: every address of a name on one port; "localhost" resolves to 127.0.0.1, where dns-b listens.
    const [pd] = await ports(1);
    nodes.push(await startNode({ name: 'a-record', port: pd!, secret: SECRET, dns: { name: 'localhost', port: pb!, family: 4 } }));
    const viaA = await until(() => json(`${nodes[3]!.url}/api/nodes`), (r) => r.body.length === 2 && r.body.every((n: any) => n.state === 'up'), 'the A record node');
    assert.deepEqual(viaA.body.map((n: any) => [n.name, n.host, n.port]), [['a-record', '127.0.0.1', pd], ['dns-b', '127.0.0.1', pb]]);
    // Custom: the function's list changes, and so do the nodes.
    assert.deepEqual((await json(`${c.url}/api/nodes`)).body.map((n: any) => n.name), ['custom-c']);
    writeFileSync(file, JSON.stringify([`127.0.0.1:${pc}`, `127.0.0.1:${pa}`]));
    await until(() => json(`${c.url}/api/nodes`), (r) => r.body.map((n: any) => n.name).join() === 'custom-c,dns-a', 'the new node');
    assert.equal((await json(`${c.url}/api/dns-a/system`)).body.process.pid, nodes[0]!.pid);
  } finally {
    await stopAll(nodes);
    dns.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
