import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { start } from '../../src/server/index.js';
import { freePort } from '../helpers/carbon.js';
import { startChild } from '../helpers/child.js';

// The built command, as `npm install` puts it on the PATH (npm test builds first).
const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('help, usage errors and exit codes', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  for (const c of ['demo', 'attach', 'metrics', 'nodes']) assert.match(help.stdout, new RegExp(`^  ${c}`, 'm'));
  assert.equal(run([]).status, 2);
  const unknown = run(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  for (const c of ['demo', 'attach', 'metrics', 'nodes']) {
    const r = run([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, new RegExp(`usage: wobserver ${c}`));
  }
  assert.equal(run(['metrics']).status, 2);
  assert.equal(run(['metrics', 'not-a-url']).status, 2);
  assert.equal(run(['attach', 'abc']).status, 2);
});

/** The same, without blocking this process (whose server the command talks to). */
function runAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d));
    c.stderr.on('data', (d: Buffer) => (stderr += d));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('metrics and nodes print a wobserver\'s scrape and its nodes; a server that is not there is exit 1', async () => {
  const s = await start({ port: 0, nodeName: 'cli-node', auth: { token: 'cli-token' } });
  try {
    const text = await runAsync(['metrics', s.url, '--token', 'cli-token']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^# TYPE process_cpu_user_seconds_total counter$/m);
    const om = await runAsync(['metrics', `${s.url}/metrics`, '--openmetrics'], { WOBSERVER_TOKEN: 'cli-token' });
    assert.match(om.stdout, /# EOF\n$/);
    const denied = await runAsync(['metrics', s.url]);
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /401 UNAUTHORIZED/);
    const nodes = await runAsync(['nodes', s.url, '--token', 'cli-token']);
    assert.equal(nodes.status, 0);
    assert.match(nodes.stdout, /^node\s+state\s+address$/m);
    assert.match(nodes.stdout, new RegExp(`^cli-node \\*\\s+up\\s+127\\.0\\.0\\.1:${new URL(s.url).port}$`, 'm'), 'the local node with the address it listens on');
    assert.equal(JSON.parse((await runAsync(['nodes', s.url, '--token', 'cli-token', '--json'])).stdout)[0].name, 'cli-node');
  } finally {
    await s.close();
  }
  const gone = await runAsync(['metrics', `http://127.0.0.1:${await freePort()}`]);
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /cannot reach .*ECONNREFUSED/);
});

test('attach loads wobserver into a running process started without it, and closes the inspector again', { timeout: 60_000 }, async () => {
  const started = await startChild(process.execPath, [fileURLToPath(new URL('../fixtures/app-esm.mjs', import.meta.url))], { ready: /"app"/, what: 'the target application' });
  const app = started.child;
  try {
    const errOut = started.stderr;
    const port = await freePort();
    const r = await runAsync(['attach', String(app.pid), '--port', String(port)], { WOBSERVER_NODE_NAME: 'attached' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `http://127.0.0.1:${port}`, `${r.stderr}\n${errOut()}`);
    const about = (await (await fetch(`http://127.0.0.1:${port}/api/about`).catch((e: Error & { cause?: Error }) => {
      throw new Error(`${e.cause?.message}; the app: exit ${app.exitCode}, signal ${app.signalCode}; it said: ${errOut()}`);
    })).json()) as { pid: number; node: string };
    assert.deepEqual([about.pid, about.node], [app.pid, 'attached']);
    const system = (await (await fetch(`http://127.0.0.1:${port}/api/system`)).json()) as { process: { argv: string[] } };
    assert.ok(system.process.argv.some((a) => a.endsWith('app-esm.mjs')), "the target's own pages");
    await assert.rejects(fetch('http://127.0.0.1:9229/json/list'), 'the inspector port is closed again');
    await sleep(300);
    assert.equal(app.exitCode ?? app.signalCode, null, 'the target lives on');
    const appPort = (JSON.parse(started.stdout().split('\n')[0]!) as { app: number }).app;
    assert.equal(await (await fetch(`http://127.0.0.1:${appPort}/`)).text(), 'the esm app', 'the application runs on');
  } finally {
    app.kill('SIGKILL');
  }
  const missing = run(['attach', '999999']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no process 999999/);
});

test('demo starts the demo service', { timeout: 60_000 }, async () => {
  const demo = await startChild(process.execPath, [CLI, 'demo'], { env: { ...process.env, WOBSERVER_PORT: '0' }, ready: /wobserver on http:\/\/127\.0\.0\.1:\d+/, what: 'the demo' });
  demo.child.kill('SIGTERM');
});
