import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../../src/exporters/prometheus/text.js';
import { createRegistry } from '../../../src/metrics/index.js';
import type { BlockEvent } from '../../../src/protocol/index.js';
import { createObserver, createRedactor } from '../../../src/runtime/index.js';
import { EventLoopWatchdog, resolveEventLoopOptions } from '../../../src/runtime/watchdog/index.js';
import { createWobserver } from '../../../src/server/index.js';

function spinHere(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

test('onBlock hears each finished block on the main thread, a throwing listener does not stop the others, and the block is in the metrics', { timeout: 30_000 }, async () => {
  const registry = createRegistry();
  const observer = createObserver({ eventLoop: { workers: false } });
  const w = createWobserver({ registry, observer, assets: false });
  try {
    await observer.eventLoop.ready();
    const heard: BlockEvent[] = [];
    observer.eventLoop.onBlock(() => {
      throw new Error('a listener of its own');
    });
    // Starting up may itself block the loop (a block without the function): the spin's block is the one.
    const spun = (e: BlockEvent): boolean => e.stack?.some((f) => f.functionName === 'spinHere') === true;
    const got = new Promise<void>((resolve) => observer.eventLoop.onBlock((e) => (heard.push(e), spun(e) && resolve())));
    // The watchdog's thread is unref'd: the test keeps its own loop alive while it waits.
    const keep = setInterval(() => undefined, 1000);
    spinHere(1000);
    await got;
    clearInterval(keep);
    const e = heard.find(spun)!;
    assert.equal(e.thread.id, 0);
    assert.ok(e.durationMs !== null && e.durationMs >= 900, String(e.durationMs));
    const n = heard.length;
    const text = renderText(registry.snapshot());
    assert.match(text, new RegExp(`^nodejs_eventloop_blocks_total\\{thread="main"\\} ${n}$`, 'm'));
    assert.match(text, new RegExp(`^nodejs_eventloop_block_duration_seconds_count\\{thread="main"\\} ${n}$`, 'm'));
    // The 1 s block is above the 0.5 s bucket: that bucket holds the others only.
    const below = heard.filter((x) => (x.durationMs ?? 0) <= 500).length;
    assert.match(text, new RegExp(`^nodejs_eventloop_block_duration_seconds_bucket\\{thread="main",le="0.5"\\} ${below}$`, 'm'));
    const info = (await w.read('eventloop')) as { totals: { blocks: number } };
    assert.equal(info.totals.blocks, n);
  } finally {
    w.close();
    observer.close();
  }
  assert.equal(registry.metric('nodejs_eventloop_blocks_total'), undefined, 'the server\'s close unregistered them');
  const bare = createRegistry({ runtimeMetrics: false });
  const w2 = createWobserver({ registry: bare, observer: createObserver({ eventLoop: { enabled: false } }), assets: false });
  assert.equal(bare.metric('nodejs_eventloop_blocks_total'), undefined, 'no nodejs_* metrics on a registry without runtime metrics');
  w2.close();
  w2.observer.close();
  bare.close();
  assert.equal(observer.eventLoop.info().enabled, false, 'close() stopped the watchdog');
  registry.close();
});

test('eventLoop options: defaults, and a bad value names the option', () => {
  assert.deepEqual(resolveEventLoopOptions(), { enabled: true, thresholdMs: 200, stacks: true, events: 100, capturesPerMinute: 10, workers: true });
  assert.throws(() => resolveEventLoopOptions({ thresholdMs: 5 }), /eventLoop\.thresholdMs must be an integer from 10/);
  assert.throws(() => resolveEventLoopOptions({ stacks: 'yes' as never }), /eventLoop\.stacks must be a boolean/);
  const off = new EventLoopWatchdog(createRedactor(), { enabled: false });
  assert.equal(off.info().enabled, false);
  assert.match(off.info().why ?? '', /enabled: false/);
  off.close();
});

test('secrets in a stack\'s URLs are redacted', async () => {
  const { finishFrames } = await import('../../../src/runtime/watchdog/frames.js');
  const [f] = finishFrames([{ functionName: 'f', url: 'https://u:hunter2@example.com/app.js?token=abc', line: 1, column: 1 }], createRedactor(), false);
  assert.ok(!f!.url.includes('hunter2') && !f!.url.includes('abc'), f!.url);
  const throwing = { ...createRedactor(), url: () => { throw new Error('no'); } };
  assert.equal(finishFrames([{ functionName: 'f', url: 'x', line: 1, column: 1 }], throwing, false)[0]!.url, '[redacted]', 'fails closed');
});

test('the configuration passes eventLoop options to the observer (file paths and WOBSERVER_EVENT_LOOP_* variables)', async () => {
  const { startFromConfig } = await import('../../../src/config/index.js');
  const running = await startFromConfig({
    env: { WOBSERVER_PORT: '0', WOBSERVER_RUNTIME_METRICS: 'false', WOBSERVER_EVENT_LOOP_THRESHOLD_MS: '150', WOBSERVER_EVENT_LOOP_WORKERS: 'false' },
  });
  try {
    assert.equal(running.observer.eventLoop.options.thresholdMs, 150);
    assert.equal(running.observer.eventLoop.options.workers, false);
    assert.equal(running.observer.eventLoop.options.capturesPerMinute, 10);
  } finally {
    await running.close();
  }
});

test('a real block, seen by the watchdog, starts the block trigger\'s CPU profile, kept in the ring as trigger "block"', { timeout: 30_000 }, async () => {
  const observer = createObserver({ eventLoop: { workers: false }, diagnostics: { triggers: { block: { profileMs: 300 } } } });
  const keep = setInterval(() => undefined, 1000);
  try {
    await observer.eventLoop.ready();
    const spun = new Promise<void>((resolve) => observer.eventLoop.onBlock((e) => e.stack?.some((f) => f.functionName === 'spinHere') && resolve()));
    spinHere(600);
    await spun;
    const deadline = Date.now() + 10_000;
    while (!observer.diagnostics.profiles().some((p) => p.trigger === 'block') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const entry = observer.diagnostics.profiles().find((p) => p.trigger === 'block');
    assert.ok(entry !== undefined, 'a profile started by the block is in the ring');
    assert.equal(entry.kind, 'cpu-profile');
    assert.equal(entry.thread.id, 0);
  } finally {
    clearInterval(keep);
    observer.close();
  }
});

test('the watchdog\'s own thread is not one of the application\'s: the Processes page lists no worker for it', { timeout: 30_000 }, async () => {
  const observer = createObserver({ eventLoop: { workers: false } });
  try {
    await observer.eventLoop.ready();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(observer.processes().workers, []);
  } finally {
    observer.close();
  }
});

test('watching worker threads leaves them alive: 30 workers started at once, each kept alive by its own setInterval, all still run once watched', { timeout: 60_000 }, async () => {
  // The heartbeat went into each worker by an evaluate that could land in its bootstrap, and a worker
  // so interrupted exited with code 0 though its interval was set (1 to 3 of 20 did, here).
  const { Worker } = await import('node:worker_threads');
  const observer = createObserver({ eventLoop: { stacks: false } });
  const workers = Array.from({ length: 30 }, () => new Worker('setInterval(() => {}, 1000)', { eval: true }));
  const exited: number[] = [];
  for (const w of workers) w.on('exit', (code) => exited.push(code));
  try {
    const ids = new Set(await Promise.all(workers.map((w) => new Promise<number>((resolve) => w.once('online', () => resolve(w.threadId))))));
    const watched = () => observer.eventLoop.info().threads.filter((t) => ids.has(t.id)).length;
    for (let i = 0; i < 200 && watched() < ids.size && exited.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(exited, [], 'no worker exited');
    assert.equal(watched(), ids.size, 'every worker is watched');
  } finally {
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
    observer.close();
  }
});
