import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Carbon } from '../helpers/carbon.js';
import { startChild } from '../helpers/child.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

test('npm start -- --graphite host:port sends the demo\'s metrics to carbon, and the last interval on SIGTERM', { timeout: 90_000 }, async (t) => {
  const carbon = await Carbon.start(t);
  if (carbon === undefined) return;
  const main = fileURLToPath(new URL('../../src/demo/main.ts', import.meta.url));
  let demo: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    demo = await startChild(process.execPath, ['--import', 'tsx', main, '--graphite', `127.0.0.1:${carbon.port}`], {
      env: { ...process.env, WOBSERVER_PORT: '0', WOBSERVER_PERIOD: '1', WOBSERVER_GRAPHITE_PREFIX: 'demo.%node%' },
      ready: /metrics to carbon/,
      what: 'the demo',
    });
    const { child } = demo;
    const out = (): string => demo!.stdout() + demo!.stderr();
    await sleep(3500);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(child.exitCode, 0, out());
    const whisper = join(carbon.dir, 'whisper');
    let paths: string[] = [];
    const waitStart = Date.now();
    while (Date.now() - waitStart < 20_000) {
      paths = files(whisper).map((f) => relative(whisper, f).replace(/\.wsp$/, '').split('/').join('.'));
      if (paths.some((p) => p.includes('demo_http_requests_total'))) break;
      await sleep(250);
    }
    const requests = paths.filter((p) => /^demo\.[\w-]+\.demo_http_requests_total\.GET\./.test(p));
    assert.ok(requests.length > 0, `request counters under demo.<node>: ${paths.slice(0, 20).join(', ')}`);
    assert.ok(paths.some((p) => /\.nodejs_heap_size_used_bytes$/.test(p)), 'runtime metrics too');
    // The interval open at SIGTERM was closed early and sent: a point at most a second before the stop.
    const heap = paths.find((p) => p.endsWith('.nodejs_heap_size_used_bytes'))!;
    const now = Math.floor(Date.now() / 1000);
    const stored = await carbon.waitFor(heap, now - 60, now + 1, (p) => [...p.keys()].some((ts) => ts >= Math.floor(stoppedAt / 1000) - 1));
    assert.ok([...stored.keys()].some((ts) => ts >= Math.floor(stoppedAt / 1000) - 1), `last interval stored: ${[...stored.keys()].join(', ')} (stopped at ${Math.floor(stoppedAt / 1000)})`);
    assert.ok(stored.size >= 3, 'one point per second while it ran');
  } finally {
    demo?.kill();
    await carbon.close();
  }
});
