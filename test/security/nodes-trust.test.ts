import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requirePeer } from '../helpers/peers.js';
import { type FleetNode, ports, startNode, startRogue, stopAll } from '../helpers/fleet.js';
import { until } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';
import { jsonOrText as json } from '../helpers/http.js';

const SECRET = 'a-shared-secret-of-the-test-fleet';

function promtoolProblems(path: string, text: string): string {
  const r = spawnSync(path, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout}${r.stderr}`.trim() + (r.status === 0 ? '' : ` (exit ${r.status})`);
}

/** Answers a node that knows the secret may give to /api/metrics, each meant to break the aggregated scrape. */
const HOSTILE: Record<string, unknown> = {
  'families is a string': { families: 'abc' },
  'a family without series': { families: [{ name: 'evil_total', type: 'counter', help: 'x', unit: '', labelNames: [] }] },
  'a name that injects a line': { families: [{ name: 'evil\ninjected_metric 1', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] }] },
  'a label name that injects': { families: [{ name: 'evil', type: 'gauge', help: 'x', unit: '', labelNames: ['a="1"} 1\ninjected 2 #'], series: [{ labels: { 'a="1"} 1\ninjected 2 #': 'v' }, value: 1 }] }] },
  'help that is not a string': { families: [{ name: 'evil', type: 'gauge', help: { a: 1 }, unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] }] },
  'an unknown type': { families: [{ name: 'evil', type: 'summary', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] }] },
  'a value that is text': { families: [{ name: 'evil', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: '1 # injected' }] }] },
  'a label set twice': { families: [{ name: 'evil', type: 'gauge', help: 'x', unit: '', labelNames: ['a'], series: [{ labels: { a: '1' }, value: 1 }, { labels: { a: '1' }, value: 2 }] }] },
  'a reserved label name': { families: [{ name: 'evil', type: 'gauge', help: 'x', unit: '', labelNames: ['le'], series: [{ labels: { le: '1' }, value: 1 }] }] },
  'histogram counts of the wrong width': { families: [{ name: 'evil_seconds', type: 'histogram', help: 'x', unit: '', labelNames: [], buckets: [1, 2], series: [{ labels: {}, count: 1, sum: 1, counts: [1] }] }] },
  'two families exposing one name': {
    families: [
      { name: 'evil', type: 'counter', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] },
      { name: 'evil_total', type: 'gauge', help: 'x', unit: '', labelNames: [], series: [{ labels: {}, value: 1 }] },
    ],
  },
  'not JSON at all': '{"families": [',
};

test('a node that knows the secret but answers hostile metrics is left out of /metrics?nodes=all, marked down with a reason, and the scrape stays promtool-clean', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-rogue-'));
  const routes = join(dir, 'routes.json');
  const [pa, pr] = await ports(2);
  const nodes: FleetNode[] = [];
  try {
    nodes.push(await startRogue({ name: 'rogue-metrics', port: pr!, routes, capture: join(dir, 'capture.jsonl'), answerSecret: SECRET }));
    nodes.push(await startNode({ name: 'node-a', port: pa!, secret: SECRET, static: [`127.0.0.1:${pa}`, `127.0.0.1:${pr}`] }));
    const a = nodes[1]!;
    await until(() => json(`${a.url}/api/nodes`), (r) => r.body.find?.((n: any) => n.name === 'rogue-metrics')?.state === 'up', 'the rogue listed up (it signs)');
    const promtool = requirePeer(t, 'promtool');
    for (const [what, body] of Object.entries(HOSTILE)) {
      writeFileSync(routes, JSON.stringify({ '/api/metrics': { body: typeof body === 'string' ? body : JSON.stringify(body) } }));
      const res = await fetch(`${a.url}/metrics?nodes=all`);
      assert.equal(res.status, 200, `${what}: the scrape succeeds`);
      const text = await res.text();
      assert.match(text, /^wobserver_node_up\{node="rogue-metrics"\} 0$/m, `${what}: the rogue is down`);
      assert.match(text, /^wobserver_node_up\{node="node-a"\} 1$/m, `${what}: the honest node is up`);
      assert.match(text, /^proc_marker_total\{node="node-a",kind="test"\} 1$/m, `${what}: the honest node's metrics are there`);
      assert.match(text, new RegExp(`^wobserver_node_scrape_error\\{node="rogue-metrics",code="${what === 'not JSON at all' ? 'NODE_BAD_ANSWER' : 'NODE_METRICS_INVALID'}"\\} 1$`, 'm'), `${what}: the reason`);
      assert.doesNotMatch(text, /evil|injected/, `${what}: nothing of the rogue's`);
      if (promtool !== undefined) assert.equal(promtoolProblems(promtool, text), '', `${what}: promtool finds no problem`);
    }
    // The same rogue answering valid metrics is taken, labelled with its node; its own `node` label becomes exported_node.
    writeFileSync(routes, JSON.stringify({ '/api/metrics': { body: JSON.stringify({ families: [{ name: 'proc_marker_total', type: 'counter', help: 'One per node', unit: '', labelNames: ['kind'], series: [{ labels: { kind: 'test' }, value: 5 }] }, { name: 'jobs', type: 'gauge', help: 'Jobs "quoted" \\ back\nslash', unit: '', labelNames: ['node'], series: [{ labels: { node: 'n1' }, value: 2 }] }] }) } }));
    const text = await (await fetch(`${a.url}/metrics?nodes=all`)).text();
    assert.match(text, /^wobserver_node_up\{node="rogue-metrics"\} 1$/m);
    assert.match(text, /^proc_marker_total\{node="rogue-metrics",kind="test"\} 5$/m);
    assert.match(text, /^jobs\{node="rogue-metrics",exported_node="n1"\} 2$/m);
    assert.match(text, /^# HELP jobs Jobs "quoted" \\\\ back\\nslash$/m, 'help escaped');
    assert.doesNotMatch(text, /wobserver_node_scrape_error/);
    if (promtool !== undefined) assert.equal(promtoolProblems(promtool, text), '');
  } finally {
    await stopAll(nodes);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a listed address that does not know the secret shows down with the reason; its answers, signed with another secret or not at all, are refused; a request it captured is refused by the node it was not signed for', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-rogue-'));
  const [pa, pb, pu, pw] = await ports(4);
  const capture = join(dir, 'capture.jsonl');
  const routes = join(dir, 'routes.json');
  writeFileSync(routes, JSON.stringify({ '/api/system': { body: JSON.stringify({ process: { pid: 1 } }) }, '/api/metrics': { body: JSON.stringify({ families: [] }) } }));
  const nodes: FleetNode[] = [];
  const all = [pa, pb, pu, pw].map((p) => `127.0.0.1:${p}`);
  try {
    nodes.push(await startRogue({ name: 'rogue-unsigned', port: pu!, routes, capture }));
    nodes.push(await startRogue({ name: 'rogue-wrong', port: pw!, routes, capture: join(dir, 'capture-wrong.jsonl'), answerSecret: 'another-secret-entirely-123' }));
    nodes.push(await startNode({ name: 'node-a', port: pa!, secret: SECRET, static: all }));
    nodes.push(await startNode({ name: 'node-b', port: pb!, secret: SECRET, static: all }));
    const a = nodes[2]!;
    const b = nodes[3]!;
    const list = await until(() => json(`${a.url}/api/nodes`), (r) => Array.isArray(r.body) && r.body.length === 4 && r.body.find((n: any) => n.name === 'node-b')?.state === 'up', 'the fleet listed');
    const unsigned = list.body.find((n: any) => n.port === pu);
    const wrong = list.body.find((n: any) => n.port === pw);
    assert.equal(unsigned.state, 'down');
    assert.match(unsigned.error, /^NODE_ANSWER_UNSIGNED: /);
    assert.equal(unsigned.name, `127.0.0.1:${pu}`, 'the name it claims is not believed');
    assert.equal(wrong.state, 'down');
    assert.match(wrong.error, /^NODE_ANSWER_INVALID: /);

    // Its answers are errors, not data.
    for (const [n, code] of [[unsigned, 'NODE_ANSWER_UNSIGNED'], [wrong, 'NODE_ANSWER_INVALID']] as const) {
      const r = await json(`${a.url}/api/${encodeURIComponent(n.name)}/system`);
      assert.equal(r.status, 502);
      assert.equal(r.body.error.code, code);
    }
    const scrape = await (await fetch(`${a.url}/metrics?nodes=all`)).text();
    assert.match(scrape, new RegExp(`^wobserver_node_up\\{node="127.0.0.1:${pu}"\\} 0$`, 'm'));
    assert.match(scrape, new RegExp(`^wobserver_node_scrape_error\\{node="127.0.0.1:${pu}",code="NODE_ANSWER_UNSIGNED"\\} 1$`, 'm'));

    // What A sent the rogue: a request signed for the rogue's address, which node-b refuses.
    const captured = readFileSync(capture, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { method: string; url: string; headers: Record<string, string> });
    const stolen = captured.find((c) => c.url === '/api/system');
    assert.ok(stolen !== undefined, 'A forwarded the read to the rogue');
    assert.equal(stolen.headers['x-wobserver-to'], `127.0.0.1:${pu}`);
    const keep = ['x-wobserver-time', 'x-wobserver-nonce', 'x-wobserver-from', 'x-wobserver-to', 'x-wobserver-signature'];
    const replay = await json(`${b.url}/api/system`, { headers: Object.fromEntries(keep.map((h) => [h, stolen.headers[h]!])) });
    assert.equal(replay.status, 421);
    assert.equal(replay.body.error.code, 'NODE_MISDIRECTED');
    assert.doesNotMatch(JSON.stringify(replay.body), /"pid"/);
  } finally {
    await stopAll(nodes);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another node answering text/html with a script is not relayed (502 NODE_BAD_ANSWER), and a node that never answers is 504 NODE_TIMEOUT within nodes.timeoutMs', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-rogue-'));
  const routes = join(dir, 'routes.json');
  writeFileSync(routes, JSON.stringify({
    '/api/system': { type: 'text/html; charset=utf-8', body: '<script>fetch("/api/diagnostics/heap-snapshot",{method:"POST"})</script>' },
    '/api/memory': { hang: true },
    '/api/tables': { body: '[{"name":"t"}]' },
  }));
  const [pa, pr] = await ports(2);
  const nodes: FleetNode[] = [];
  try {
    nodes.push(await startRogue({ name: 'rogue-html', port: pr!, routes, capture: join(dir, 'capture.jsonl'), answerSecret: SECRET }));
    nodes.push(await startNode({ name: 'node-a', port: pa!, secret: SECRET, static: [`127.0.0.1:${pa}`, `127.0.0.1:${pr}`] }));
    const a = nodes[1]!;
    await until(() => json(`${a.url}/api/nodes`), (r) => r.body.find?.((n: any) => n.name === 'rogue-html')?.state === 'up', 'the rogue up');
    const html = await json(`${a.url}/api/rogue-html/system`);
    assert.equal(html.status, 502);
    assert.equal(html.body.error.code, 'NODE_BAD_ANSWER');
    assert.match(html.type ?? '', /^application\/json/);
    assert.doesNotMatch(JSON.stringify(html.body), /<script>/);
    // The WebSocket's path (topics) refuses it too.
    const ws = new TestClient(`${a.url.replace('http', 'ws')}/ws`);
    await ws.opened();
    ws.send({ id: 's', get: 'system', node: 'rogue-html' });
    assert.equal((await ws.next((m) => m.id === 's')).error.code, 'NODE_BAD_ANSWER');
    ws.close();
    const signedJson = await json(`${a.url}/api/rogue-html/tables`);
    assert.deepEqual(signedJson.body, [{ name: 't' }], 'a signed JSON answer is relayed');
    // node-process gives its nodes timeoutMs 2000: the proxied read gives up then, not after a minute.
    const hung = await json(`${a.url}/api/rogue-html/memory`);
    assert.equal(hung.status, 504);
    assert.equal(hung.body.error.code, 'NODE_TIMEOUT');
  } finally {
    await stopAll(nodes);
    rmSync(dir, { recursive: true, force: true });
  }
});
