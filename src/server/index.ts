// The server: wobserver's HTTP side, standalone or mounted.
export { start, isLoopback } from './start.js';
export type { StartOptions, Started } from './start.js';
export { createWobserver } from './wobserver.js';
export type { Wobserver, WobserverOptions } from './wobserver.js';
export { HttpError } from './http-error.js';
export { HTTP_STATUS } from './error-status.js';
export { REQUEST_HEADER } from '../client/index.js';
export { SERVER_LIMITS } from './start.js';
export type { AuthOptions } from './auth.js';
export type { MetricsFormat } from './metrics-route.js';
export type { LiveOptions, LiveStats } from './live.js';
export type { NodesOptions } from './fleet.js';
export { API_PAGES } from './api.js';
export { TOPICS, type Topic } from './topics/index.js';
export { PROTOCOL_VERSION } from './session.js';
export { expressMiddleware, fastifyPlugin, koaMiddleware } from './adapters/index.js';
export { startClusterAgent, type ClusterAgent } from './cluster-agent.js';
