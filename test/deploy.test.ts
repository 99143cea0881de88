import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../src/metrics/index.js';
import { start } from '../src/server/index.js';
import { freePort } from './helpers/carbon.js';
import { until } from './helpers/until.js';
import { requirePeer } from './helpers/peers.js';

interface Dashboard {
  uid: string;
  panels: { id: number; title: string; gridPos: object; targets: { expr: string; refId: string }[] }[];
  templating: { list: { name: string; query: string }[] };
}

const DASHBOARD = new URL('../deploy/grafana-dashboard.json', import.meta.url);
const PROMETHEUS_YML = new URL('../deploy/prometheus.yml', import.meta.url);
/** Series Prometheus itself records for every target it scrapes. */
const SCRAPE_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
}

test('the Grafana dashboard is importable as it is, and every metric it queries is one wobserver exposes or Prometheus records per target', async () => {
  const dash = dashboard();
  assert.equal(dash.uid, 'wobserver-runtime');
  assert.deepEqual(dash.templating.list.map((v) => v.name), ['datasource', 'job', 'node']);
  assert.equal(new Set(dash.panels.map((p) => p.id)).size, dash.panels.length);
  const registry = createRegistry();
  const snapshot = await registry.collect();
  registry.close();
  const exposed = new Set<string>(SCRAPE_SERIES);
  for (const f of snapshot.families) {
    exposed.add(f.name);
    if (f.type === 'histogram' || f.type === 'timer') for (const s of ['_bucket', '_sum', '_count']) exposed.add(`${f.name}${s}`);
  }
  for (const p of dash.panels) {
    for (const t of p.targets) {
      // A metric name is what stands before `{` (the dashboard selects every series by job and node).
      const names = [...t.expr.matchAll(/\b([a-z_][a-z0-9_]*)\{/g)].map((m) => m[1]!);
      assert.ok(names.length > 0, t.expr);
      for (const n of names) assert.ok(exposed.has(n), `${n} (in "${t.expr}") is exposed`);
    }
  }
});

test('the Prometheus configuration passes promtool check config', (t) => {
  const promtool = requirePeer(t, 'promtool');
  if (promtool === undefined) return;
  const r = spawnSync(promtool, ['check', 'config', '--syntax-only', fileURLToPath(PROMETHEUS_YML)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

/** `text` with `from` replaced by `to`, failing when `from` is not there (the shipped file changed under the test). */
function rewrite(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `deploy/prometheus.yml contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/**
 * A variable's values as Grafana's multi-value "All" renders them into a `=~` matcher:
 * `(a|b)`, each regex-escaped for a PromQL string (Grafana's prometheusRegularEscape).
 */
function allValue(values: readonly string[]): string {
  return `(${values.map((v) => v.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&')).join('|')})`;
}

test('with the shipped Prometheus configuration, scraping the fleet its discovery endpoint lists, every panel of the shipped dashboard shows data for each node', { timeout: 120_000 }, async (t) => {
  const prometheus = requirePeer(t, 'prometheus');
  if (prometheus === undefined) return;
  const secret = 'deploy-test-secret-0123456789';
  const a = await start({ port: 0, nodeName: 'a', registry: createRegistry({ node: 'a' }), nodes: { secret } });
  const b = await start({ port: 0, nodeName: 'b', registry: createRegistry({ node: 'b' }), nodes: { secret, discovery: 'static', static: [new URL(a.url).host], ttlMs: 300 } });
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-deploy-'));
  let child: ReturnType<typeof spawn> | undefined;
  let log = '';
  // Garbage, so that every node has collected it at least once (the GC panel).
  const churn = setInterval(() => void Array.from({ length: 20_000 }, (_, i) => ({ i })), 50);
  try {
    // The shipped file, pointed at node b's service discovery, scraping every second instead of every 15 s.
    let config = await readFile(PROMETHEUS_YML, 'utf8');
    config = rewrite(config, 'url: http://127.0.0.1:4001/api/nodes/prometheus', `url: ${b.url}/api/nodes/prometheus`);
    config = rewrite(config, 'scrape_interval: 15s', 'scrape_interval: 1s\n  scrape_timeout: 1s');
    await writeFile(join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    child = spawn(prometheus, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const api = `http://127.0.0.1:${port}/api/v1`;
    const get = async (path: string): Promise<any> => {
      try {
        const res = await fetch(`${api}${path}`);
        return await res.json();
      } catch {
        return undefined; // not listening yet
      }
    };
    const query = async (expr: string): Promise<{ metric: Record<string, string> }[]> => {
      const r = await get(`/query?query=${encodeURIComponent(expr)}`);
      assert.ok(r === undefined || r.status === 'success', `${expr}: ${JSON.stringify(r)}`);
      return r?.data?.result ?? [];
    };

    // Every node the discovery endpoint lists found by Prometheus, labelled with its name, and scraped a few times.
    const targets = await until(
      () => get('/targets'),
      (r) => r?.data?.activeTargets?.length > 0 && r.data.activeTargets.every((x: { health: string }) => x.health === 'up'),
      `the listed nodes up in Prometheus (log: ${log})`,
      60_000,
    );
    type Target = { labels: { node?: string }; discoveredLabels: { __meta_url: string } };
    const active = targets.data.activeTargets as Target[];
    assert.ok(active.every((x) => x.discoveredLabels.__meta_url === `${b.url}/api/nodes/prometheus`), 'found through the discovery endpoint');
    const listed = active.map((x) => x.labels.node ?? '').sort();
    assert.ok(listed.every((n) => n !== ''), `every target is labelled with its node: ${JSON.stringify(active)}`);
    await until(() => query('count_over_time(up[1m])'), (r) => r.length === listed.length && r.every((s: any) => Number(s.value[1]) >= 5), 'five scrapes of each node', 60_000);

    // The variables, as Grafana resolves them (label_values(metric, label)) and renders "All".
    const dash = dashboard();
    const vars = new Map<string, string>();
    for (const v of dash.templating.list.filter((x) => x.name !== 'datasource')) {
      const m = /^label_values\((.+), *(\w+)\)$/.exec(v.query);
      assert.ok(m, `variable ${v.name}: ${v.query}`);
      const selector = m[1]!.replace(/\$(\w+)/g, (_, n: string) => vars.get(n) ?? `$${n}`);
      const r = await get(`/label/${m[2]}/values?match[]=${encodeURIComponent(selector)}`);
      assert.ok(Array.isArray(r?.data) && r.data.length > 0, `variable ${v.name} has values: ${JSON.stringify(r)}`);
      vars.set(v.name, allValue(r.data as string[]));
    }
    assert.equal(vars.get('node'), allValue(listed));
    // Grafana's $__rate_interval: max($__interval + scrape interval, 4 × scrape interval), with the 1 s scrape interval.
    vars.set('__rate_interval', '4s').set('__interval', '1s').set('__range', '1m');

    const empty: string[] = [];
    for (const p of dash.panels) {
      for (const target of p.targets) {
        const expr = target.expr.replace(/\$(\w+)/g, (_, n: string) => vars.get(n) ?? `$${n}`);
        assert.doesNotMatch(expr, /\$/, `every variable of "${target.expr}" is known`);
        const series = await query(expr);
        if (series.length === 0) empty.push(`${p.title} ${target.refId}: ${expr}`);
        // A panel per node shows both nodes.
        else if (/\{\{node\}\}/.test(JSON.stringify(target))) {
          assert.deepEqual([...new Set(series.map((s) => s.metric.node))].sort(), listed, `${p.title} ${target.refId} shows each node`);
        }
      }
    }
    assert.deepEqual(empty, [], 'every panel query returns at least one series');
  } finally {
    clearInterval(churn);
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(5000)]);
      child.kill('SIGKILL');
    }
    await b.close();
    await a.close();
    await rm(dir, { recursive: true, force: true });
  }
});
