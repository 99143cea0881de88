// The watchdog thread's code. It is plain JavaScript in a string, started with
// `eval: true` and no execArgv: the thread must start the same from the sources
// (tests, run through tsx) and from dist/, without the host's loaders or flags.
// What it sends the main thread is typed in ./messages.ts.

/**
 * Runs in the watchdog thread. `workerData`: `{ main: SharedArrayBuffer,
 * thresholdMs, periodMs, stacks, workers, frames, capturesPerMinute, channel }`.
 * Heartbeats are `Float64Array(5)`: [0] when the loop last turned (ms since
 * the epoch), [1] how late that turn was (ms), [3] the largest lateness since
 * the watchdog cleared it and [4] when that turn was; the main thread's has [2]:
 * 1 once the inspector was opened (a debugger may attach: no more pauses).
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData, threadId } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const cfg = workerData;
const now = () => performance.timeOrigin + performance.now();
const POST_TIMEOUT_MS = 2000;
const PAUSE_TIMEOUT_MS = 1000;
const MAX_SCRIPTS = 50000;
// While the main thread's heartbeat rests: how often to look at it, and how long a turning loop may take to answer.
const REST_LOOK_MS = 1000;
const ANSWER_MS = 20;
let session = null;
let nextId = 1;
let stopped = false;
let capturing = false;
const captures = [];
const threads = new Map();
const mainBeats = new Float64Array(cfg.main);
const send = (m) => { try { parentPort.postMessage(m); } catch {} };

// The kernel's view of the main thread (Linux): /proc/self/task/<pid>/syscall says which system call it waits in, if any;
// idle is epoll_wait on its own loop's epoll descriptor (learned: the first seen three times; execSync waits on another);
// the wait's timeout says when a timer of its own wakes it. schedstat's first field is its CPU time in ns.
// Read by pread on descriptors kept open: a few microseconds, and nothing stops or wakes the main thread.
function openProbe() {
  if (process.platform !== 'linux') return null;
  const epoll = process.arch === 'x64' ? { 232: 3, 281: 3, 441: -1 } : process.arch === 'arm64' ? { 22: 3, 441: -1 } : null;
  if (epoll === null) return null;
  let fs, fd, sfd;
  try {
    fs = require('node:fs');
    fd = fs.openSync('/proc/self/task/' + process.pid + '/syscall', 'r');
    sfd = fs.openSync('/proc/self/task/' + process.pid + '/schedstat', 'r');
  } catch {
    return null;
  }
  const buf = Buffer.alloc(256);
  const seen = new Map();
  let loopFd = -1;
  const read = (f) => buf.latin1Slice(0, fs.readSync(f, buf, 0, 256, 0));
  const p = {
    state() {
      let text;
      try { text = read(fd); } catch { return null; }
      const parts = text.trim().split(' ');
      const nr = Number(parts[0]);
      const at = Object.hasOwn(epoll, nr) ? epoll[nr] : undefined;
      if (at === undefined) return { idle: false, timeoutMs: -1, text };
      const epfd = parseInt(parts[1], 16);
      if (loopFd < 0 && seen.size < 64) {
        const n = (seen.get(epfd) ?? 0) + 1;
        seen.set(epfd, n);
        if (n >= 3) loopFd = epfd;
      }
      // An int in a 64-bit register: its low 32 bits, signed (-1: no timer).
      const timeoutMs = at < 0 || parts[1 + at] === undefined ? -1 : parseInt(parts[1 + at].slice(-8), 16) | 0;
      return { idle: loopFd < 0 || epfd === loopFd, timeoutMs, text };
    },
    ranMs() {
      try { return Number(read(sfd).split(' ')[0]) / 1e6; } catch { return 0; }
    },
    // How long ago the main thread went to sleep: its scheduler clock (se.exec_start, last updated when it stopped
    // running) against this thread's, which runs now. Null without /proc/<tid>/sched (kernels without SCHED_DEBUG).
    sleptMs() {
      if (schedFd === null) return null;
      try {
        const main = execStart(read(schedFd));
        const self = execStart(fs.readFileSync('/proc/thread-self/sched', 'latin1'));
        return main === null || self === null ? null : Math.max(0, self - main);
      } catch { return null; }
    },
  };
  let schedFd = null;
  try { schedFd = fs.openSync('/proc/self/task/' + process.pid + '/sched', 'r'); } catch {}
  const execStart = (text) => { const m = /se\.exec_start\s*:\s*([0-9.]+)/.exec(text); return m ? Number(m[1]) : null; };
  return p.state() === null ? null : p;
}
const probe = openProbe();

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, reject) => { t = setTimeout(() => reject(new Error(what + ' timed out')), ms); })]).finally(() => clearTimeout(t));
}

// A debuggee: the main thread through the session, or a worker thread through NodeWorker.
function mainTarget() {
  const listeners = new Set();
  const t = {
    post: (method, params) => withTimeout(new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res)))), POST_TIMEOUT_MS, method),
    on: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    scripts: new Map(),
  };
  session.on('inspectorNotification', (m) => { for (const fn of listeners) fn(m.method, m.params); });
  return t;
}

function workerTarget(sessionId) {
  const pending = new Map();
  const listeners = new Set();
  const t = {
    post(method, params) {
      const id = nextId++;
      const p = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params: params ?? {} }) }, (err) => {
        if (err) { pending.get(id)?.reject(err); pending.delete(id); }
      });
      return withTimeout(p, POST_TIMEOUT_MS, method).finally(() => pending.delete(id));
    },
    on: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    receive(raw) {
      let m;
      try { m = JSON.parse(raw); } catch { return; }
      if (m.id !== undefined) {
        const p = pending.get(m.id);
        if (p) (m.error ? p.reject(new Error(m.error.message)) : p.resolve(m.result));
      } else if (m.method) {
        for (const fn of listeners) fn(m.method, m.params);
      }
    },
    scripts: new Map(),
  };
  return t;
}

function allowed() {
  const t = now();
  while (captures.length > 0 && captures[0] <= t - 60000) captures.shift();
  return captures.length < cfg.capturesPerMinute;
}

// Always listening: script urls (they arrive as scriptParsed on each enable), and a pause of ours resumed at once.
function listen(target) {
  target.pendingPause = false;
  target.onPaused = null;
  target.on((method, params) => {
    if (method === 'Debugger.scriptParsed') {
      if (params.url && target.scripts.size < MAX_SCRIPTS) target.scripts.set(params.scriptId, params.url);
    } else if (method === 'Debugger.paused' && target.pendingPause) {
      target.pendingPause = false;
      send({ t: 'paused' });
      // Resume first: the frames are already in hand.
      target.post('Debugger.resume').then(() => send({ t: 'resumed' }), (err) => send({ t: 'resumed', failed: String(err && err.message) }));
      target.onPaused?.(params);
    }
  });
  return target;
}

// Debugger.enable, pause, frames, resume at once, disable (which also drops a pause still pending).
async function capture(target, beatAtDetection, beats) {
  let paused = null;
  const arrived = new Promise((resolve) => { target.onPaused = (p) => { paused = p; resolve(); }; });
  try {
    await target.post('Debugger.enable', { maxScriptsCacheSize: 0 });
    target.pendingPause = true;
    await target.post('Debugger.pause');
    await withTimeout(arrived, PAUSE_TIMEOUT_MS, 'Debugger.paused');
    if (beats[0] !== beatAtDetection) return { reason: 'too-short' };
    const frames = [];
    for (const f of paused.callFrames.slice(0, cfg.frames)) {
      const loc = f.location;
      frames.push({ functionName: f.functionName, url: target.scripts.get(loc.scriptId) || f.url || '', line: loc.lineNumber + 1, column: (loc.columnNumber ?? 0) + 1 });
    }
    return { frames, capturedAt: now() };
  } catch (err) {
    return { reason: paused === null && beats[0] !== beatAtDetection ? 'too-short' : 'failed', note: String((err && err.message) || err) };
  } finally {
    target.onPaused = null;
    target.post('Debugger.disable').then(() => { target.pendingPause = false; }, () => {});
  }
}

function watch(key, thread, beats, target) {
  const w = { key, thread, beats, target, timer: null, open: null, rest: null };
  threads.set(key, w);
  schedule(w);
  return w;
}

function schedule(w, dueMs) {
  if (stopped || !threads.has(w.key)) return;
  clearTimeout(w.timer);
  // While blocked, look for the end often at first, then less (a thread stuck for minutes costs a wake a second);
  // the duration does not depend on it: the thread's own first late beat says how late it was.
  const due = dueMs ?? (w.open !== null ? Math.min(1000, Math.max(10, (now() - w.open.startedAt) / 10)) : Math.max(5, w.beats[0] + cfg.periodMs + cfg.thresholdMs - now()));
  w.timer = setTimeout(() => check(w), due);
}

function check(w) {
  const t = now();
  const beat = w.beats[0];
  if (w.open !== null) {
    if (beat !== w.open.beat) {
      const b = w.open;
      w.open = null;
      // The block's own turn: the latest late one since it began (the watchdog cleared [3] then).
      const endBeat = w.beats[4] || beat;
      let late = w.beats[3] || w.beats[1];
      // Opened while the heartbeat rested: the thread's active time since it last looked may hold more than the block.
      if (b.restedSince !== undefined) late = Math.min(late, endBeat - b.restedSince);
      const end = { beat: endBeat, late };
      if (b.capturing) b.ended = end;
      else settle(w, b, end);
    }
  } else if (w.rest !== null && w.beats[5] === 0) {
    return lookAtRested(w, t);
  } else if (beat > 0 && t - beat - cfg.periodMs > cfg.thresholdMs) {
    open(w, beat, beat + cfg.periodMs, undefined);
  }
  if (w.rest !== null && w.beats[5] === 1) w.rest.seen = null;
  schedule(w);
}

// A block is open: tell the main thread, and capture unless something says not to.
function open(w, beat, startedAt, restedSince) {
  const t = now();
  const b = { beat, startedAt, capturing: false, result: null, ended: null, restedSince };
  w.beats[3] = 0;
  w.open = b;
  send({ t: 'open', key: w.key, thread: w.thread, startedAt });
  let reason = null;
  if (!cfg.stacks || w.target === null) reason = cfg.noStack ?? 'stacks-off';
  else if (mainBeats[2] === 1) reason = 'inspector-in-use';
  else if (capturing) reason = 'capture-in-flight';
  else if (!allowed()) reason = 'rate-limited';
  if (reason !== null) b.result = { reason };
  else {
    capturing = true;
    b.capturing = true;
    captures.push(t);
    capture(w.target, beat, w.beats).then((r) => {
      capturing = false;
      b.capturing = false;
      b.result = r;
      if (b.ended !== null) settle(w, b, b.ended);
    });
  }
}

// While the main thread's heartbeat rests, the kernel says whether it waits in its loop's epoll (idle) or not.
function lookAtRested(w, t) {
  const r = w.rest;
  const st = probe.state();
  if (st === null) {
    // The kernel's view is gone: the main thread beats again and for good.
    w.rest = null;
    send({ t: 'arm', stay: true });
    return schedule(w, cfg.periodMs);
  }
  if (r.seen === null) r.seen = { idleAt: w.beats[0], ran: probe.ranMs(), askedAt: null, text: '' };
  const seen = r.seen;
  if (st.idle) {
    seen.idleAt = t;
    // Still in the same wait as at the last look (same arguments, timeout included): it has not run since.
    const same = st.text === seen.text;
    if (!same) {
      seen.ran = probe.ranMs();
      seen.text = st.text;
      seen.firesAt = undefined;
    }
    seen.askedAt = null;
    // A timer of its own will wake it sooner than the next look: look just after it fires (the wait's timeout
    // counts from when it began: how long it has slept says when that was).
    if (st.timeoutMs < 0) return schedule(w, REST_LOOK_MS);
    // The same arguments may be a new wait all the same (a timer every N ms waits N ms each time): once the fire
    // it predicted has passed, the wait is a new one.
    if (seen.firesAt === undefined || seen.firesAt + cfg.periodMs <= t) {
      seen.firesAt = t - (st.timeoutMs > REST_LOOK_MS * 60 ? 0 : probe.sleptMs() ?? 0) + st.timeoutMs;
      if (seen.firesAt + cfg.periodMs <= t) seen.firesAt = t + st.timeoutMs;
    }
    return schedule(w, Math.min(REST_LOOK_MS, Math.max(5, seen.firesAt + cfg.periodMs - t)));
  }
  // Busy: ask it to beat again; a turning loop answers within milliseconds, a blocked one cannot.
  if (seen.askedAt === null) {
    seen.askedAt = t;
    send({ t: 'arm' });
    return schedule(w, ANSWER_MS);
  }
  // Not answered: blocked since the ask at least, since it was last seen idle at most; on the CPU, for as long as it
  // ran since (a sleep in the kernel, execSync or Atomics.wait, runs for nothing: the ask is all there is).
  const ran = probe.ranMs() - seen.ran;
  const age = Math.max(t - seen.askedAt, Math.min(t - seen.idleAt, ran));
  const since = t - age;
  if (t - seen.askedAt >= ANSWER_MS && age > cfg.thresholdMs) {
    open(w, w.beats[0], since, seen.idleAt);
    return schedule(w);
  }
  return schedule(w, Math.max(5, Math.min(cfg.periodMs, since + cfg.thresholdMs + 1 - t)));
}

// An ended block goes to the main thread; one opened while resting that proved shorter than the threshold is not a block.
function settle(w, b, end) {
  if (b.restedSince !== undefined && end.late < cfg.thresholdMs) send({ t: 'cancel', key: w.key });
  else finish(w, b, end.beat, end.late);
}

function finish(w, b, endBeat, late) {
  // How late the first turn after the block was: the thread measures it itself.
  const durationMs = Math.max(late, 0);
  const r = b.result ?? { reason: 'failed', note: 'no result' };
  send({
    t: 'block', key: w.key, thread: w.thread, startedAt: endBeat - durationMs, durationMs,
    frames: r.frames ?? null, captureMs: r.frames ? Math.max(0, r.capturedAt - (endBeat - durationMs)) : null,
    noStack: r.frames ? null : r.reason, note: r.note,
  });
}

// Worker threads: a heartbeat injected into each (no cooperation needed), posted back on a BroadcastChannel.
function watchWorkers() {
  const bc = new BroadcastChannel(cfg.channel);
  const waiting = new Map();
  bc.onmessage = (e) => { const w = waiting.get(e.data && e.data.nonce); if (w) { waiting.delete(e.data.nonce); w(e.data.sab); } };
  bc.unref?.();
  const targets = new Map();
  session.on('NodeWorker.attachedToWorker', ({ params }) => {
    const m = /^\[worker (\d+)\](?: (.*))?$/.exec(params.workerInfo.title ?? '');
    const id = m ? Number(m[1]) : -1;
    if (id === threadId || id < 0) {
      session.post('NodeWorker.detach', { sessionId: params.sessionId }, () => {});
      return;
    }
    const target = listen(workerTarget(params.sessionId));
    targets.set(params.sessionId, target);
    const nonce = Math.random().toString(36).slice(2) + String(nextId++);
    const got = new Promise((resolve) => waiting.set(nonce, resolve));
    // One heartbeat per period in a worker, shared by every watchdog of the process that uses that period.
    // Runtime.evaluate runs in an interrupt, wherever the worker's JavaScript is: during its bootstrap
    // (MessagePort.oninit, setupPortReferencing) a timer made there broke the worker's timer and port
    // bookkeeping, and the worker exited with code 0 and its own setInterval still set. So the evaluate
    // only queues a microtask, which runs once the code it interrupted is done.
    const expr = 'void Promise.resolve().then(() => { const g = (globalThis.__wobserverBeats ??= {}); const P = ' + cfg.periodMs + '; let sab = g[P];' +
      ' if (sab === undefined) { sab = g[P] = new SharedArrayBuffer(40); const a = new Float64Array(sab);' +
      ' const t = () => performance.timeOrigin + performance.now(); let prev = t(); a[0] = prev;' +
      ' const i = setInterval(() => { const n = t(); const l = Math.max(0, n - prev - P); a[1] = l; if (l >= a[3]) { a[3] = l; a[4] = n; } a[0] = n; prev = n; }, P); i.unref(); }' +
      ' const c = new BroadcastChannel(' + JSON.stringify(cfg.channel) + '); c.postMessage({ nonce: ' + JSON.stringify(nonce) + ', sab }); c.close(); })';
    target.post('Runtime.evaluate', { expression: expr, returnByValue: true })
      .then(() => withTimeout(got, POST_TIMEOUT_MS, 'heartbeat'))
      .then((sab) => {
        if (!targets.has(params.sessionId)) return;
        watch(params.sessionId, { id, name: m[2] || 'worker ' + id }, new Float64Array(sab), target);
        send({ t: 'thread', key: params.sessionId, thread: { id, name: m[2] || 'worker ' + id } });
      })
      .catch((err) => { waiting.delete(nonce); send({ t: 'warn', message: 'worker ' + id + ' not watched: ' + (err && err.message) }); });
  });
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => targets.get(params.sessionId)?.receive(params.message));
  session.on('NodeWorker.detachedFromWorker', ({ params }) => {
    targets.delete(params.sessionId);
    const w = threads.get(params.sessionId);
    if (w) { clearTimeout(w.timer); threads.delete(params.sessionId); send({ t: 'gone', key: params.sessionId }); }
  });
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, (err) => { if (err) send({ t: 'warn', message: 'worker threads not watched: ' + err.message }); });
}

function start() {
  let target = null;
  if (cfg.stacks || cfg.workers) {
    try {
      const { Session } = require('node:inspector');
      session = new Session();
      session.connectToMainThread();
      target = listen(mainTarget());
    } catch (err) {
      session = null;
      cfg.noStack = 'inspector-in-use';
      send({ t: 'state', capture: 'durations', why: 'the inspector session could not connect: ' + (err && err.message) });
    }
  }
  const main = watch('main', { id: 0, name: 'main' }, mainBeats, cfg.stacks ? target : null);
  if (probe !== null) {
    main.rest = { seen: null };
    send({ t: 'rest' });
  }
  if (session !== null && cfg.workers) watchWorkers();
  if (session !== null && cfg.stacks) {
    // Proves the debugger answers before saying stacks will be taken; a block meanwhile is not captured (its disable would race).
    capturing = true;
    target.post('Debugger.enable', { maxScriptsCacheSize: 0 }).then(() => target.post('Debugger.disable')).then(
      () => { capturing = false; send({ t: 'state', capture: 'stacks', why: null }); },
      (err) => { capturing = false; cfg.noStack = 'inspector-in-use'; threads.get('main').target = null; send({ t: 'state', capture: 'durations', why: 'the debugger could not be enabled: ' + (err && err.message) }); },
    );
  } else if (session !== null || !cfg.stacks) {
    send({ t: 'state', capture: 'durations', why: cfg.why ?? null });
  }
}

parentPort.on('message', (m) => {
  if (m && m.t === 'armed') {
    // The main thread beats again by itself (a request, activity): look at its beats from now.
    const w = threads.get('main');
    if (w !== undefined && w.open === null) schedule(w);
  } else if (m === 'stop') {
    stopped = true;
    for (const w of threads.values()) clearTimeout(w.timer);
    try { session?.disconnect(); } catch {}
    parentPort.close();
  }
});
start();
`;
