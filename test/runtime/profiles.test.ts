import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Diagnostics } from '../../src/runtime/diagnostics.js';
import { ProfileRing, countNodes } from '../../src/runtime/profiles/ring.js';
import { WorkerThreads, threadOfWorker } from '../../src/runtime/profiles/threads.js';
import { createRedactor } from '../../src/runtime/redact.js';
import { cpuFunctions, go, heapFunctions, startHotWorker } from '../helpers/hot-worker.js';
import { until } from '../helpers/until.js';

test('threads lists the main thread and live workers by name, never wobserver\'s own nor Node\'s internal ones; worker titles parse to thread ids', async () => {
  const hot = await startHotWorker('hot-worker');
  const own = new Worker('setInterval(() => undefined, 1000)', { eval: true, name: 'wobserver-watchdog' });
  const unnamed = new Worker('setInterval(() => undefined, 1000)', { eval: true });
  await Promise.all([once(own, 'online'), once(unnamed, 'online')]);
  const d = new Diagnostics(createRedactor());
  try {
    const threads = await d.threads();
    assert.deepEqual(threads, [
      { id: 0, name: 'main' },
      { id: hot.threadId, name: 'hot-worker' },
      { id: unnamed.threadId, name: `worker ${unnamed.threadId}` },
    ]);
    await assert.rejects(d.startCpuProfile({ thread: own.threadId }), { code: 'DIAGNOSTICS_THREAD_NOT_FOUND' });
    assert.deepEqual(threadOfWorker({ title: '[worker 12] api pool', url: 'file:///app/pool.js' }), { id: 12, name: 'api pool' });
    assert.equal(threadOfWorker({ title: '[worker 3] wobserver-heap' }), undefined);
    assert.equal(threadOfWorker({ title: '[worker 1]', url: 'node:internal/modules/esm/worker' }), undefined, "the loader's hooks thread (tsx runs this test with one)");
    assert.equal(threadOfWorker({ title: 'main' }), undefined);
  } finally {
    d.close();
    await Promise.all([hot.terminate(), own.terminate(), unnamed.terminate()]);
  }
});

test('a CPU and a heap profile of a worker thread name the functions that run there, and go to the ring', { timeout: 30_000 }, async () => {
  const hot = await startHotWorker('hot-worker');
  const d = new Diagnostics(createRedactor(), { cpuSamplingIntervalUs: 200 });
  try {
    await d.startCpuProfile({ thread: hot.threadId });
    assert.deepEqual(d.state().running?.thread, { id: hot.threadId, name: 'hot-worker' });
    await assert.rejects(d.startCpuProfile(), { code: 'DIAGNOSTICS_BUSY' }, 'one at a time, across threads');
    go(hot);
    await new Promise((r) => setTimeout(r, 300));
    const cpu = await d.stop('cpu-profile', hot.threadId);
    assert.ok(cpuFunctions(JSON.parse(cpu.json)).includes('hotWorkerLoop'), 'the worker\'s hot function is in its profile');
    assert.ok(!cpuFunctions(JSON.parse(cpu.json)).includes('startHotWorker'), 'and not the main thread\'s');
    assert.equal(cpu.entry.kind, 'cpu-profile');
    assert.equal(cpu.entry.trigger, 'manual');
    assert.equal(cpu.entry.nodes, JSON.parse(cpu.json).nodes.length);
    assert.equal(cpu.entry.bytes, Buffer.byteLength(cpu.json));

    await d.startHeapProfile({ thread: hot.threadId, samplingIntervalBytes: 1024 });
    await new Promise((r) => setTimeout(r, 300));
    const heap = await d.stop('heap-profile');
    assert.ok(heapFunctions(JSON.parse(heap.json)).includes('allocWorkerThings'), 'the worker\'s allocating function is in its heap profile');
    assert.deepEqual(d.profiles().map((p) => [p.kind, p.thread.id]), [['heap-profile', hot.threadId], ['cpu-profile', hot.threadId]], 'newest first');
    assert.equal(d.profile(cpu.entry.id)?.json, cpu.json);
  } finally {
    d.close();
    await hot.terminate();
  }
});

test('a worker that exits during its profile frees the lock and says what was lost', { timeout: 30_000 }, async () => {
  const hot = await startHotWorker('short-lived');
  const id = hot.threadId;
  const d = new Diagnostics(createRedactor());
  try {
    await d.startCpuProfile({ thread: id });
    await hot.terminate();
    await until(() => d.state().running, (r) => r === null, 'the profile ends with its thread');
    await assert.rejects(d.stop('cpu-profile'), (e: Error & { code: string }) => e.code === 'DIAGNOSTICS_NOT_RUNNING' && /exited during its cpu-profile/.test(e.message));
    await assert.rejects(d.startCpuProfile({ thread: id }), { code: 'DIAGNOSTICS_THREAD_NOT_FOUND' });
    await d.startCpuProfile();
    await d.stop('cpu-profile');
    assert.equal(d.profiles().length, 1);
  } finally {
    d.close();
  }
});

test('a profile that stops by itself at maxProfileMs goes to the ring and still waits for its stop()', { timeout: 30_000 }, async () => {
  const d = new Diagnostics(createRedactor(), { maxProfileMs: 100 });
  try {
    await d.startHeapProfile();
    await until(() => d.state(), (s) => s.finished !== null, 'stopped by itself');
    const [entry] = d.profiles();
    assert.equal(entry?.kind, 'heap-profile');
    assert.ok((entry?.nodes ?? 0) > 0);
    assert.equal((await d.stop('heap-profile')).entry.id, entry?.id, 'stop() hands out the same profile');
    assert.equal(d.state().finished, null);
  } finally {
    d.close();
  }
});

test('the ring keeps at most its count and its bytes, oldest dropped; a profile larger than the bound alone is not kept', () => {
  const profile = (n: number) => ({ nodes: Array.from({ length: n }, (_, id) => ({ id })), samples: [] });
  const one = Buffer.byteLength(JSON.stringify(profile(10)));
  const ring = new ProfileRing({ entries: 3, bytes: one * 3 });
  const rec = (n: number) => ({ kind: 'cpu-profile' as const, thread: { id: 0, name: 'main' }, startedAt: 0, durationMs: 1, trigger: 'manual' as const, profile: profile(n) });
  const ids = [1, 2, 3, 4].map(() => ring.add(rec(10)).entry.id);
  assert.deepEqual(ring.list().map((e) => e.id), [ids[3], ids[2], ids[1]], 'by count: the oldest went');
  assert.equal(ring.get(ids[0]!), undefined);
  const big = ring.add(rec(20));
  assert.ok(big.entry.bytes > one && big.entry.bytes < 2 * one, 'a profile the size of one to two others');
  assert.equal(big.kept, true);
  assert.ok(ring.bytes <= one * 3, `by bytes: ${ring.bytes} <= ${one * 3}`);
  assert.deepEqual(ring.list().map((e) => e.id), [big.entry.id, ids[3]], 'by bytes: two older ones made room');
  const huge = ring.add(rec(200));
  assert.equal(huge.kept, false);
  assert.equal(ring.get(huge.entry.id), undefined);
  assert.equal(ring.list().length, 2, 'a profile too large for the ring drops nothing');
  assert.equal(new ProfileRing({ entries: 0 }).add(rec(1)).kept, false);
  assert.equal(countNodes('heap-profile', { head: { children: [{ children: [] }, { children: [{ children: [] }] }] } }), 4);
});

test('NodeWorker stays on for lingerMs after the last thread list, sees a worker started meanwhile, and goes off when nobody lists', { timeout: 30_000 }, async () => {
  const threads = new WorkerThreads({ lingerMs: 300 });
  let hot: Worker | undefined;
  try {
    assert.equal(threads.on, false, 'off until asked');
    assert.deepEqual(await threads.list(), [{ id: 0, name: 'main' }]);
    assert.equal(threads.on, true);
    hot = await startHotWorker('late');
    assert.deepEqual((await threads.list()).map((t) => t.name), ['main', 'late'], 'attached while on');
    await until(() => threads.on, (on) => !on, 'off after lingerMs');
    await threads.acquire();
    await sleep(400);
    assert.equal(threads.on, true, 'a holder keeps it on past lingerMs');
    threads.release();
    assert.equal(threads.on, false);
  } finally {
    threads.close();
    await hot?.terminate();
  }
});
