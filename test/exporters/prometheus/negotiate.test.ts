import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiateFormat } from '../../../src/exporters/prometheus/index.js';

test("Prometheus's own Accept header gets OpenMetrics", () => {
  assert.equal(
    negotiateFormat(
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    ),
    'openmetrics',
  );
  assert.equal(negotiateFormat('application/openmetrics-text'), 'openmetrics');
  assert.equal(negotiateFormat('Application/OpenMetrics-Text; Version="1.0.0"'), 'openmetrics');
});

test('no header, */*, text/plain, unknown versions and garbage get the text format', () => {
  for (const accept of [undefined, '', '*/*', 'text/plain', 'text/plain;version=0.0.4', 'application/json', ';;;,,,=', 'application/openmetrics-text;version=2.0.0']) {
    assert.equal(negotiateFormat(accept), 'text', String(accept));
  }
});

test('q-values decide between the two', () => {
  assert.equal(negotiateFormat('text/plain;q=0.9,application/openmetrics-text;q=0.5'), 'text');
  assert.equal(negotiateFormat('text/plain;q=0.5,application/openmetrics-text;q=0.9'), 'openmetrics');
  assert.equal(negotiateFormat('application/openmetrics-text;q=0'), 'text');
  assert.equal(negotiateFormat('application/openmetrics-text;q=abc'), 'text');
});
