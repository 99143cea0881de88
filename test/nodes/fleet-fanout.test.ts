import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FleetFanout, NodeDirectory, customDiscovery, validateSummary } from '../../src/nodes/index.js';
import type { FleetRow, FleetSummary } from '../../src/protocol/index.js';
import { SelfSummary } from '../../src/runtime/index.js';
import { type Started, start } from '../../src/server/index.js';
import { startCluster } from '../helpers/cluster.js';
import { type FleetNode, ports, startRogue, stopAll } from '../helpers/fleet.js';
import { json } from '../helpers/http.js';
import { until } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';

const SECRET = 'the-fleet-page-test-shared-secret';

/** A node in this process on loopback, port 0, that counts the Fleet summaries it is asked for. */
async function member(name: string, extra: Parameters<typeof start>[0] = {}): Promise<{ s: Started; asked: () => number; address: string }> {
  const s = await start({ port: 0, nodeName: name, ...extra, nodes: { secret: SECRET, timeoutMs: 1500, ...(extra.nodes ?? {}) } });
  let asked = 0;
  s.server.on('request', (req) => {
    if ((req.url ?? '').startsWith('/api/fleet/')) asked++;
  });
  return { s, asked: () => asked, address: new URL(s.url).host };
}

const row = (rows: FleetRow[], name: string): FleetRow => {
  const r = rows.find((x) => x.name === name);
  assert.ok(r, `a row for ${name} in ${JSON.stringify(rows.map((x) => x.name))}`);
  return r;
};

test('two viewers share one fan-out a period: each node is asked once per fan-out, however many subscriptions push it', { timeout: 60_000 }, async () => {
  const b = await member('node-b');
  const c = await member('node-c');
  const a = await member('node-a', { nodes: { discovery: 'custom', custom: () => [b.address, c.address] } });
  const viewers: TestClient[] = [];
  try {
    for (const node of [undefined, 'node-b']) {
      const ws = new TestClient(`${a.s.url.replace('http', 'ws')}/ws`);
      await ws.opened();
      // Another `node` is another feed on A; the fleet is answered on A all the same (it is never forwarded).
      ws.send({ id: 'f', subscribe: 'fleet', ...(node ? { node } : {}) });
      viewers.push(ws);
    }
    const pushes = (ws: TestClient) => ws.messages.filter((m) => m.sub === 'f' && m.data !== undefined);
    await until(() => viewers.map((v) => pushes(v).length), (n) => n.every((x) => x >= 3), 'three pushes to each viewer');
    const all = viewers.flatMap(pushes);
    for (const p of all) assert.deepEqual(p.data.nodes.map((r: FleetRow) => [r.name, r.state]), [['node-a', 'up'], ['node-b', 'up'], ['node-c', 'up']]);
    const fanouts = new Set(all.map((p) => p.data.timestamp)).size;
    assert.ok(fanouts < all.length, `${all.length} pushes came from ${fanouts} fan-outs: shared`);
    // What the nodes saw: one request per fan-out each (a fan-out may be running as we count).
    for (const n of [b, c]) assert.ok(n.asked() >= fanouts && n.asked() <= fanouts + 1, `${n.asked()} requests for ${fanouts} fan-outs`);
    assert.equal(row(all[0]!.data.nodes, 'node-b').summary!.pid, process.pid, 'the data is what node-b told');
  } finally {
    for (const v of viewers) v.close();
    for (const n of [a, b, c]) await n.s.close();
  }
});

test('a fan-out is cached for its period and shared by readers that arrive while it runs (the clock injected)', { timeout: 30_000 }, async () => {
  const b = await member('node-b');
  let clock = 1_000_000;
  const directory = new NodeDirectory({ discovery: customDiscovery(() => [b.address]), localName: 'here', localPrefix: '', secret: SECRET, timeoutMs: 1500 });
  const self = new SelfSummary();
  const fanout = new FleetFanout({ directory, local: () => self.read('here', 0), periodMs: 2000, now: () => clock });
  try {
    const [one, two, three] = await Promise.all([fanout.read(), fanout.read(), fanout.read()]);
    assert.equal(fanout.fanouts, 1, 'three readers at once, one fan-out');
    assert.equal(b.asked(), 1);
    assert.ok(one === two && two === three);
    assert.deepEqual(one.nodes.map((r) => [r.name, r.local, r.state]), [['here', true, 'up'], ['node-b', false, 'up']]);
    clock += 1700;
    assert.equal(await fanout.read(), one, 'within the period: the same result');
    assert.equal(b.asked(), 1);
    clock += 300;
    const next = await fanout.read();
    assert.notEqual(next, one, 'after the period: a new fan-out');
    assert.equal(fanout.fanouts, 2);
    assert.equal(b.asked(), 2);
    assert.equal(next.timestamp, clock);
  } finally {
    self.close();
    await b.s.close();
  }
});

test('a lying node spoils only its own row: garbage, another name, huge text, HTML, silence and no signature are each shown as such', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wobserver-fleet-'));
  const routes = join(dir, 'routes.json');
  const honest = await member('honest');
  const [rp, up] = await ports(2);
  const nodes: FleetNode[] = [];
  let clock = 0;
  const self = new SelfSummary();
  try {
    nodes.push(await startRogue({ name: 'rogue', port: rp!, routes, capture: join(dir, 'capture.log'), answerSecret: SECRET }));
    nodes.push(await startRogue({ name: 'unsigned', port: up!, routes, capture: join(dir, 'capture2.log') }));
    const directory = new NodeDirectory({ discovery: customDiscovery(() => [honest.address, `127.0.0.1:${rp}`, `127.0.0.1:${up}`]), localName: 'here', localPrefix: '', secret: SECRET, timeoutMs: 800 });
    const fanout = new FleetFanout({ directory, local: () => self.read('here', 0), now: () => clock });
    const valid: FleetSummary = { ...self.read('rogue', 3), node: 'rogue' };
    const answer = async (body: string, extra: Record<string, unknown> = {}): Promise<FleetRow[]> => {
      writeFileSync(routes, JSON.stringify({ '/api/fleet/rogue': { body, ...extra } }));
      clock += 10_000;
      return (await fanout.read()).nodes;
    };
    // The rogue tells the truth once: the test can tell an accepted answer from a refused one.
    let rows = await answer(JSON.stringify(valid));
    assert.equal(row(rows, 'rogue').state, 'up');
    assert.equal(row(rows, 'rogue').summary!.requestsInFlight, 3);
    // One that does not know the secret never proved its name: it stays named by its address, and what it answers is not believed.
    const unsigned = row(rows, `127.0.0.1:${up}`);
    assert.deepEqual([unsigned.state, unsigned.code, unsigned.summary], ['invalid', 'NODE_ANSWER_UNSIGNED', undefined]);

    const cases: [string, string, Record<string, unknown>, string, string][] = [
      ['not an object', '[1,2,3]', {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['an infinite number', JSON.stringify(valid).replace(/"rss":\d+/, '"rss":1e400'), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['a negative pid', JSON.stringify({ ...valid, pid: -1 }), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['a utilization above 1', JSON.stringify({ ...valid, eventLoopUtilization: 7 }), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['another node\'s name', JSON.stringify({ ...valid, node: 'honest' }), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['a huge version string', JSON.stringify({ ...valid, nodeVersion: `v1.2.3${'<script>'.repeat(100_000)}` }), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['an unknown memory source', JSON.stringify({ ...valid, memorySource: 'trust me' }), {}, 'invalid', 'FLEET_ANSWER_INVALID'],
      ['HTML', '<script>alert(1)</script>', { type: 'text/html' }, 'invalid', 'NODE_BAD_ANSWER'],
      ['silence', '', { hang: true }, 'timeout', 'NODE_TIMEOUT'],
    ];
    for (const [what, body, extra, state, code] of cases) {
      rows = await answer(body, extra);
      const r = row(rows, 'rogue');
      assert.equal(r.state, state, what);
      assert.equal(r.code, code, what);
      assert.ok((r.message ?? '').length <= 300, `${what}: a bounded message`);
      assert.doesNotMatch(r.message ?? '', /(<script>){6}/, `${what}: quotes at most 40 characters of it`);
      assert.equal(r.summary?.requestsInFlight, 3, `${what}: the last valid answer stays, stale`);
      const h = row(rows, 'honest');
      assert.equal(h.state, 'up', `${what}: the honest node's row is untouched`);
      assert.equal(h.summary!.pid, process.pid);
    }
    // Extra fields of an answer are not kept.
    rows = await answer(JSON.stringify({ ...valid, extra: 'x'.repeat(1000) }).replace(/}$/, ',"__proto__":{"polluted":true}}'));
    assert.equal(row(rows, 'rogue').state, 'up');
    assert.deepEqual(Object.keys(row(rows, 'rogue').summary!).sort(), Object.keys(valid).sort());
  } finally {
    self.close();
    await stopAll(nodes);
    await honest.s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validateSummary takes a sound summary field by field and refuses each field out of its range', () => {
  const self = new SelfSummary();
  const good = self.read('n1', 0);
  self.close();
  assert.deepEqual(validateSummary(good, 'n1'), good);
  const bad: Record<string, unknown> = { pid: 1.5, uptimeSeconds: -1, cpu: '0.5', delayP99Ms: Number.NaN, heapUsed: 2 ** 60, requestsInFlight: 0.5, nodeVersion: 'twenty', memoryLimit: null };
  for (const [k, v] of Object.entries(bad)) {
    assert.throws(() => validateSummary({ ...good, [k]: v }, 'n1'), (e: Error & { code?: string }) => e.code === 'FLEET_ANSWER_INVALID' && e.message.includes(k), k);
  }
  assert.throws(() => validateSummary(good, 'n2'), /says it is "n1", not "n2"/);
});

test('a node asked for another name than its own answers NODE_NOT_FOUND, and /api/fleet/<own name> is its summary', async () => {
  const a = await member('node-a');
  try {
    const own = await json(`${a.s.url}/api/fleet/node-a`);
    assert.equal(own.status, 200);
    assert.equal(own.body.pid, process.pid);
    assert.equal(validateSummary(own.body, 'node-a').node, 'node-a');
    const other = await json(`${a.s.url}/api/fleet/node-z`);
    assert.equal(other.status, 404);
    assert.equal(other.body.error.code, 'NODE_NOT_FOUND');
  } finally {
    await a.s.close();
  }
});

test('cluster workers are rows of the primary\'s Fleet, asked over IPC', { timeout: 60_000 }, async () => {
  const { url, workers, primary, stop } = await startCluster();
  try {
    const fleet = await until(() => json(`${url}/api/fleet`), (r) => r.body.nodes?.length === 3 && r.body.nodes.every((n: FleetRow) => n.state === 'up'), 'three rows up');
    assert.deepEqual(
      fleet.body.nodes.map((n: FleetRow) => [n.name, n.summary?.pid]),
      [['primary', primary.pid], ['worker-1', workers.get(1)], ['worker-2', workers.get(2)]],
    );
  } finally {
    await stop();
  }
});

test('without nodes.secret another node is not asked: its row is unknown, PROXY_DISABLED, and this node\'s own row is up', { timeout: 30_000 }, async () => {
  const b = await member('node-b');
  // No secret: the directory lists b under its address (it cannot be asked for its name either), and the fan-out asks nobody.
  const a = await start({ port: 0, nodeName: 'node-a', nodes: { discovery: 'custom', custom: () => [b.address] } });
  try {
    const { nodes } = (await json(`${a.url}/api/fleet`)).body as { nodes: FleetRow[] };
    assert.equal(row(nodes, 'node-a').state, 'up');
    const other = nodes.find((r) => !r.local);
    assert.ok(other, 'the other node has a row');
    assert.equal(other.state, 'unknown');
    assert.equal(other.code, 'PROXY_DISABLED');
    assert.equal(b.asked(), 0, 'nothing was sent to it');
  } finally {
    await a.close();
    await b.s.close();
  }
});
