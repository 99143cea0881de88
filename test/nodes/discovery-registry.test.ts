import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OPTIONS } from '../../src/config/options.js';
import { CONFIGURABLE_DISCOVERY, DISCOVERY_METHODS, DISCOVERY_NAMES, isDiscoveryName } from '../../src/nodes/index.js';
import { createRegistry } from '../../src/metrics/index.js';
import { Fleet } from '../../src/server/fleet.js';

const SETTINGS = { static: ['127.0.0.1:1'], dns: { name: 'localhost', port: 1 }, custom: () => ['127.0.0.1:2'] };

test('every registered method makes a discovery of its own kind', () => {
  assert.deepEqual(DISCOVERY_NAMES, ['none', 'static', 'dns', 'custom', 'cluster']);
  for (const name of DISCOVERY_NAMES) {
    const d = DISCOVERY_METHODS[name].create(SETTINGS);
    assert.equal(typeof d, 'object', name);
    assert.equal((d as { kind: string }).kind, name);
    assert.equal(typeof (d as { discover: unknown }).discover, 'function');
  }
  assert.ok(isDiscoveryName('dns') && !isDiscoveryName('toString') && !isDiscoveryName('consul'));
});

test('a method without the options it needs names them, and the fleet refuses it with that message', () => {
  const registry = createRegistry({ runtimeMetrics: false });
  try {
    for (const [name, needs] of [['dns', /nodes\.dns/], ['custom', /nodes\.custom/]] as const) {
      assert.match(String(DISCOVERY_METHODS[name].create({})), needs);
      assert.throws(() => new Fleet({ discovery: name }, registry, 'n', ''), { code: 'INVALID_OPTION', message: needs });
    }
    // The list in the message is the registry's: cluster included.
    assert.throws(() => new Fleet({ discovery: 'consul' as 'none' }, registry, 'n', ''), {
      code: 'INVALID_OPTION',
      message: /must be none, static, dns, custom, cluster or a Discovery, got "consul"/,
    });
  } finally {
    registry.close();
  }
});

test('the configuration allows the methods that can be written in a file, and the docs list every method', () => {
  assert.deepEqual(CONFIGURABLE_DISCOVERY, ['none', 'static', 'dns', 'cluster'], 'custom is a function: code only');
  const spec = OPTIONS.find((o) => o.path === 'nodes.discovery')!;
  assert.deepEqual(typeof spec.type === 'object' ? spec.type.oneOf : undefined, CONFIGURABLE_DISCOVERY);
  const configuration = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const row = configuration.split('\n').find((l) => l.startsWith('| `nodes.discovery`'))!;
  assert.deepEqual([...row.split('|')[3]!.matchAll(/`([a-z]+)`/g)].map((m) => m[1]), CONFIGURABLE_DISCOVERY, row);
  const nodes = readFileSync(new URL('../../docs/nodes.md', import.meta.url), 'utf8');
  const table = nodes.slice(nodes.indexOf('| method |'), nodes.indexOf('| your own |'));
  assert.deepEqual([...new Set([...table.matchAll(/^\| `([a-z]+)`/gm)].map((m) => m[1]))], DISCOVERY_NAMES, 'docs/nodes.md lists the methods in the registry order');
});
