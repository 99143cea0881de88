import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createRegistry, type Registry } from '../metrics/index.js';
import { createObserver, type Observer } from '../runtime/index.js';
import { type GraphiteOptions, GraphiteReporter } from '../reporters/index.js';
import { type NodesOptions, type Started, start } from '../server/index.js';
import { blockMs, blockTheEventLoop } from './block.js';
import { type DemoLogger, demoLogger } from './logs.js';
import { startDemoUnits } from './units.js';
import { type Upstream, startUpstream } from './upstream.js';

/** The demo's own routes (`/users/<id>` and `/orders/<uuid>` besides). */
const ROUTES = ['/', '/hello', '/store', '/slow', '/user', '/quote', '/long', '/block'];

export interface DemoOptions {
  /** Default: 127.0.0.1. */
  host?: string;
  /** wobserver's port. Default: 4001; 0 picks a free port. */
  port?: number;
  /** The demo application's own port. Default: 0 (a free one). */
  appPort?: number;
  /** Send itself a request this often, in ms, so that the metrics move; 0 turns it off. Default: 200. */
  trafficEvery?: number;
  /** Send the metrics to carbon's plaintext receiver at this address. Default: off. */
  graphite?: GraphiteOptions;
  /** Other nodes of a demo fleet (`npm run demo:cluster`). Default: none. */
  nodes?: NodesOptions;
  /** Interval length, in whole seconds. Default: 10. */
  period?: number;
  /** Start the demo's worker threads and child process. Default: true. */
  units?: boolean;
  /**
   * Block its own event loop on purpose this often, in ms, through its `/block`
   * route (`blockFor` ms each time), so that the Event loop page has something
   * to show; 0 turns it off. Default: 0 (`npm start` turns it on, and says so).
   */
  blockEvery?: number;
  /** How long each of those blocks lasts, in ms. Default: 250. */
  blockFor?: number;
}

export interface Demo {
  /** The demo application's server (its own routes, at `appUrl`). */
  readonly server: Server;
  /** wobserver, standalone: the API, `/metrics` and (later) the UI, at `url`. */
  readonly wobserver: Started;
  readonly registry: Registry;
  /** The observer's pages for this process, with the demo's table, custom page, workers and child. */
  readonly observer: Observer;
  /** wobserver's address, http://127.0.0.1:4001 by default. */
  readonly url: string;
  readonly appUrl: string;
  readonly graphite: GraphiteReporter | undefined;
  close(): Promise<void>;
}

/**
 * The demo service: a small HTTP application instrumented with wobserver's
 * metrics core, serving its metrics on `/metrics`. It drives a little traffic
 * through itself so that every kind of metric shows real movement.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.appPort ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const registry = createRegistry({ period: (options.period ?? 10) * 1000 });
  const requests = registry.counter({
    name: 'demo_http_requests_total',
    help: 'Requests the demo served, by method, route and status',
    labelNames: ['method', 'route', 'status'],
  });
  const latency = registry.timer({
    name: 'demo_http_request_duration_seconds',
    help: 'Time the demo took to answer, by route',
    labelNames: ['route'],
  });
  const inflight = registry.gauge({ name: 'demo_http_requests_in_flight', help: 'Requests being answered now' });
  const bytes = registry.meter({ name: 'demo_http_response_bytes_total', help: 'Bytes the demo sent in response bodies', unit: 'bytes' });
  const store = new Map<string, string>();
  registry.predefine({ name: 'demo_store_entries', type: 'gauge', fn: () => store.size, help: 'Entries in the demo key-value store' });

  const observer = createObserver();
  // A cache the Tables page can browse, and a custom page about it.
  const cache = new Map<string, { value: string; hits: number; storedAt: string }>();
  for (let i = 0; i < 1000; i++) cache.set(`user:${i}`, { value: `profile of user ${i}`, hits: 0, storedAt: new Date().toISOString() });
  observer.tables.register('demo.cache', cache, { description: 'user profiles by key' });
  observer.tables.register('demo.store', store, { description: 'what /store wrote' });
  observer.pages.register({
    title: 'Demo cache',
    command: 'demo-cache',
    refresh: 5,
    callback: () => ({
      summary: { entries: cache.size, hits: [...cache.values()].reduce((n, e) => n + e.hits, 0) },
      hottest: [...cache.entries()].sort((a, b) => b[1].hits - a[1].hits).slice(0, 5).map(([key, e]) => ({ key, hits: e.hits })),
    }),
  });
  const appUrl = `http://${host}:${port}`;
  // What the Traffic page shows outbound: a pricing service on loopback that /quote asks with fetch.
  const upstream: Upstream = await startUpstream(host);
  observer.traffic.ignoreRequests((_req, s) => s === upstream.server);
  // What the Logs page and the request logger show: pino and winston lines into wobserver only (the terminal stays quiet).
  const log: DemoLogger = await demoLogger(observer);
  const units = options.units === false ? undefined : await startDemoUnits();
  const blockEvery = options.blockEvery ?? 0;
  const blockFor = options.blockFor ?? 250;
  // Not in the menu: the Event loop page reads it to point at the route that blocks (only the demo has it).
  observer.pages.register({
    title: 'Demo: blocking the event loop',
    command: DEMO_BLOCK_PAGE,
    apiOnly: true,
    callback: () => ({
      route: `${appUrl}/block?ms=300`,
      function: blockTheEventLoop.name,
      worker: units === undefined ? null : `${appUrl}/block?ms=300&thread=worker`,
      periodic: blockEvery > 0 ? `${blockFor} ms every ${blockEvery / 1000} s` : 'off',
    }),
  });

  let wobserver: Started;
  try {
    // Loopback only (start() refuses more without auth), so the demo can offer profiles and snapshots.
    wobserver = await start({ host, port: options.port ?? 4001, registry, observer, nodeName: `${hostname()}:${options.port ?? 4001}`, diagnostics: true, ...(options.nodes ? { nodes: options.nodes } : {}) });
  } catch (err) {
    await units?.close();
    await upstream.close();
    observer.close();
    registry.close();
    server.close();
    throw err;
  }
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const route = ROUTES.includes(url.pathname) ? url.pathname : url.pathname.startsWith('/users/') ? '/users/:id' : url.pathname.startsWith('/orders/') ? '/orders/:id' : 'other';
    const stop = latency.startTimer({ route });
    inflight.inc();
    const started = performance.now();
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
      bytes.mark(Buffer.byteLength(body));
      requests.inc({ method: req.method ?? 'GET', route, status });
      inflight.dec();
      stop();
      const fields = { method: req.method, url: url.pathname, status, ms: Math.round((performance.now() - started) * 10) / 10 };
      if (status >= 500) log.pino.error(fields, 'request failed');
      else if (status >= 400) log.pino.warn(fields, 'request refused');
      else log.pino.info(fields, 'request served');
    };
    if (url.pathname === '/') {
      reply(200, home(blockEvery, blockFor), 'text/html; charset=utf-8');
    } else if (url.pathname === '/hello') {
      reply(200, `hello from ${registry.node}\n`);
    } else if (url.pathname === '/store') {
      const key = url.searchParams.get('key') ?? String(store.size % 50);
      store.set(key, new Date().toISOString());
      log.winston.info("stored an entry", { slot: key, entries: store.size });
      reply(200, `${key}\n`);
    } else if (url.pathname === '/slow') {
      log.pino.debug({ cache: cache.size }, 'slow: waiting on purpose');
      setTimeout(() => reply(200, 'slow\n'), 20 + Math.random() * 80);
    } else if (url.pathname === '/user' || route === '/users/:id') {
      const id = route === '/users/:id' ? Number(url.pathname.slice('/users/'.length)) : Math.floor(Math.random() * cache.size);
      const e = cache.get(`user:${id}`);
      if (e !== undefined) e.hits++;
      reply(e === undefined && route === '/users/:id' ? 404 : 200, `${e?.value ?? 'none'}\n`);
    } else if (route === '/orders/:id') {
      // One order in ten fails, so that the Traffic page has 5xx to show.
      const failed = Math.random() < 0.1;
      if (failed) log.winston.error('order lookup failed', { order: url.pathname.slice('/orders/'.length), reason: 'the demo fails one in ten on purpose' });
      setTimeout(() => reply(failed ? 500 : 200, failed ? 'failed on purpose\n' : 'order\n'), 5 + Math.random() * 30);
    } else if (url.pathname === '/quote') {
      // Asks the pricing service with fetch (outbound per host on the Traffic page); one in eight asks a port nothing listens on.
      void upstream.quote(Math.random() < 0.125).then(
        (price) => {
          log.pino.info({ price }, 'quote: priced');
          reply(200, `${price}\n`);
        },
        (err: Error & { cause?: { code?: string } }) => {
          log.pino.error({ err: { message: err.message, code: err.cause?.code } }, 'quote: the pricing service did not answer');
          reply(502, 'no price\n');
        },
      );
    } else if (url.pathname === '/long') {
      // Held open for a while, so that the Processes page shows requests in flight.
      setTimeout(() => reply(200, 'long\n'), 1500 + Math.random() * 1000);
    } else if (url.pathname === '/block') {
      // Blocks this thread's event loop in a named function, for the Event loop page to find.
      // `thread=worker` blocks the first demo worker's loop instead (in its blockTheWorkerLoop()).
      const ms = blockMs(url.searchParams.get('ms'));
      const thread = url.searchParams.get('thread') ?? 'main';
      if (ms instanceof RangeError) reply(400, `${ms.message}\n`);
      else if (thread === 'worker') {
        if (units === undefined) reply(409, 'this demo runs without its worker threads (units: false)\n');
        else reply(200, `blocking ${units.blockWorker(ms)}'s event loop for ${ms} ms in blockTheWorkerLoop()\n`);
      } else if (thread !== 'main') reply(400, `thread must be main or worker, got ${JSON.stringify(thread)}\n`);
      else {
        log.pino.warn({ ms }, 'blocking the event loop on purpose');
        blockTheEventLoop(ms);
        reply(200, `blocked the event loop for ${ms} ms in ${blockTheEventLoop.name}()\n`);
      }
    } else {
      reply(404, 'not found\n');
    }
  });

  const paths = ['/hello', '/user', '/store', '/slow', '/users/:n', '/long', '/orders/:uuid', '/quote', '/missing', '/users/:n'];
  let n = 0;
  const every = options.trafficEvery ?? 200;
  const traffic =
    every > 0
      ? setInterval(() => {
          const path = paths[n++ % paths.length]!.replace(':n', String(Math.floor(Math.random() * 1100))).replace(':uuid', randomUUID());
          const req = request({ host, port, path, agent: false }, (res) => res.resume());
          req.on('error', () => undefined);
          req.end();
        }, every)
      : undefined;
  traffic?.unref();
  const blocks =
    blockEvery > 0
      ? setInterval(() => {
          const req = request({ host, port, path: `/block?ms=${blockFor}`, agent: false }, (res) => res.resume());
          req.on('error', () => undefined);
          req.end();
        }, blockEvery)
      : undefined;
  blocks?.unref();

  const graphite =
    options.graphite === undefined ? undefined : new GraphiteReporter(registry, { prefix: 'wobserver.%node%', ...options.graphite });
  graphite?.start();

  return {
    graphite,
    server,
    wobserver,
    appUrl,
    registry,
    observer,
    url: wobserver.url,
    async close() {
      clearInterval(traffic);
      clearInterval(blocks);
      if (graphite !== undefined) {
        // The interval still open is closed early, so that the last one is sent too.
        await registry.closeInterval(registry.openIntervalStart + registry.period);
        await graphite.stop(5000);
      }
      await wobserver.close();
      await units?.close();
      await upstream.close();
      observer.close();
      registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The custom page (API only) through which the demo tells the Event loop page where its `/block` route is. */
export const DEMO_BLOCK_PAGE = 'demo-block';

const home = (blockEvery: number, blockFor: number): string => `<!doctype html>
<meta charset="utf-8">
<title>wobserver demo</title>
<h1>wobserver demo</h1>
<p>This service is instrumented with wobserver; wobserver itself listens on its own port (4001 by default).</p>
<ul>
<li><a href="/hello">/hello</a>, <a href="/store">/store</a>, <a href="/slow">/slow</a>, <a href="/users/42">/users/42</a>, <a href="/quote">/quote</a> (asks a pricing service with fetch) — the demo's own routes, on the Traffic page; what they log is on the Logs page, and <code>?wobserver_logger=&lt;token&gt;</code> (the Request logger page gives the token) shows one request's lines</li>
<li><a href="/block?ms=300">/block?ms=300</a> — blocks the event loop for 300 ms (1 to 5000) in <code>blockTheEventLoop()</code>, a function that spins on the clock; wobserver's Event loop page shows the block with its stack. <a href="/block?ms=300&amp;thread=worker">/block?ms=300&amp;thread=worker</a> blocks a worker thread's loop instead, in <code>blockTheWorkerLoop()</code></li>
</ul>
${blockEvery > 0 ? `<p>On purpose, this demo also requests <code>/block?ms=${blockFor}</code> of itself every ${blockEvery / 1000} s, so that the Event loop page has blocks to show.</p>\n` : ''}`;
