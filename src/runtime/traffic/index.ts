// HTTP traffic in and out: per route and per destination host, from Node's diagnostics channels.
export { TrafficTracker } from './tracker.js';
export { TRAFFIC_DEFAULTS, resolveTrafficOptions } from './options.js';
export { TRAFFIC_HISTORY } from './window.js';
export type { OutboundTarget, ResolvedTrafficOptions, TrafficOptions } from './options.js';
export { ROUTE, fastifyRouteHook, frameworkRoute, koaRoutes, setRoute } from './route.js';
export type { FastifyRequestLike, KoaContextLike } from './route.js';
export { ID_SEGMENT, MAX_ROUTE_LENGTH, PathNormalizer, isIdSegment, normalizePath } from './normalize.js';
export { OVERFLOW_ROUTE } from './inbound.js';
export { OVERFLOW_HOST } from './outbound.js';
export { errorCode } from './error-code.js';
export {
  INBOUND_BUCKETS,
  INBOUND_METRIC,
  OUTBOUND_BUCKETS,
  OUTBOUND_ERRORS_METRIC,
  OUTBOUND_METRIC,
  registerTrafficMetrics,
} from './metrics.js';
export type { TrafficMetrics } from './metrics.js';
