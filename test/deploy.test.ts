import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../src/metrics/index.js';
import { requirePeer } from './peers.js';

test('the Grafana dashboard is importable as it is, and every metric it queries is one wobserver exposes', async () => {
  const dash = JSON.parse(readFileSync(new URL('../deploy/grafana-dashboard.json', import.meta.url), 'utf8')) as {
    uid: string;
    panels: { id: number; gridPos: object; targets: { expr: string; refId: string }[] }[];
    templating: { list: { name: string }[] };
  };
  assert.equal(dash.uid, 'wobserver-runtime');
  assert.deepEqual(dash.templating.list.map((v) => v.name), ['datasource', 'job', 'node']);
  assert.equal(new Set(dash.panels.map((p) => p.id)).size, dash.panels.length);
  const registry = createRegistry();
  const snapshot = await registry.collect();
  registry.close();
  const exposed = new Set<string>(['wobserver_node_up']);
  for (const f of snapshot.families) {
    exposed.add(f.name);
    if (f.type === 'histogram' || f.type === 'timer') for (const s of ['_bucket', '_sum', '_count']) exposed.add(`${f.name}${s}`);
  }
  for (const p of dash.panels) {
    for (const t of p.targets) {
      const names = t.expr.match(/\b(process|nodejs|wobserver)_[a-z0-9_]+/g) ?? [];
      assert.ok(names.length > 0, t.expr);
      for (const n of names) assert.ok(exposed.has(n), `${n} (in "${t.expr}") is exposed`);
    }
  }
});

test('the Prometheus configuration passes promtool check config', (t) => {
  const promtool = requirePeer(t, 'promtool');
  if (promtool === undefined) return;
  const r = spawnSync(promtool, ['check', 'config', '--syntax-only', fileURLToPath(new URL('../deploy/prometheus.yml', import.meta.url))], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
