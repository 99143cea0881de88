import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCluster } from '../helpers/cluster.js';
import { cpuFunctions } from '../helpers/hot-worker.js';
import { json } from '../helpers/http.js';
import { until } from '../helpers/until.js';

const MARK = { 'x-wobserver-request': '1' };

test('through the primary, a cluster worker lists its threads, profiles one by ?thread= over IPC, and answers the kept profile; bad threads are refused there', { timeout: 90_000 }, async () => {
  const { url, workers, stop } = await startCluster({ hotThread: true });
  const node = `${url}/api/worker-1`;
  try {
    const info = await until(() => json(`${node}/diagnostics`), (r) => r.status === 200 && r.body.threads.length === 2, 'worker-1 with its thread');
    const hot = info.body.threads.find((t: { name: string }) => t.name === 'hot-worker');
    assert.ok(hot !== undefined && hot.id > 0, JSON.stringify(info.body.threads));
    for (const [path, status, code] of [
      ['cpu-profile/start?thread=nope', 400, 'BAD_PARAMETER'],
      ['cpu-profile/start?thread=424242', 404, 'DIAGNOSTICS_THREAD_NOT_FOUND'],
    ] as const) {
      const r = await json(`${node}/diagnostics/${path}`, { method: 'POST', headers: MARK });
      assert.deepEqual([r.status, r.body.error.code], [status, code], path);
    }
    const wrong = await json(`${node}/diagnostics/cpu-profile/start`, { headers: MARK });
    assert.equal(wrong.status, 405, 'an action is a POST, through the primary too');

    const started = await json(`${node}/diagnostics/cpu-profile/start?thread=${hot.id}`, { method: 'POST', headers: MARK });
    assert.equal(started.status, 202);
    assert.deepEqual(started.body.running.thread, { id: hot.id, name: 'hot-worker' });
    assert.equal((await json(`${node}/pages/go`)).body.data.threadId, hot.id);
    await new Promise((r) => setTimeout(r, 400));
    const stopped = await fetch(`${node}/diagnostics/cpu-profile/stop?thread=${hot.id}`, { method: 'POST', headers: MARK });
    assert.equal(stopped.status, 200);
    assert.match(stopped.headers.get('content-disposition') ?? '', /\.cpuprofile"/);
    const text = await stopped.text();
    assert.ok(cpuFunctions(JSON.parse(text)).includes('hotWorkerLoop'), 'the thread of the cluster worker was profiled');

    const [entry] = (await json(`${node}/diagnostics`)).body.profiles;
    assert.deepEqual(entry.thread, { id: hot.id, name: 'hot-worker' });
    const kept = await fetch(`${node}/diagnostics/profiles/${entry.id}`);
    assert.equal(kept.status, 200);
    assert.equal(await kept.text(), text, 'the worker\'s ring, over IPC');
    assert.equal((await json(`${node}/diagnostics/profiles/${entry.id}`, { method: 'POST', headers: MARK })).status, 405);
    assert.equal((await json(`${url}/api/worker-2/diagnostics/profiles/${entry.id}`)).body.error.code, 'NOT_FOUND', 'each worker has its own ring');
    assert.equal((await json(`${url}/api/diagnostics`)).body.profiles.length, 0, 'and the primary its own');
    assert.ok(workers.size === 2);
  } finally {
    await stop();
  }
});
