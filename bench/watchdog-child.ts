// An idle process for bench/watchdog.ts: `off` (an observer with the watchdog off),
// `on` (the default watchdog), `debugger` (the watchdog, plus a thread that keeps
// Debugger.enable'd on the main thread all the time, to price that choice), or
// `timer` (the watchdog off and one empty 100 ms timer: what one wake costs here), or
// `worker` (the default watchdog and one idle worker thread, which it watches too).
// bench/watchdog.ts runs it bundled by esbuild with plain node, as a service runs: no
// loader thread (tsx has one, which the watchdog would watch as a worker). Prints the process's CPU time (every thread) over `seconds` as JSON, then exits.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { keepDebuggerEnabled } from './debugger-thread.js';
import { createObserver } from '../src/runtime/index.js';

/** CPU time of every thread, in ns, from the scheduler (Linux; 0 elsewhere). */
function threadsRan(): number {
  try {
    return readdirSync('/proc/self/task').reduce((s, t) => s + Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'latin1').split(' ')[0]), 0);
  } catch {
    return 0;
  }
}

const [mode, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 20);
const observer = createObserver({ eventLoop: { enabled: mode !== 'off' && mode !== 'timer', ...JSON.parse(process.env.WATCHDOG_OPTIONS ?? '{}') } });
if (mode === 'timer') setInterval(() => undefined, 100).unref();
if (mode === 'worker') new Worker('setInterval(() => {}, 3_600_000)', { eval: true }).unref();
if (mode === 'debugger') {
  keepDebuggerEnabled();
}
const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
await observer.eventLoop.ready();
// Startup (module loading, the watchdog thread's own start, the heartbeat's 3 s of quiet before it rests) is not idle time.
await new Promise((r) => setTimeout(r, Number(process.env.WATCHDOG_WARMUP_MS ?? 15_000)));
const before = process.cpuUsage();
const ran0 = threadsRan();
const t = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const used = process.cpuUsage(before);
const ran = threadsRan() - ran0;
const wall = performance.now() - t;
const { resting, rests } = observer.eventLoop.stats();
console.log(JSON.stringify({ mode, cpuPercent: ((used.user + used.system) / 1000 / wall) * 100, ranPercent: (ran / 1e6 / wall) * 100, resting, rests }));
observer.close();
server.close();
