// The main thread's heartbeat resting while its loop is idle (Linux): blocks are still seen.
// Its own file: each case waits out the quiet before it, so the file runs about a minute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BlockEvent, EventLoopInfo } from '../../../src/protocol/index.js';
import type { WatchdogStats } from '../../../src/runtime/watchdog/index.js';
import { type StartedChild, startChild } from '../../helpers/child.js';
import { json } from '../../helpers/http.js';
import { until } from '../../helpers/until.js';

const BLOCKER = fileURLToPath(new URL('./fixtures/blocker.ts', import.meta.url));

interface Answer {
  info: EventLoopInfo;
  stats: WatchdogStats;
  /** Someone listens to the HTTP server's requests (the watchdog, while its heartbeat rests). */
  listening: boolean;
}

async function blocker(options: object): Promise<StartedChild & { base: string; info(): Promise<Answer> }> {
  const c = await startChild(process.execPath, ['--import', 'tsx', BLOCKER], {
    ready: /listening (\d+)/,
    what: 'the blocker',
    env: { ...process.env, WATCHDOG_OPTIONS: JSON.stringify(options) },
  });
  const base = `http://127.0.0.1:${c.match[1]}`;
  return Object.assign(c, { base, info: async () => (await json(`${base}/info`)).body as Answer });
}

const frameOf = (e: BlockEvent, fn: string): boolean => e.stack?.some((f) => f.functionName === fn) === true;

test('while the process is idle the main thread\'s heartbeat rests, and blocks from a timer, from I/O, in execSync and in Atomics.wait are still seen', { timeout: 240_000 }, async () => {
  const c = await blocker({ workers: false });
  try {
    const quiet = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    // Each case is started by a request (which wakes the heartbeat), then nothing asks anything until it is done.
    // The heartbeat rests after a window of 3 s that was quiet (a busy machine may spoil the first), so 7 s of waiting.
    const later = async (what: string, ms: number, after = 7000): Promise<Answer> => {
      const n = (await c.info()).info.totals.blocks;
      await json(`${c.base}/later?what=${what}&ms=${ms}&after=${after}`);
      await quiet(after + ms + 500);
      const state = (await until(async () => (await json(`${c.base}/later-state`)).body as { done: boolean; restingBefore: boolean; listeningBefore: boolean }, (x) => x.done, `${what} done`));
      // A pipe's wake-up may find it beating again (the start of the child was activity): then the beats see the block.
      if (what !== 'io') {
        assert.equal(state.restingBefore, true, `the heartbeat rested before ${what}`);
        // Resting, it listens for requests to wake it; the request that asked for the state woke it, and it stopped listening.
        assert.equal(state.listeningBefore, true, `listening for requests before ${what}`);
        assert.equal((await c.info()).listening, false, 'a beating heartbeat does not listen to requests');
      }
      return what === 'busy' ? c.info() : until(c.info, (x) => x.info.totals.blocks > n, `the block of ${what}`);
    };
    const spun = (x: BlockEvent): boolean => frameOf(x, 'spinMainThread');
    // A timer of its own: the watchdog reads its epoll timeout and looks just after it fires.
    let a = await later('spin', 500, 8000);
    let e = a.info.events.at(-1)!;
    assert.ok(spun(e), JSON.stringify(e));
    assert.ok(e.durationMs !== null && e.durationMs >= 400 && e.durationMs < 1500, String(e.durationMs));
    // Woken by a pipe: seen at the watchdog's next look (once a second while resting).
    a = await later('io', 1500);
    e = a.info.events.at(-1)!;
    assert.ok(spun(e), JSON.stringify(e));
    assert.ok(e.durationMs !== null && e.durationMs >= 1200 && e.durationMs < 2500, String(e.durationMs));
    // Waiting in the kernel, not on the CPU: not its loop's epoll wait, so busy.
    for (const what of ['sleep', 'wait']) {
      a = await later(what, 800);
      e = a.info.events.at(-1)!;
      assert.ok(e.durationMs !== null && e.durationMs >= 600 && e.durationMs < 2000, `${what}: ${e.durationMs}`);
    }
    // Busy but turning (5 ms tasks for 2 s): asked to beat, it answers; no block.
    const before = (await c.info()).info.totals.blocks;
    a = await later('busy', 2000);
    assert.equal(a.info.totals.blocks, before, JSON.stringify(a.info.events.slice(-2)));
    assert.ok(a.stats.rests >= 5, `rested ${a.stats.rests} times`);
    assert.equal(a.stats.paused, a.stats.resumed);
  } finally {
    c.kill();
  }
});

