// An idle process for bench/watchdog.ts: `off` (an observer with the watchdog off),
// `on` (the default watchdog), `debugger` (the watchdog, plus a thread that keeps
// Debugger.enable'd on the main thread all the time, to price that choice), or
// `timer` (the watchdog off and one empty 100 ms timer: what one wake costs here), or
// `main` (the watchdog on the main thread only, as in a process without loader hooks:
// run through tsx, every process here has tsx's loader thread, which `on` watches too).
// Prints the process's CPU time (every thread) over `seconds` as JSON, then exits.
import { createServer } from 'node:http';
import { keepDebuggerEnabled } from './debugger-thread.js';
import { createObserver } from '../src/runtime/index.js';

const [mode, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 20);
const observer = createObserver({ eventLoop: { enabled: mode !== 'off' && mode !== 'timer', workers: mode !== 'main', ...JSON.parse(process.env.WATCHDOG_OPTIONS ?? '{}') } });
if (mode === 'timer') setInterval(() => undefined, 100).unref();
if (mode === 'debugger') {
  keepDebuggerEnabled();
}
const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
await observer.eventLoop.ready();
// Startup (module loading, the watchdog thread's own start) is not idle time.
await new Promise((r) => setTimeout(r, 2000));
const before = process.cpuUsage();
const t = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const used = process.cpuUsage(before);
const wall = performance.now() - t;
console.log(JSON.stringify({ mode, cpuPercent: ((used.user + used.system) / 1000 / wall) * 100 }));
observer.close();
server.close();
