import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_FORMATS, DEFAULT_FORMAT, type MetricsFormat } from '../../src/exporters/format.js';
import { createRegistry, type RegistrySnapshot } from '../../src/metrics/index.js';
import { start } from '../../src/server/index.js';

/** A user's format, registered like the built-in ones. */
const names: MetricsFormat = { contentType: 'application/json', render: (s) => [JSON.stringify(s.families.map((f) => f.name))] };

const FORMATS: [string, MetricsFormat][] = [...Object.entries(BUILT_IN_FORMATS), ['names', names]];

async function snapshots(): Promise<RegistrySnapshot[]> {
  const empty = createRegistry({ runtimeMetrics: false });
  const full = createRegistry({ runtimeMetrics: false });
  full.counter({ name: 'hits_total', help: 'Hits', labelNames: ['route'] }).inc({ route: '/a "b"\n' }, 2);
  full.histogram({ name: 'lat_seconds', help: 'Latency', buckets: [0.1, 1] }).observe(0.5);
  full.gauge({ name: 'temp', help: 'Temperature' }).set(Number.NaN);
  try {
    return [await empty.collect(), await full.collect()];
  } finally {
    empty.close();
    full.close();
  }
}

for (const [name, format] of FORMATS) {
  test(`format ${name}: a pure function of the snapshot, with a content type, served at /metrics?format=${name}`, async () => {
    for (const snap of await snapshots()) {
      const once = [...format.render(snap)].join('');
      assert.equal([...format.render(snap)].join(''), once, 'the same snapshot renders the same bytes');
      assert.ok(typeof format.contentType === 'string' && format.contentType.length > 0);
      const variant = format.choose?.(undefined) ?? format;
      assert.ok(variant.contentType.length > 0);
    }
    const registry = createRegistry({ runtimeMetrics: false });
    registry.counter({ name: 'hits_total', help: 'Hits' }).inc(3);
    const s = await start({ port: 0, registry, assets: false, formats: { names } });
    try {
      const res = await fetch(`${s.url}/metrics?format=${name}`, { headers: { 'accept-encoding': 'identity' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), (format.choose?.(undefined) ?? format).contentType);
      assert.match(await res.text(), /hits_total/);
    } finally {
      await s.close();
      registry.close();
    }
  });
}

test('the default format answers /metrics without ?format, and an unknown one lists every registered name', async () => {
  assert.equal(DEFAULT_FORMAT, 'prometheus');
  const registry = createRegistry({ runtimeMetrics: false });
  const s = await start({ port: 0, registry, assets: false, formats: { names } });
  try {
    const plain = await fetch(`${s.url}/metrics`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-type'), BUILT_IN_FORMATS.prometheus.contentType);
    const unknown = await fetch(`${s.url}/metrics?format=influx`);
    assert.equal(unknown.status, 400);
    assert.deepEqual(await unknown.json(), { error: { code: 'UNKNOWN_FORMAT', message: 'No metrics format "influx"; available: prometheus, json, names' } });
    assert.throws(() => s.wobserver.addFormat('prometheus', names), { code: 'INVALID_OPTION', message: /not "prometheus"/ });
  } finally {
    await s.close();
    registry.close();
  }
});
