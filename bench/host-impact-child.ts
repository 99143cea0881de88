// The service whose throughput wrk measures: a small node:http app, bare, with
// wobserver mounted (nobody watching unless the bench connects; `quiet` without its
// traffic tracking and log capture; `traffic` the traffic tracking alone, with its metrics,
// no middleware), or with express-status-monitor mounted, or with
// the event-loop watchdog alone (`watchdog`; `debugger` adds a thread that keeps
// Debugger.enable'd on the main thread, the choice the watchdog does not make); or the
// same answer from Express (`express`), with the traffic tracking alone, with two no-op subscribers on the HTTP
// server's channels (`express-channels`, a control), or with wobserver's
// middleware, express-prom-bundle or express-status-monitor in front. Prints its port, serves until killed.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { keepDebuggerEnabled } from './debugger-thread.js';
import { createRegistry } from '../src/metrics/index.js';
import { createRedactor, EventLoopWatchdog, TrafficTracker } from '../src/runtime/index.js';
import { createWobserver } from '../src/server/index.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(m: Middleware): void;
  get(path: string, h: (req: IncomingMessage, res: ServerResponse) => void): void;
}

const mode = process.argv[2];
const body = JSON.stringify({ hello: 'world', items: [1, 2, 3] });
const app = (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

let handler: (req: IncomingMessage, res: ServerResponse) => void = app;
const server = createServer((req, res) => handler(req, res));
if (mode === 'wobserver') {
  // WATCHDOG_OPTIONS (JSON) sets the observer's eventLoop options here too: '{"enabled":false}' is wobserver without its watchdog.
  const wob = createWobserver({ prefix: '/wobserver', observerOptions: { eventLoop: JSON.parse(process.env.WATCHDOG_OPTIONS ?? '{}') } });
  wob.attach(server);
  handler = (req, res) => void wob.handle(req, res, () => app(req, res));
} else if (mode === 'esm') {
  const require = createRequire(import.meta.url);
  const esm = (require('express-status-monitor') as () => (req: unknown, res: unknown, next: () => void) => void)();
  handler = (req, res) => {
    // express-status-monitor reads Express's req.path.
    (req as IncomingMessage & { path: string }).path = (req.url ?? '/').split('?')[0]!;
    esm(req, res, () => app(req, res));
  };
} else if (mode === 'watchdog' || mode === 'debugger') {
  // WATCHDOG_OPTIONS (JSON) narrows it down in an A/B, e.g. '{"workers":false}' or '{"stacks":false,"workers":false}'.
  new EventLoopWatchdog(createRedactor(), JSON.parse(process.env.WATCHDOG_OPTIONS ?? '{}'));
  if (mode === 'debugger') {
    keepDebuggerEnabled();
  }
} else if (mode === 'quiet') {
  // wobserver mounted without its traffic tracking and log capture: what those two cost is the difference to `wobserver`.
  const wob = createWobserver({ prefix: '/wobserver', observerOptions: { traffic: { enabled: false }, logs: false } });
  wob.attach(server);
  handler = (req, res) => void wob.handle(req, res, () => app(req, res));
} else if (mode === 'express-channels') {
  // A control: two subscribers that do nothing on the HTTP server's channels the tracking listens to, the price of
  // Node publishing them once someone listens (a floor no subscriber can go under).
  const dc = await import('node:diagnostics_channel');
  dc.subscribe('http.server.request.start', () => undefined);
  dc.subscribe('http.server.response.finish', () => undefined);
} else if (mode === 'traffic' || mode === 'express-traffic') {
  // The traffic tracking alone with its metrics, as a preloaded or standalone wobserver has it (no middleware), on a
  // registry without runtime metrics: only what the tracking adds.
  const tracker = new TrafficTracker();
  tracker.start();
  tracker.registerMetrics(createRegistry({ runtimeMetrics: false }));
}
if (mode?.startsWith('express')) {
  // The same answer from an Express app with one route (`/`), bare or with a middleware in front of it.
  const require = createRequire(import.meta.url);
  const express = require('express') as () => ExpressApp;
  const ex = express();
  if (mode === 'express-wobserver') {
    const wob = createWobserver({ prefix: '/wobserver' });
    wob.attach(server);
    ex.use((req, res, next) => void wob.handle(req, res, next));
  } else if (mode === 'express-prombundle') {
    // express-prom-bundle's defaults (method and path labels on, its `up` gauge), with its own /metrics.
    const promBundle = require('express-prom-bundle') as (o: object) => Middleware;
    ex.use(promBundle({ includeMethod: true, includePath: true }));
  } else if (mode === 'express-esm') {
    ex.use((require('express-status-monitor') as () => Middleware)());
  } else if (mode !== 'express' && mode !== 'express-traffic' && mode !== 'express-channels') {
    throw new Error(`unknown mode ${mode}`);
  }
  ex.get('/', (req, res) => app(req, res));
  handler = (req, res) => ex(req, res);
} else if (!['bare', 'traffic', 'wobserver', 'esm', 'watchdog', 'debugger', 'quiet'].includes(mode ?? '')) {
  throw new Error(`unknown mode ${mode}`);
}
// A line on stdin asks for the CPU this process has used so far (every thread, µs): the bench prices a request
// by it, which a stolen vCPU does not inflate the way it lowers requests a second.
// On Linux it also says how that CPU splits between the main thread and all the others (the scheduler's figures).
const threads = (): { mainUs: number; otherUs: number } | null => {
  try {
    let mainUs = 0;
    let otherUs = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const us = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
      if (Number(tid) === process.pid) mainUs += us;
      else otherUs += us;
    }
    return { mainUs, otherUs };
  } catch {
    return null;
  }
};
process.stdin.on('data', () => {
  const u = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: u.user + u.system, threads: threads() })}\n`);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
