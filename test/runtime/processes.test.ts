import dc from 'node:diagnostics_channel';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ProcessTracker, type RequestDetail } from '../../src/runtime/processes.js';
import { createRedactor } from '../../src/runtime/redact.js';
import { SocketTracker } from '../../src/runtime/sockets.js';
import { untilTrue } from '../helpers/until.js';

test('the Processes page lists the main thread, worker threads and child processes with figures from the OS', async () => {
  const tracker = new ProcessTracker(createRedactor());
  tracker.start();
  const worker = new Worker('setInterval(() => {}, 1000)', { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)', '--', '--token=abc'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => worker.once('online', resolve));
    await sleep(100);
    const p = tracker.list();
    assert.equal(p.main.pid, process.pid);
    assert.ok(p.main.rss > 0);
    const w = p.workers.find((x) => x.threadId === worker.threadId);
    assert.ok(w, JSON.stringify(p.workers));
    assert.equal(w.online, true);
    assert.equal(w.resourceLimits.maxOldGenerationSizeMb, 64);
    assert.ok(w.eventLoopUtilization !== null && w.eventLoopUtilization >= 0 && w.eventLoopUtilization <= 1);
    const c = p.children.find((x) => x.pid === child.pid);
    assert.ok(c, JSON.stringify(p.children));
    assert.equal(c.running, true);
    assert.ok(c.command.includes('--token=[redacted]'), JSON.stringify(c.command));
    if (process.platform === 'linux') {
      assert.match(c.state ?? '', /^[RSD]$/);
      assert.ok((c.rss ?? 0) > 0);
      assert.ok((c.cpuSeconds ?? -1) >= 0);
    }
    const d = tracker.detail(c.id);
    assert.ok(d !== undefined && 'status' in d && d.status !== null && d.status.Pid === String(child.pid));
    const wd = tracker.detail(w.id);
    assert.ok(wd !== undefined && 'note' in wd);
    assert.equal(tracker.detail('nope'), undefined);
    assert.doesNotThrow(() => JSON.stringify(p));
    child.kill();
    await new Promise((resolve) => child.once('exit', resolve));
    const after = tracker.list().children.find((x) => x.pid === child.pid);
    assert.equal(after?.running, false);
    assert.equal(after?.signal, 'SIGTERM');
  } finally {
    child.kill();
    await worker.terminate();
    tracker.stop();
  }
  assert.equal(tracker.list().workers.length, 0, 'a worker that exited leaves the list');
});

/** A process tracker on a socket tracker, both started; `stop()` stops both. */
function trackers(): { tracker: ProcessTracker; stop: () => void } {
  const sockets = new SocketTracker();
  sockets.start();
  const tracker = new ProcessTracker(createRedactor(), sockets);
  tracker.start();
  return {
    tracker,
    stop: () => {
      tracker.stop();
      sockets.stop();
    },
  };
}

test('HTTP requests in flight are listed with method, redacted URL, age and bytes, and leave when answered', async () => {
  const { tracker, stop } = trackers();
  const unwatch = tracker.watchRequests();
  let release: () => void = () => undefined;
  const server = createServer((req, res) => {
    req.resume();
    release = () => res.end('done');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const answered = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/upload?name=x&token=secret', headers: { authorization: 'Bearer xyz', 'x-trace': 'abc' } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end('a'.repeat(1000));
    });
    await sleep(100);
    const rows = tracker.list().requests;
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const r = rows[0]!;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/upload?name=x&token=[redacted]');
    assert.ok(r.ageMs >= 50);
    assert.equal(r.ageExact, true, 'watched: its start was stamped');
    assert.ok(r.bytesRead >= 1000, String(r.bytesRead));
    assert.equal(r.remoteAddress, '127.0.0.1');
    const d = tracker.detail(r.id);
    assert.ok(d !== undefined && 'headers' in d);
    assert.equal(d.headers.authorization, '[redacted]');
    assert.equal(d.headers['x-trace'], 'abc');
    assert.ok(!JSON.stringify(d).includes('xyz') && !JSON.stringify(d).includes('secret'));
    release();
    await answered;
    await sleep(20);
    assert.equal(tracker.list().requests.length, 0);
  } finally {
    unwatch();
    server.closeAllConnections();
    server.close();
    stop();
  }
});

test('nothing is done per request unless watched; a request found unwatched counts its age from when it was seen', async () => {
  const { tracker, stop } = trackers();
  const channel = dc.channel('http.server.request.start');
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    assert.equal(channel.hasSubscribers, false, 'no per-request work without a watcher');
    const unwatch = tracker.watchRequests();
    const again = tracker.watchRequests();
    assert.equal(channel.hasSubscribers, true);
    unwatch();
    unwatch();
    assert.equal(channel.hasSubscribers, true, 'reference-counted: one release per watcher');
    again();
    assert.equal(channel.hasSubscribers, false);
    const req = request({ host: '127.0.0.1', port, path: '/stuck' });
    req.on('error', () => undefined);
    req.end();
    await sleep(100);
    const [first] = tracker.list().requests;
    assert.equal(first?.url, '/stuck');
    assert.equal(first?.ageExact, false);
    await sleep(60);
    const [later] = tracker.list().requests;
    assert.equal(later?.id, first?.id, 'the same request keeps its id');
    assert.ok(later!.ageMs >= 50);
    req.destroy();
  } finally {
    server.closeAllConnections();
    server.close();
    stop();
  }
});

test('cluster workers are listed from the primary', { timeout: 30_000 }, async () => {
  const cluster = (await import('node:cluster')).default;
  const tracker = new ProcessTracker(createRedactor());
  // The worker runs a plain script: none of the test runner's flags.
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./fixtures/cluster-worker.cjs', import.meta.url)), execArgv: [], silent: true });
  const worker = cluster.fork();
  try {
    await new Promise((resolve) => worker.once('online', resolve));
    const rows = tracker.list().clusterWorkers;
    const row = rows.find((w) => w.workerId === worker.id);
    assert.ok(row, JSON.stringify(rows));
    assert.equal(row.pid, worker.process.pid);
    assert.equal(row.state, 'online');
    assert.deepEqual(tracker.detail(row.id), row);
  } finally {
    worker.send('bye');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  assert.equal(tracker.list().clusterWorkers.length, 0);
});

/** The detail of a request, failing when there is none (or it is not a request's). */
function requestDetail(tracker: ProcessTracker, id: string): RequestDetail {
  const d = tracker.detail(id);
  assert.ok(d !== undefined && d.kind === 'request', `${id}: ${JSON.stringify(d)}`);
  return d as RequestDetail;
}

test('a request whose detail was read keeps its last state once it ends, marked finished or aborted, instead of vanishing', async () => {
  const { tracker, stop } = trackers();
  const unwatch = tracker.watchRequests();
  const held: import('node:http').ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const send = (path: string) => {
    const req = request({ host: '127.0.0.1', port, path });
    const done = new Promise<number>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(-1));
    });
    req.end();
    return { req, done };
  };
  try {
    const slow = send('/slow');
    const dropped = send('/dropped');
    const ignored = send('/ignored');
    await untilTrue(() => tracker.list().requests.length === 3, 'three requests in flight');
    const ids = Object.fromEntries(tracker.list().requests.map((r) => [r.url, r.id]));
    const before = requestDetail(tracker, ids['/slow']!);
    assert.equal(before.state, 'in flight');
    assert.equal(before.endedAgoMs, null);
    tracker.detail(ids['/dropped']!);
    const res = held.find((r) => r.req.url === '/slow')!;
    res.statusCode = 201;
    res.end('done');
    assert.equal(await slow.done, 201);
    dropped.req.destroy();
    await untilTrue(() => tracker.list().requests.length === 1, 'two requests ended');
    await sleep(30);
    const after = requestDetail(tracker, ids['/slow']!);
    assert.equal(after.state, 'finished');
    assert.equal(after.statusCode, 201);
    assert.equal(after.url, '/slow');
    assert.ok(after.endedAgoMs !== null && after.endedAgoMs >= 20, String(after.endedAgoMs));
    await sleep(30);
    const later = requestDetail(tracker, ids['/slow']!);
    assert.equal(later.ageMs, after.ageMs, 'its age stops at its duration');
    assert.ok(later.endedAgoMs! > after.endedAgoMs!, 'and the time since it ended goes on');
    assert.equal(requestDetail(tracker, ids['/dropped']!).state, 'aborted', 'the client hung up before the answer');
    held.find((r) => r.req.url === '/ignored')!.end();
    await ignored.done;
    await untilTrue(() => tracker.list().requests.length === 0, 'every request ended');
    assert.equal(tracker.detail(ids['/ignored']!), undefined, 'a request nobody opened is not kept');
  } finally {
    unwatch();
    server.closeAllConnections();
    server.close();
    stop();
  }
});
