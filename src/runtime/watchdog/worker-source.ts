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
let session = null;
let nextId = 1;
let stopped = false;
let capturing = false;
const captures = [];
const threads = new Map();
const mainBeats = new Float64Array(cfg.main);
const send = (m) => { try { parentPort.postMessage(m); } catch {} };

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
  const w = { key, thread, beats, target, timer: null, open: null };
  threads.set(key, w);
  schedule(w);
  return w;
}

function schedule(w) {
  if (stopped || !threads.has(w.key)) return;
  // While blocked, look for the end often at first, then less (a thread stuck for minutes costs a wake a second);
  // the duration does not depend on it: the thread's own first late beat says how late it was.
  const due = w.open !== null ? Math.min(1000, Math.max(10, (now() - w.open.startedAt) / 10)) : Math.max(5, w.beats[0] + cfg.periodMs + cfg.thresholdMs - now());
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
      const end = { beat: w.beats[4] || beat, late: w.beats[3] || w.beats[1] };
      if (b.capturing) b.ended = end;
      else finish(w, b, end.beat, end.late);
    }
  } else if (beat > 0 && t - beat - cfg.periodMs > cfg.thresholdMs) {
    const startedAt = beat + cfg.periodMs;
    const b = { beat, startedAt, capturing: false, result: null, ended: null };
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
        if (b.ended !== null) finish(w, b, b.ended.beat, b.ended.late);
      });
    }
  }
  schedule(w);
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
    const expr = '(() => { const g = (globalThis.__wobserverBeats ??= {}); const P = ' + cfg.periodMs + '; let sab = g[P];' +
      ' if (sab === undefined) { sab = g[P] = new SharedArrayBuffer(40); const a = new Float64Array(sab);' +
      ' const t = () => performance.timeOrigin + performance.now(); let prev = t(); a[0] = prev;' +
      ' const i = setInterval(() => { const n = t(); const l = Math.max(0, n - prev - P); a[1] = l; if (l >= a[3]) { a[3] = l; a[4] = n; } a[0] = n; prev = n; }, P); i.unref(); }' +
      ' const c = new BroadcastChannel(' + JSON.stringify(cfg.channel) + '); c.postMessage({ nonce: ' + JSON.stringify(nonce) + ', sab }); c.close(); return "ok"; })()';
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
  watch('main', { id: 0, name: 'main' }, mainBeats, cfg.stacks ? target : null);
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
  if (m === 'stop') {
    stopped = true;
    for (const w of threads.values()) clearTimeout(w.timer);
    try { session?.disconnect(); } catch {}
    parentPort.close();
  }
});
start();
`;
