// One contender per process: idle, wobserver's load sampler with one subscriber, or
// express-status-monitor's gatherers (which run whether or not anyone watches).
// Prints the process's CPU over the window, as % of one core.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createObserver } from '../src/runtime/index.js';

const mode = process.argv[2];
const windowMs = Number(process.argv[3] ?? 6000);
const server = createServer((_req, res) => res.end('ok'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
let stop = (): void => undefined;
if (mode === 'wobserver') {
  const observer = createObserver();
  const off = observer.load.subscribe();
  stop = () => {
    off();
    observer.close();
  };
} else if (mode === 'esm') {
  // What the middleware does on the first request: attach socket.io and start a gatherer per span.
  const require = createRequire(import.meta.url);
  const socketIoInit = require('express-status-monitor/src/helpers/socket-io-init.js') as (server: unknown, config: unknown) => void;
  const validate = require('express-status-monitor/src/helpers/validate.js') as (config?: unknown) => unknown;
  socketIoInit(server, validate());
}
await sleep(1000);
const c0 = process.cpuUsage();
const t0 = performance.now();
await sleep(windowMs);
const c = process.cpuUsage(c0);
const percent = ((c.user + c.system) / 1000 / (performance.now() - t0)) * 100;
stop();
console.log(JSON.stringify({ mode, percent }));
process.exit(0);
