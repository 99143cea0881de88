import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConfigError, graphiteOptionsFromEnv, loadConfig } from '../../src/config/index.js';

test('Graphite options from the environment; a bad value names the variable and what is allowed', () => {
  assert.equal(graphiteOptionsFromEnv({}), undefined);
  assert.deepEqual(graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: 'carbon:2003', WOBSERVER_GRAPHITE_PREFIX: 'a.%node%', WOBSERVER_GRAPHITE_LABELS: 'tags', WOBSERVER_PERIOD: '5' }), {
    host: 'carbon',
    port: 2003,
    prefix: 'a.%node%',
    labels: 'tags',
    period: 5,
  });
  assert.deepEqual(graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: '[::1]:2003' }), { host: '::1', port: 2003 });
  assert.throws(() => graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: 'carbon' }), { code: 'INVALID_CONFIG', message: /WOBSERVER_GRAPHITE = "carbon": must be host:port/ });
  assert.throws(() => graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: ':2003', WOBSERVER_GRAPHITE_LABELS: 'path' }), { message: /WOBSERVER_GRAPHITE_LABELS = "path": must be one of "segments", "tags"/ });
  assert.throws(() => graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: ':2003', WOBSERVER_PERIOD: '0.5' }), { message: /WOBSERVER_PERIOD = "0.5": must be a whole number >= 1/ });
});

test('Graphite options from the environment are those of loadConfig: every problem at once, the same words', () => {
  const env = { WOBSERVER_GRAPHITE: 'carbon', WOBSERVER_GRAPHITE_LABELS: 'path', WOBSERVER_GRAPHITE_RETRY_MIN_MS: '1' };
  const problems = (f: () => unknown): string[] => {
    try {
      f();
    } catch (e) {
      return (e as ConfigError).problems;
    }
    return [];
  };
  const fromEnv = problems(() => graphiteOptionsFromEnv(env));
  assert.equal(fromEnv.length, 3);
  const loaded = problems(() => loadConfig({ env, file: '/nonexistent/none.json' }));
  for (const p of fromEnv) assert.ok(loaded.includes(p), `loadConfig says it the same way: ${p}`);
});

test('Graphite options from the environment take every WOBSERVER_GRAPHITE_* option, as startFromConfig does', () => {
  assert.deepEqual(graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: ':2003', WOBSERVER_GRAPHITE_RETRY_MAX_MS: '5000', WOBSERVER_GRAPHITE_SEND_TIMEOUT_MS: '200' }), {
    host: '127.0.0.1',
    port: 2003,
    retryMaxMs: 5000,
    sendTimeoutMs: 200,
  });
  assert.equal(graphiteOptionsFromEnv({ WOBSERVER_GRAPHITE: '' }), undefined);
});
