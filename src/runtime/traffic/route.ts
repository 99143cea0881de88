import type { IncomingMessage } from 'node:http';
import { MAX_ROUTE_LENGTH, PathNormalizer, normalizePath } from './normalize.js';

/**
 * Where a request's route template is tagged on Node's request object, by
 * {@link setRoute} and the framework helpers. `Symbol.for`, so that two
 * copies of wobserver in one process read each other's tags.
 */
export const ROUTE: unique symbol = Symbol.for('wobserver.traffic.route') as never;

type Tagged = IncomingMessage & { [ROUTE]?: string };

/** Express's mount paths are the URL's own text (`/tenants/42`), not a template: normalized, each once. */
const mounts = new PathNormalizer();

/** What Express (and NestJS on Express) leave on the request: the matched route and the mount path. */
interface ExpressLike {
  route?: { path?: unknown; [JOINED]?: Joined } | null;
  baseUrl?: unknown;
  originalUrl?: unknown;
}

/**
 * Tags Node's request with its route template, for a framework wobserver
 * does not read by itself: the Traffic page and the metrics use it when the
 * response finishes. The first tag wins; later calls are ignored.
 *
 * ```ts
 * server.on('request', (req, res) => { setRoute(req, '/users/:id'); ... });
 * ```
 */
export function setRoute(req: IncomingMessage, route: string): void {
  const r = req as Tagged;
  if (r[ROUTE] === undefined && typeof route === 'string' && route !== '') r[ROUTE] = route;
}

/**
 * The framework's route template of a finished request, or undefined: a
 * {@link setRoute} tag (the Koa and Fastify helpers, Fastify's diagnostics
 * channel), else Express's `req.route.path` after its mount path
 * `req.baseUrl`. Express gives the mount path as matched, not as declared
 * (`/tenants/42` for `app.use('/tenants/:tenant', …)`), so it goes through the
 * normalizer: an id becomes `:id`, another value (`/tenants/acme`) stays.
 */
export function frameworkRoute(req: IncomingMessage): string | undefined {
  const tag = (req as Tagged)[ROUTE];
  if (tag !== undefined) return cut(tag);
  const r = req as IncomingMessage & ExpressLike;
  const route = r.route;
  if (route === undefined || route === null) return undefined;
  const path = route.path;
  if (path === undefined) return undefined;
  if (typeof path !== 'string') return cut(String(path));
  const base = typeof r.baseUrl === 'string' ? r.baseUrl : '';
  // Remembered on Express's route object (one per declared route): the same
  // route under the same mount path costs no string work and gives the same
  // string, whose hash V8 keeps, to the lookups that follow.
  let joined = route[JOINED];
  if (joined === undefined || joined.base !== base) {
    joined = route[JOINED] = {
      base,
      route: cut(base === '' ? path : join(mounts.normalize(base), path)),
      own: /[*?{}()]/.test(path) ? -1 : path === '/' ? 0 : path.split('/').length - 1,
    };
  }
  if (base !== '' || joined.own < 0) return joined.route;
  const url = typeof r.originalUrl === 'string' ? r.originalUrl : r.url ?? '';
  return segmentCount(url) > joined.own ? cut(join(lostMount(url, joined.own), path)) : joined.route;
}

/** What {@link frameworkRoute} keeps on an Express route object. */
interface Joined {
  base: string;
  route: string;
  /** Segments of the route's own path, or -1 when they cannot be counted (wildcards, optional parts). */
  own: number;
}

const JOINED = Symbol('wobserver.traffic.joined');

/** Segments of a URL's path (`/a/b?c` has 2), a trailing slash not counted. */
function segmentCount(url: string): number {
  let n = 0;
  let i = 0;
  for (; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) break;
    if (c === 47 /* / */) n++;
  }
  // `/` alone has none; `/a/` has one.
  return i >= 1 && url.charCodeAt(i - 1) === 47 ? n - 1 : n;
}

/**
 * The mount path of a route whose router Express left before the response
 * finished — an error passed to `next()` reaches the application's error
 * handler with `req.baseUrl` reset to `''`, but `req.route` kept: the part of
 * the original URL before the route's own `own` segments, normalized (a
 * mount path with a parameter gives `:id` there).
 */
function lostMount(url: string, own: number): string {
  const q = url.search(/[?#]/);
  let path = q >= 0 ? url.slice(0, q) : url;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const segments = path.split('/');
  const mount = segments.length - 1 - own;
  return mount > 0 ? normalizePath(segments.slice(0, mount + 1).join('/')) : '';
}

function join(base: string, path: string): string {
  if (base === '') return path;
  return path === '/' ? base : base + path;
}

function cut(route: string): string {
  return route.length > MAX_ROUTE_LENGTH ? route.slice(0, MAX_ROUTE_LENGTH) : route;
}

/** The little of a Koa context the helper reads: Node's request, and @koa/router's matched route. */
export interface KoaContextLike {
  req: IncomingMessage;
  _matchedRoute?: unknown;
}

/**
 * Koa middleware that gives @koa/router's matched route (`ctx._matchedRoute`,
 * router prefixes included) to the Traffic page. Use it before the router;
 * it adds one `await` per request.
 *
 * ```ts
 * app.use(koaRoutes());
 * app.use(router.routes());
 * ```
 */
export function koaRoutes(): (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void> {
  return async function wobserverTrafficRoutes(ctx, next) {
    try {
      await next();
    } finally {
      // After the router ran and before Koa writes the response (also when a handler threw).
      const route = ctx._matchedRoute;
      if (typeof route === 'string') setRoute(ctx.req, route);
    }
  };
}

/** The little of a Fastify request the hook reads. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { url?: unknown };
}

/**
 * A Fastify `onRequest` hook that gives the route's URL pattern to the
 * Traffic page before any other hook runs. Without it, Fastify's own
 * diagnostics channel gives the pattern too, but only to requests that reach
 * their handler (not to one a hook answered, such as a 401).
 *
 * ```ts
 * app.addHook('onRequest', fastifyRouteHook);
 * ```
 */
export function fastifyRouteHook(request: FastifyRequestLike, _reply: unknown, done: () => void): void {
  const url = request.routeOptions?.url;
  if (typeof url === 'string') setRoute(request.raw, url);
  done();
}

/** The message of Fastify's `tracing:fastify.request.handler:start` channel (Fastify 5). */
interface FastifyHandlerStart {
  request?: { raw?: IncomingMessage };
  route?: { url?: unknown };
}

/** Subscriber of `tracing:fastify.request.handler:start`: tags the raw request with the route's URL pattern. */
export function onFastifyHandler(message: unknown): void {
  const m = message as FastifyHandlerStart;
  const raw = m.request?.raw;
  const url = m.route?.url;
  if (raw !== undefined && typeof url === 'string') setRoute(raw, url);
}
