import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, OPTIONS, loadConfig, startFromConfig, startOptions } from '../../src/config/index.js';

test('options, environment and a config file, in that order of precedence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-config-'));
  try {
    const file = join(dir, 'wobserver.config.json');
    writeFileSync(file, JSON.stringify({ port: 5000, prefix: '/obs', diagnostics: true, nodes: { static: ['10.0.0.1:4001'], secret: 'x'.repeat(20) }, graphite: { address: 'carbon:2003' } }));
    const c = loadConfig({ file, env: { WOBSERVER_PORT: '5001', WOBSERVER_TOKEN: 't0k3n' }, overrides: { port: 5002 } });
    assert.equal(c.port, 5002, 'code wins');
    assert.equal(c['auth.token'], 't0k3n', 'then the environment');
    assert.equal(c.prefix, '/obs', 'then the file');
    assert.deepEqual(c['nodes.static'], ['10.0.0.1:4001']);
    assert.deepEqual(c['graphite.address'], { host: 'carbon', port: 2003 });
    assert.equal(c.diagnostics, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every problem at once, each naming the option, the value and what is allowed; secrets are not shown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-config-'));
  try {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ prot: 1, auth: { metrics: 'maybe' } }));
    const err = (() => {
      try {
        loadConfig({ file, env: { WOBSERVER_PORT: '99999', WOBSERVER_DIAGNOSTICS: 'sure', WOBSERVER_SECRET: 'short', WOBSERVER_GRAPHITE: 'carbon', WOBSERVER_TOKNE: 'x', WOBSERVER_BASIC_USER: 'ops' } });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'INVALID_CONFIG');
    const text = err.problems.join('\n');
    for (const expected of [
      /unknown option "prot" \(did you mean "port"\?\)/,
      /auth\.metrics .* = "maybe": must be one of "protected", "open"/,
      /WOBSERVER_PORT = "99999": must be a port number from 0 to 65535/,
      /WOBSERVER_DIAGNOSTICS = "sure": must be true or false/,
      /nodes\.secret \(WOBSERVER_SECRET\): must be at least 16 characters/,
      /WOBSERVER_GRAPHITE = "carbon": must be host:port/,
      /WOBSERVER_TOKNE: no such setting/,
      /auth\.basic\.username and auth\.basic\.password .*: set both or neither/,
    ]) {
      assert.match(text, expected);
    }
    assert.equal(err.problems.length, 8, text);
    assert.doesNotMatch(err.message, /short/, 'a secret value never appears');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every option has one environment variable, and they are all distinct', () => {
  assert.equal(new Set(OPTIONS.map((o) => o.env)).size, OPTIONS.length);
  assert.ok(OPTIONS.every((o) => /^WOBSERVER_[A-Z_]+$/.test(o.env)));
});

test('startFromConfig starts the server with what the configuration says', async () => {
  const running = await startFromConfig({ env: { WOBSERVER_PORT: '0', WOBSERVER_NODE_NAME: 'configured', WOBSERVER_PREFIX: '/obs' }, file: undefined });
  try {
    assert.match(running.url, /\/obs$/);
    const about = (await (await fetch(`${running.url}/api/about`)).json()) as { node: string; prefix: string };
    assert.deepEqual([about.node, about.prefix], ['configured', '/obs']);
  } finally {
    await running.close();
  }
});

test('the traffic and logs variables become the observer options: off, bounds, sources and the request logger mark ("false" turns one way off)', () => {
  const off = startOptions(loadConfig({ env: { WOBSERVER_TRAFFIC: 'false', WOBSERVER_LOGS: 'false' }, file: undefined }));
  assert.deepEqual([off.observerOptions?.traffic, off.observerOptions?.logs], [{ enabled: false }, false]);
  const on = startOptions(
    loadConfig({
      env: {
        WOBSERVER_TRAFFIC_MAX_ROUTES: '300',
        WOBSERVER_TRAFFIC_WINDOW_MS: '5000',
        WOBSERVER_LOGS_LINES: '500',
        WOBSERVER_LOGS_SOURCES: 'console,pino',
        WOBSERVER_LOGS_MARK_HEADER: 'x-trace-me',
        WOBSERVER_LOGS_MARK_COOKIE: 'false',
      },
      file: undefined,
    }),
  );
  assert.deepEqual(on.observerOptions?.traffic, { maxRoutes: 300, windowMs: 5000 });
  assert.deepEqual(on.observerOptions?.logs, { lines: 500, sources: ['console', 'pino'], mark: { header: 'x-trace-me', cookie: false } });
  assert.equal(startOptions(loadConfig({ env: {}, file: undefined })).observerOptions, undefined, 'nothing set, nothing given');
});

test('docs/configuration.md names every option and its variable', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  for (const o of OPTIONS) {
    assert.ok(doc.includes(`\`${o.path}\``), o.path);
    assert.ok(doc.includes(`\`${o.env}\``), o.env);
  }
});

test('extensions in code: a metric from a function, generators (isolated when they throw), pages, a format, a discovery and a reporter of the user\'s own', async () => {
  let flushed = 0;
  let gen = 0;
  const running = await startFromConfig(
    { env: { WOBSERVER_PORT: '0', WOBSERVER_RUNTIME_METRICS: 'false' } },
    {
      metrics: [{ name: 'queue_depth', type: 'gauge', help: 'Jobs waiting', fn: () => 7 }],
      generators: {
        pools: () => [
          { name: 'pool_size', type: 'gauge', value: 4, labels: { pool: 'db' } },
          { name: 'pool_acquired_total', type: 'counter', value: 10 * ++gen, labels: { pool: 'db' } },
        ],
        broken: () => {
          throw new Error('generator bug');
        },
      },
      pages: [{ title: 'Config page', command: 'config-page', callback: () => ({ ok: 1 }) }],
      formats: { names: { contentType: 'text/plain', render: (s) => s.families.map((f) => `${f.name}\n`) } },
      discovery: { kind: 'mine', discover: async () => [] },
      reporters: [
        () => ({
          start() {},
          async flush() {
            flushed++;
          },
          async stop() {},
          health: () => ({ state: 'connected', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0 }),
        }),
      ],
    },
  );
  try {
    const first = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(first, /^queue_depth 7$/m);
    assert.match(first, /^pool_size\{pool="db"\} 4$/m);
    assert.match(first, /^pool_acquired_total\{pool="db"\} 10$/m);
    assert.match(first, /^wobserver_collect_errors_total\{collector="generator:broken",reason="throw"\} 1$/m, 'the throwing generator is isolated and counted');
    const second = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(second, /^pool_acquired_total\{pool="db"\} 20$/m, 'a counter follows the running total');
    assert.deepEqual(((await (await fetch(`${running.url}/api/pages/config-page`)).json()) as { data: unknown }).data, { ok: 1 });
    assert.match(await (await fetch(`${running.url}/metrics?format=names`)).text(), /^queue_depth$/m);
    assert.equal(running.reporters.length, 1);
    await running.reporters[0]!.flush();
    assert.equal(flushed, 1);
  } finally {
    await running.close();
  }
});

test('maps and the rest: substitutions for name templates, live limits, discovery timing', async () => {
  const c = loadConfig({ env: { WOBSERVER_SUBSTITUTIONS: 'env=prod, team=core', WOBSERVER_MAX_CLIENTS: '5', WOBSERVER_DISCOVERY_TTL_MS: '250' }, file: undefined });
  assert.deepEqual(c['metrics.substitutions'], { env: 'prod', team: 'core' });
  assert.throws(() => loadConfig({ env: { WOBSERVER_SUBSTITUTIONS: 'novalue' } }), /WOBSERVER_SUBSTITUTIONS = "novalue": must be key=value pairs/);
  const running = await startFromConfig({ env: { WOBSERVER_PORT: '0', WOBSERVER_SUBSTITUTIONS: 'env=prod', WOBSERVER_RUNTIME_METRICS: 'false' } });
  try {
    running.registry.counter({ name: 'app_%env%_requests_total', help: 'Requests' }).inc();
    assert.match(await (await fetch(`${running.url}/metrics`)).text(), /^app_prod_requests_total 1$/m);
  } finally {
    await running.close();
  }
});

test('the finer options reach the parts they configure', async () => {
  const running = await startFromConfig({
    env: { WOBSERVER_PORT: '0', WOBSERVER_RUNTIME_METRICS: 'false', WOBSERVER_MAX_SUBSCRIPTIONS: '1', WOBSERVER_LOAD_INTERVAL_MS: '200', WOBSERVER_MAX_BODY_BYTES: '2048' },
  });
  try {
    assert.equal(running.observer.load.interval, 200);
    const big = await fetch(`${running.url}/events/x`, { method: 'POST', headers: { 'x-wobserver-request': '1' }, body: 'x'.repeat(3000) });
    assert.equal(big.status, 413);
  } finally {
    await running.close();
  }
});

test('the StatsD queue bounds come from their variables, and a bound below the minimum is refused', () => {
  const c = loadConfig({ env: { WOBSERVER_STATSD: '127.0.0.1:8125', WOBSERVER_STATSD_MAX_QUEUED: '7', WOBSERVER_STATSD_MAX_AGE_MS: '5000' } });
  assert.equal(c['statsd.maxQueuedPoints'], 7);
  assert.equal(c['statsd.maxQueuedAgeMs'], 5000);
  assert.throws(() => loadConfig({ env: { WOBSERVER_STATSD_MAX_AGE_MS: '10' } }), (e: ConfigError) => e.code === 'INVALID_CONFIG' && e.problems.some((p) => p.includes('WOBSERVER_STATSD_MAX_AGE_MS')));
});
