import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { expandTemplate } from '../../src/metrics/index.js';
import { manualRegistry } from './helpers.js';

test('expandTemplate replaces %key% literally, never as a pattern, and leaves unknown keys', () => {
  assert.equal(expandTemplate('%a%.%b%.%a%', { a: 'x', b: 'y' }), 'x.y.x');
  assert.equal(expandTemplate('%a%', { a: '$&$1$$' }), '$&$1$$');
  assert.equal(expandTemplate('%a%.%b%', { a: '%b%', b: 'y' }), '%b%.y', 'replaced text is not scanned again');
  assert.equal(expandTemplate('%unknown%.x', { a: 'y' }), '%unknown%.x');
  assert.equal(expandTemplate('no.tokens', { a: 'y' }), 'no.tokens');
  assert.equal(expandTemplate('%toString%', {}), '%toString%', 'inherited properties are not substitutions');
  assert.equal(expandTemplate('%a.b%', { 'a.b': 'z' }), '%a.b%', 'keys are [A-Za-z0-9_]');
});

test('metric names expand %node%, %host%, %pid% and user substitutions', () => {
  const { registry } = manualRegistry({ node: 'web-1.example.com:4001', substitutions: { local: 'eu', global: 'all' } });
  try {
    registry.updateGauge('%local%.%node%.erlang.memory', 1);
    registry.updateGauge('%global%.%host%.%pid%.x', 1);
    const names = registry.metrics().map((m) => m.name);
    assert.deepEqual(names, ['eu.web_1_example_com_4001.erlang.memory', `all.${hostname().replace(/[^a-zA-Z0-9_]/g, '_')}.${process.pid}.x`]);
    // The raw name finds the same metric and the same records.
    assert.equal(registry.metric('%local%.%node%.erlang.memory')?.name, names[0]);
    registry.updateGauge('%local%.%node%.erlang.memory', 2);
    assert.equal(registry.metrics().length, 2);
  } finally {
    registry.close();
  }
});

test('the default node name is unique per process: host and pid', () => {
  const { registry } = manualRegistry();
  try {
    assert.equal(registry.node, `${hostname()}:${process.pid}`);
  } finally {
    registry.close();
  }
});

test('a substitution that makes an invalid name fails with INVALID_METRIC_NAME', () => {
  const { registry } = manualRegistry({ substitutions: { env: 'pro d' } });
  try {
    assert.throws(() => registry.updateCounter('%env%.x', 1), { code: 'INVALID_METRIC_NAME' });
  } finally {
    registry.close();
  }
});
