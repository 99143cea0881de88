import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFromConfig } from '../../src/config/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { createWobserver, start } from '../../src/server/index.js';
import { cpuFunctions, go, startHotWorker } from '../helpers/hot-worker.js';
import { json } from '../helpers/http.js';
import { until } from '../helpers/until.js';

const MARK = { 'x-wobserver-request': '1' };

/** POSTs a diagnostics action under `base` (`…/api` or `…/api/<node>`). */
function action(base: string, path: string, headers: Record<string, string> = MARK): Promise<Response> {
  return fetch(`${base}/diagnostics/${path}`, { method: 'POST', headers });
}

test('a worker thread is profiled by ?thread=, the profile is downloaded and kept: the topic lists it, GET answers it, and it is 404 once dropped', { timeout: 60_000 }, async () => {
  const hot = await startHotWorker('hot-worker');
  const s = await start({ port: 0, diagnostics: { enabled: true, profileRing: 2, cpuSamplingIntervalUs: 200 } });
  const api = `${s.url}/api`;
  try {
    const before = (await json(`${api}/diagnostics`)).body;
    assert.deepEqual(before.threads, [{ id: 0, name: 'main' }, { id: hot.threadId, name: 'hot-worker' }]);
    assert.deepEqual([before.profiles, before.profileRing, before.triggers], [[], 2, { elu: null, block: null, minIntervalMs: 60_000 }]);

    const started = await action(api, `cpu-profile/start?thread=${hot.threadId}`);
    assert.equal(started.status, 202);
    assert.deepEqual(((await started.json()) as any).running.thread, { id: hot.threadId, name: 'hot-worker' });
    assert.deepEqual((await json(`${api}/diagnostics`)).body.running.thread.id, hot.threadId);
    go(hot);
    await new Promise((r) => setTimeout(r, 300));
    const stopped = await action(api, `cpu-profile/stop?thread=${hot.threadId}`);
    assert.equal(stopped.status, 200);
    assert.match(stopped.headers.get('content-disposition') ?? '', /attachment; filename="cpu-.*\.cpuprofile"/);
    const text = await stopped.text();
    assert.ok(cpuFunctions(JSON.parse(text)).includes('hotWorkerLoop'));

    const [entry] = (await json(`${api}/diagnostics`)).body.profiles;
    assert.deepEqual([entry.kind, entry.thread, entry.trigger, entry.bytes], ['cpu-profile', { id: hot.threadId, name: 'hot-worker' }, 'manual', Buffer.byteLength(text)]);
    const kept = await fetch(`${api}/diagnostics/profiles/${entry.id}`);
    assert.equal(kept.status, 200);
    assert.equal(kept.headers.get('content-type'), 'application/json');
    assert.equal(await kept.text(), text, 'the ring answers the very profile that was downloaded');

    for (const kind of ['heap-profile', 'cpu-profile']) {
      assert.equal((await action(api, `${kind}/start`)).status, 202);
      assert.equal((await action(api, `${kind}/stop`)).status, 200);
    }
    const after = (await json(`${api}/diagnostics`)).body.profiles;
    assert.deepEqual(after.map((p: any) => [p.kind, p.thread.id]), [['cpu-profile', 0], ['heap-profile', 0]], 'newest first, at most profileRing');
    const gone = await json(`${api}/diagnostics/profiles/${entry.id}`);
    assert.deepEqual([gone.status, gone.body.error.code], [404, 'NOT_FOUND']);
  } finally {
    await s.close();
    await hot.terminate();
  }
});

test('?thread= is checked (400 BAD_PARAMETER, 404 DIAGNOSTICS_THREAD_NOT_FOUND), each route takes its method, and a refusal leaves the next profile free to start', { timeout: 60_000 }, async () => {
  const s = await start({ port: 0, diagnostics: true });
  const api = `${s.url}/api`;
  try {
    const cases: [string, string, number, string][] = [
      ['POST', 'cpu-profile/start?thread=abc', 400, 'BAD_PARAMETER'],
      ['POST', 'cpu-profile/start?thread=-1', 400, 'BAD_PARAMETER'],
      ['POST', 'heap-profile/start?thread=1.5', 400, 'BAD_PARAMETER'],
      ['POST', 'cpu-profile/start?thread=', 400, 'BAD_PARAMETER'],
      ['POST', 'cpu-profile/start?thread=99999999999', 400, 'BAD_PARAMETER'],
      ['POST', 'cpu-profile/start?thread=987654', 404, 'DIAGNOSTICS_THREAD_NOT_FOUND'],
      ['POST', 'cpu-profile/stop?thread=abc', 400, 'BAD_PARAMETER'],
      ['POST', 'cpu-profile/stop', 404, 'DIAGNOSTICS_NOT_RUNNING'],
      ['GET', 'cpu-profile/start', 405, 'METHOD_NOT_ALLOWED'],
      ['POST', 'profiles/abc', 405, 'METHOD_NOT_ALLOWED'],
      ['GET', 'profiles/nothing-here', 404, 'NOT_FOUND'],
      ['GET', 'profiles/..%2F..%2Fetc', 404, 'NOT_FOUND'],
      ['POST', 'cpu-profile/start/more', 404, 'NOT_FOUND'],
    ];
    for (const [method, path, status, code] of cases) {
      const r = await json(`${api}/diagnostics/${path}`, { method, headers: MARK });
      assert.deepEqual([r.status, r.body.error?.code], [status, code], `${method} ${path}`);
    }
    assert.equal((await action(api, 'cpu-profile/start?thread=0')).status, 202, 'thread 0 is the main thread');
    const busy = await json(`${api}/diagnostics/heap-profile/start`, { method: 'POST', headers: MARK });
    assert.equal(busy.body.error.code, 'DIAGNOSTICS_BUSY');
    const other = await json(`${api}/diagnostics/cpu-profile/stop?thread=5`, { method: 'POST', headers: MARK });
    assert.deepEqual([other.status, other.body.error.code], [404, 'DIAGNOSTICS_NOT_RUNNING'], 'stopping another thread than the profiled one');
    const cross = await json(`${api}/diagnostics/cpu-profile/stop`, { method: 'POST', headers: { ...MARK, origin: 'http://evil.example' } });
    assert.deepEqual([cross.status, cross.body.error.code], [403, 'CROSS_SITE'], 'the POSTs keep the same-origin guard');
    assert.equal((await action(api, 'cpu-profile/stop?thread=0')).status, 200);
  } finally {
    await s.close();
  }
});

test('with diagnostics off a kept profile is 403 and no worker is listed; the ring options are refused beside an observer of the application\'s own', async () => {
  const hot = await startHotWorker('hot-worker');
  const s = await start({ port: 0 });
  try {
    const r = await json(`${s.url}/api/diagnostics/profiles/x-1`);
    assert.deepEqual([r.status, r.body.error.code], [403, 'DIAGNOSTICS_DISABLED']);
    assert.deepEqual((await json(`${s.url}/api/diagnostics`)).body.threads, [{ id: 0, name: 'main' }]);
  } finally {
    await s.close();
    await hot.terminate();
  }
  const observer = createObserver();
  try {
    assert.throws(() => createWobserver({ observer, diagnostics: { enabled: true, profileRing: 3 } }), { code: 'INVALID_OPTION', message: /diagnostics\.profileRing .*createObserver\(\{ diagnostics \}\)/ });
  } finally {
    observer.close();
  }
});

test('through another node over HTTP, ?thread= survives the proxy and a kept profile is read back', { timeout: 60_000 }, async () => {
  const secret = 'profiles-test-secret-0123456789';
  const hot = await startHotWorker('hot-worker');
  const a = await start({ port: 0, nodeName: 'a', diagnostics: true, nodes: { secret } });
  const b = await start({ port: 0, nodeName: 'b', nodes: { secret, discovery: 'static', static: [new URL(a.url).host], ttlMs: 300 } });
  const via = `${b.url}/api/a`;
  try {
    await until(() => json(`${b.url}/api/nodes`), (r) => r.body.some((n: any) => n.name === 'a' && n.state === 'up'), 'node a up');
    const listed = (await json(`${via}/diagnostics`)).body;
    assert.ok(listed.threads?.some((t: any) => t.id === hot.threadId), JSON.stringify(listed));
    const bad = await json(`${via}/diagnostics/cpu-profile/start?thread=x`, { method: 'POST', headers: MARK });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'BAD_PARAMETER']);
    const started = await action(via, `cpu-profile/start?thread=${hot.threadId}`);
    assert.equal(started.status, 202);
    assert.equal(((await started.json()) as any).running.thread.id, hot.threadId, 'the query reached node a');
    go(hot);
    await new Promise((r) => setTimeout(r, 300));
    const text = await (await action(via, `cpu-profile/stop?thread=${hot.threadId}`)).text();
    assert.ok(cpuFunctions(JSON.parse(text)).includes('hotWorkerLoop'));
    const [entry] = (await json(`${via}/diagnostics`)).body.profiles;
    const kept = await fetch(`${via}/diagnostics/profiles/${entry.id}`);
    assert.equal(kept.status, 200);
    assert.equal(await kept.text(), text);
    assert.equal((await json(`${via}/diagnostics/profiles/none-1`)).body.error.code, 'NOT_FOUND');
  } finally {
    await b.close();
    await a.close();
    await hot.terminate();
  }
});

test('the ring and the triggers are configured from the environment like every other option', async () => {
  const running = await startFromConfig({
    env: {
      WOBSERVER_PORT: '0',
      WOBSERVER_DIAGNOSTICS: 'true',
      WOBSERVER_PROFILE_RING: '4',
      WOBSERVER_TRIGGER_ELU_PERCENT: '85',
      WOBSERVER_TRIGGER_ELU_FOR_MS: '10000',
      WOBSERVER_TRIGGER_BLOCK: 'true',
      WOBSERVER_TRIGGER_PROFILE_MS: '3000',
      WOBSERVER_TRIGGER_MIN_INTERVAL_MS: '120000',
    },
    file: undefined,
  });
  try {
    const d = (await json(`${running.url}/api/diagnostics`)).body;
    assert.equal(d.profileRing, 4);
    assert.deepEqual(d.triggers, { elu: { threshold: 0.85, forMs: 10_000, profileMs: 3000 }, block: { profileMs: 3000 }, minIntervalMs: 120_000 });
  } finally {
    await running.close();
  }
  await assert.rejects(startFromConfig({ env: { WOBSERVER_PORT: '0', WOBSERVER_TRIGGER_ELU_PERCENT: '150' }, file: undefined }), { code: 'DIAGNOSTICS_INVALID', message: /triggers\.elu\.threshold/ });
});
