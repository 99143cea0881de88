import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_FORMATS, RESERVED_FORMATS } from '../exporters/format.js';
import { createRegistry, type Registry } from '../metrics/index.js';
import { createObserver, type Observer, type ObserverOptions, SelfSummary } from '../runtime/index.js';
import { API_PAGES, Api } from './api.js';
import { type DiagnosticsOption, diagnosticsGuard, observerDiagnostics } from './diagnostic-actions.js';
import { Assets } from './assets.js';
import { type AuthOptions, createAuthenticate, createCredentialCheck, hasAuth } from './auth.js';
import { EventStreamTransport } from './events.js';
import { Feeds } from './feeds.js';
import { SECURITY_HEADERS, checkSameOrigin, createHostCheck, hasBearer, hostNotAllowed } from './guards.js';
import { OptionError } from '../errors.js';
import { HttpError, sendError } from './http-error.js';
import { Live, type LiveOptions, type LiveStats } from './live.js';
import { type MetricsFormat, serveMetrics } from './metrics-route.js';
import { Fleet, type NodesOptions, listeningAddress } from './fleet.js';
import { FleetFanout, JSON_TYPE, type NodeAddress, Verifier, signAnswers } from '../nodes/index.js';
import { pick, relay } from './relay.js';
import { Sessions } from './sign-in.js';
import { type Params, type Topic, Topics } from './topics/index.js';
import { WebSocketTransport } from './websocket.js';

export interface WobserverOptions {
  /** URL prefix it is mounted under, e.g. `/wobserver`. Default: none (the root). */
  prefix?: string;
  /** The metrics registry to serve on `/metrics`. Default: a new one, with the runtime metrics. */
  registry?: Registry;
  /** The observer whose pages the API serves. Default: a new one (`observerOptions`). */
  observer?: Observer;
  observerOptions?: ObserverOptions;
  /** Authentication for every route. Default: none (then `start()` binds to loopback only). */
  auth?: AuthOptions;
  /**
   * Host names served besides loopback (`localhost`, `127.0.0.0/8`, `[::1]`), against DNS rebinding:
   * `observer.example.com`, `observer.example.com:8443`, or `.example.com` (the name and its subdomains).
   * Without `auth` only loopback and these are served (`403 HOST_NOT_ALLOWED`); with `auth` the list applies when set.
   * Default: none.
   */
  allowedHosts?: string[];
  /** Believe `X-Forwarded-Proto` from a TLS proxy in front, for the session cookie's `Secure`. Default: false (only a TLS socket counts). */
  trustProxy?: boolean;
  /** This node's name in `/api/<node>/...`. Default: the registry's node name. */
  nodeName?: string;
  /**
   * Allow CPU and heap profiles, heap snapshots and reports. Default: false.
   * An object also sets the heap-snapshot interval (`minIntervalMs`, default
   * 60000) and, for the observer wobserver creates, the profile limits, the
   * ring of recent profiles (`profileRing`, default 10; `profileRingBytes`,
   * default 64 MiB) and the optional `triggers` ([docs/diagnostics.md](../../docs/diagnostics.md)).
   */
  diagnostics?: DiagnosticsOption;
  /** More `/metrics?format=<name>` formats (`json` is built in). */
  formats?: Record<string, MetricsFormat>;
  /** Largest request body accepted, in bytes. Default: 65536. */
  maxBodyBytes?: number;
  /** The WebSocket and its HTTP fallback: client, buffer, message and rate limits, heartbeat, allowed origins. */
  live?: LiveOptions;
  /** The folder of the built web UI; `false` for none. Default: the UI shipped in the package. */
  assets?: string | false;
  /** Other nodes: discovery, the shared secret, aggregated metrics ([docs/nodes.md](../../docs/nodes.md)). */
  nodes?: NodesOptions;
}

/** wobserver's HTTP side, to mount anywhere: `handle(req, res, next?)` answers what is under its prefix. */
export interface Wobserver {
  readonly prefix: string;
  readonly registry: Registry;
  readonly observer: Observer;
  /** Answers requests under the prefix; others go to `next` (or get a 404 when there is none). */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): Promise<void>;
  /** Takes over a WebSocket upgrade for `<prefix>/ws` and returns true; returns false (and leaves the socket alone) for any other path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Listens for upgrades on `server` (once, however often called); upgrades to other paths are left to the server's other listeners (or closed when there are none). Once it listens, its address is this node's in `/api/nodes`. */
  attach(server: Server): void;
  /** Tells where this node listens (`attach` does it itself): the local node is listed, and a Prometheus target, with that address. */
  listening(address: { host: string; port: number }): void;
  /** Reads one of this node's topics (what `/api/<topic>` answers). */
  read(topic: Topic, params?: Params): Promise<unknown>;
  /** Registers a `/metrics?format=<name>` format. */
  addFormat(name: string, format: MetricsFormat): void;
  /** Clients of the WebSocket and the fallback, and how many were dropped. */
  liveStats(): LiveStats & { feeds: number; subscriptions: number; samples: number };
  /** Stops what it started (the registry and observer too, when it created them). */
  close(): void;
}

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** The UI shipped in the package: `<package>/dist/ui`, from `dist/server` and from `src/server` (tests run the source) alike. */
const DEFAULT_ASSETS = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

const DONE = Promise.resolve();

/** Whether a request target is the prefix or under it (`/wob`, `/wob/...`, `/wob?...`). */
function underPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const c = url.charCodeAt(prefix.length);
  return Number.isNaN(c) || c === 47 /* / */ || c === 63 /* ? */;
}

const FORMAT_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const FLEET_URL = /\/api\/fleet(\/|\?|$)/;

export function createWobserver(options: WobserverOptions = {}): Wobserver {
  const prefix = normalizePrefix(options.prefix);
  const ownRegistry = options.registry === undefined;
  const registry = options.registry ?? createRegistry();
  const ownObserver = options.observer === undefined;
  const diagnostics = diagnosticsGuard(options.diagnostics, ownObserver);
  const profiles = observerDiagnostics(options.diagnostics);
  const observer = options.observer ?? createObserver(profiles === undefined ? options.observerOptions : { ...options.observerOptions, diagnostics: { ...options.observerOptions?.diagnostics, ...profiles } });
  // The watchdog's metrics go on the registry this server serves (and reports from), beside the other
  // nodejs_* metrics: not on one whose runtime metrics are off.
  const unregisterBlockMetrics = registry.runtime !== undefined ? observer.eventLoop.registerMetrics(registry) : () => undefined;
  // The traffic histograms go there too, under express-prom-bundle's names (docs/traffic.md); wobserver's own
  // requests under its prefix are not the application's traffic (its standalone server is left out by start()).
  const unregisterTrafficMetrics = registry.runtime !== undefined && observer.traffic.options.enabled ? observer.traffic.registerMetrics(registry) : () => undefined;
  // Nor are they the request logger's to follow (a browser that set its cookie sends it to wobserver too).
  const own = (req: IncomingMessage): boolean => underPrefix(req.url ?? '/', prefix);
  const unignores = prefix === '' ? [] : [observer.traffic.ignoreRequests(own), observer.logs.ignoreRequests(own)];
  const unignoreOwn = (): void => {
    for (const u of unignores) u();
  };
  const nodeName = options.nodeName ?? registry.node;
  const fleet = new Fleet(options.nodes ?? {}, registry, nodeName, prefix);
  const summary = new SelfSummary();
  // The Fleet page's own requests (through HTTP) are not the host's.
  const fleetSummary = () => summary.read(nodeName, observer.processes().requests.filter((r) => !FLEET_URL.test(r.url)).length);
  const fanout = new FleetFanout({ directory: fleet.directory, local: fleetSummary });
  const topics = new Topics({
    directory: fleet.directory,
    observer,
    registry,
    nodeName,
    prefix,
    version: VERSION,
    diagnostics: diagnostics.enabled,
    prometheusTargets: () => fleet.prometheusTargets(),
    fleet: fanout,
    fleetSummary,
  });
  const api = new Api({ topics, observer, diagnostics, leaseMs: 15_000 });
  const feeds = new Feeds(topics, observer);
  const live = new Live(options.live ?? {}, topics, feeds, { node: nodeName, version: VERSION });
  const authConfigured = hasAuth(options.auth);
  const sessions = new Sessions({ ttlMs: options.auth?.sessionMs ?? 8 * 3_600_000, maxSessions: options.auth?.maxSessions ?? 1000, path: prefix === '' ? '/' : prefix, trustProxy: options.trustProxy === true });
  const authenticate = createAuthenticate(options.auth, sessions);
  const credentials = createCredentialCheck(options.auth);
  const hostAllowed = createHostCheck(options.allowedHosts, authConfigured);
  // Basic is offered only when configured (or an authorize hook may take it): a browser answers a Basic challenge with its own dialog, over the sign-in view.
  const authOpts = options.auth;
  const challenge = { 'www-authenticate': authOpts?.basic !== undefined || (authOpts?.token === undefined && authOpts?.authorize !== undefined) ? 'Bearer, Basic realm="wobserver"' : 'Bearer realm="wobserver"' };
  const websocket = new WebSocketTransport(live, authenticate, { hostAllowed, sessions });
  const events = new EventStreamTransport(live, sessions);
  const assets = new Assets(options.assets === false ? undefined : (options.assets ?? DEFAULT_ASSETS));
  const formats: Record<string, MetricsFormat> = { ...BUILT_IN_FORMATS };
  const addFormat = (name: string, format: MetricsFormat): void => {
    if (!FORMAT_NAME.test(name) || RESERVED_FORMATS.includes(name)) {
      throw new OptionError(`A format name is lowercase letters, digits, "_" and "-" (not ${RESERVED_FORMATS.map((n) => `"${n}"`).join(', ')}), got ${JSON.stringify(name)}`);
    }
    if (typeof format?.render !== 'function' || typeof format.contentType !== 'string') throw new OptionError(`Format "${name}" needs contentType and render(snapshot)`);
    formats[name] = format;
  };
  for (const [name, f] of Object.entries(options.formats ?? {})) addFormat(name, f);
  const maxBody = options.maxBodyBytes ?? 65_536;
  const wsPath = `${prefix}/ws`;
  const attached = new WeakSet<Server>();

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== wsPath) return false;
    void websocket.upgrade(req, socket, head);
    return true;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    // A node's request is authenticated by its signature (checked below), not by where a browser was sent.
    const signed = Verifier.signed(req.headers);
    if (!signed && hostAllowed !== undefined && !hostAllowed(req.headers.host)) return sendError(res, hostNotAllowed(req.headers.host));
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    // The raw target was under the prefix; its normalized path (dots resolved) must be too.
    if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) {
      sendError(res, new HttpError(404, 'NOT_FOUND', `Nothing at ${path}`));
      return;
    }
    const rest = path.slice(prefix.length) || '/';
    try {
      // A bearer token or a node's signature is sent by a program, never by a browser on its own: not forgeable cross-site.
      if (!signed && !hasBearer(req.headers)) checkSameOrigin(req.method ?? 'GET', req.headers);
      if (rest === '/session') return await sessions.route(req, res, { auth: authConfigured, signedIn: () => authenticate(req, 'other'), credentials: () => credentials(req) });
      const route = rest === '/metrics' || rest.startsWith('/metrics/') ? 'metrics' : rest === '/' || rest === '' || rest.startsWith('/assets/') ? 'shell' : 'other';
      if (signed) {
        // Another node: it proves itself with the shared secret, not with the browser's credentials.
        if (fleet.verifier === undefined) throw new HttpError(401, 'NODE_UNSIGNED', 'This node has no nodes.secret: it accepts no requests from other nodes');
        const verdict = fleet.verifier.verify(req.method ?? 'GET', req.url ?? '/', req.headers, Date.now(), rest === '/api/about');
        if (!verdict.ok) throw new HttpError(verdict.status, verdict.code, verdict.message);
        // The answer is signed too (over this nonce, its status, content type and body), whichever route gives it.
        signAnswers(res, fleet.verifier.secret, verdict.nonce);
      } else if (!(await authenticate(req, route))) {
        throw new HttpError(401, 'UNAUTHORIZED', 'Authentication required', challenge);
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > maxBody) throw new HttpError(413, 'BODY_TOO_LARGE', `Request bodies are limited to ${maxBody} bytes`);
      const body = await readBody(req, maxBody);
      const method = req.method ?? 'GET';
      const get = method === 'GET' || method === 'HEAD';
      if (rest === '/metrics') {
        if (!get) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on /metrics`);
        const all = fleet.aggregateMetrics || url.searchParams.get('nodes') === 'all';
        return await serveMetrics(req, res, all ? () => fleet.aggregated() : () => registry.collect(), formats);
      }
      if (rest.startsWith('/metrics/node/')) {
        if (!get) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on /metrics`);
        const name = decodeSegment(rest.slice('/metrics/node/'.length));
        const target = await topics.resolve(name);
        if (target.local) return await serveMetrics(req, res, () => registry.collect(), formats);
        // A cluster worker has no HTTP of its own: its registry comes over IPC and is rendered here.
        if (target.address.ipc !== undefined) return await serveMetrics(req, res, () => fleet.oneNode(target.name, target.address), formats);
        return await forwardMetrics(req, res, topics, target.address);
      }
      if (rest === '/' || rest === '') {
        if (!get) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use GET`);
        if (prefix !== '' && path === prefix) return redirect(res, `${prefix.split('/').pop()}/`);
        return assets.hasIndex ? await assets.serve(req, res, ['index.html']) : index(res);
      }
      const segments = rest.split('/').filter((s) => s !== '').map(decodeSegment);
      switch (segments[0]) {
        case 'api':
          return await api.handle(req, res, segments.slice(1), url.searchParams, body);
        case 'assets':
          if (!get) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use GET`);
          return await assets.serve(req, res, ['assets', ...rest.slice('/assets/'.length).split('/').map(decodeSegment)]);
        case 'ws':
          throw new HttpError(426, 'UPGRADE_REQUIRED', 'This is the WebSocket; without an upgrade use the events fallback');
        case 'events':
          if (segments.length === 1 && get) return events.open(req, res);
          if (segments.length === 2 && method === 'POST') return await events.post(res, segments[1]!, body);
          throw new HttpError(segments.length > 2 ? 404 : 405, segments.length > 2 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED', 'GET events opens the stream; POST events/<session> sends messages');
      }
      throw new HttpError(404, 'NOT_FOUND', `Nothing at ${prefix}${rest}`);
    } catch (err) {
      sendError(res, err);
    }
  };

  return {
    prefix,
    registry,
    observer,
    upgrade,
    addFormat,
    read: (topic, params = {}) => topics.read(topic, params),
    listening: (address) => fleet.listening(address),
    attach(server) {
      if (attached.has(server)) return;
      attached.add(server);
      if (server.listening) fleet.listening(listeningAddress(server));
      else server.once('listening', () => fleet.listening(listeningAddress(server)));
      const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
        if (!upgrade(req, socket, head) && server.listenerCount('upgrade') === 1) socket.destroy();
      };
      server.on('upgrade', listener);
    },
    liveStats: () => ({ ...live.stats, ...feeds.stats() }),
    handle(req, res, next) {
      // The host's own requests pass on at the cost of one string comparison: no URL parsing, no promise.
      const raw = req.url ?? '/';
      if (prefix !== '' && !underPrefix(raw, prefix)) {
        if (next !== undefined) next();
        else sendError(res, new HttpError(404, 'NOT_FOUND', `Nothing at ${raw.split('?')[0]}`));
        return DONE;
      }
      return serve(req, res);
    },
    close() {
      sessions.close();
      websocket.close();
      events.close();
      feeds.close();
      api.close();
      summary.close();
      unregisterBlockMetrics();
      unregisterTrafficMetrics();
      unignoreOwn();
      if (ownObserver) observer.close();
      if (ownRegistry) registry.close();
    },
  };
}

function normalizePrefix(p: string | undefined): string {
  if (p === undefined || p === '' || p === '/') return '';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(p) || p.includes('//') || p.includes('/..')) {
    throw new OptionError(`prefix must be a path like "/wobserver", got ${JSON.stringify(p)}`);
  }
  return p.endsWith('/') ? p.slice(0, -1) : p;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'BAD_PATH', `Malformed path segment "${s}"`);
  }
}

/** Reads a body, refusing past `max` bytes; only the events fallback takes one. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  if (req.method === 'GET' || req.method === 'HEAD') return Buffer.alloc(0);
  if (req.readableEnded) {
    // A framework's body parser (express.json(), say) read it first: take what it parsed.
    const parsed = (req as { body?: unknown }).body;
    if (parsed === undefined || parsed === null) return Buffer.alloc(0);
    const bytes = Buffer.isBuffer(parsed) ? parsed : Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
    if (bytes.length > max) throw new HttpError(413, 'BODY_TOO_LARGE', `Request bodies are limited to ${max} bytes`);
    return bytes;
  }
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req) {
    seen += (chunk as Buffer).length;
    if (seen > max) throw new HttpError(413, 'BODY_TOO_LARGE', `Request bodies are limited to ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What `/metrics/node/<node>` relays: the exposition formats and JSON (never HTML). */
const METRICS_TYPES = [/^text\/plain\s*(;|$)/i, /^application\/openmetrics-text\s*(;|$)/i, JSON_TYPE];

/** One other node's `/metrics`, as it answers it (its format negotiation and gzip too), once its signature is checked. */
function forwardMetrics(req: IncomingMessage, res: ServerResponse, topics: Topics, address: NodeAddress): Promise<void> {
  return relay(res, topics.client(), address, {
    method: 'GET',
    path: `/metrics${new URL(req.url ?? '/', 'http://x').search}`,
    headers: pick(req.headers, ['accept', 'accept-encoding']),
    back: ['content-type', 'content-encoding', 'content-length', 'vary'],
    types: METRICS_TYPES,
  });
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(308, { location, 'cache-control': 'no-store' });
  res.end();
}

/** Where the web UI is not built (`npm run build:ui`): a plain index of the API, with relative links so a prefix keeps working. */
function index(res: ServerResponse): void {
  // Served at `<prefix>/` only (the bare prefix redirects there), so relative links stay under the prefix.
  const base = '';
  const links = API_PAGES.map((p) => `<li><a href="${base}api/${p}">api/${p}</a></li>`).join('\n');
  const html = `<!doctype html><meta charset="utf-8"><title>wobserver</title>
<h1>wobserver</h1><p>The web UI is not built (npm run build:ui builds it). The JSON API:</p><ul>
${links}
<li><a href="${base}metrics">metrics</a> (Prometheus)</li></ul>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(html);
}
