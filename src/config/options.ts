import { CONFIGURABLE_DISCOVERY } from '../nodes/discovery/index.js';
import { GRAPHITE_DEFAULTS as G } from '../reporters/graphite/defaults.js';
import { LOGS_DEFAULTS as L } from '../runtime/logs/options.js';
import { TRAFFIC_DEFAULTS as T } from '../runtime/traffic/options.js';
import { EVENT_LOOP_DEFAULTS as E } from '../runtime/watchdog/options.js';

/** One configurable value: its path in the options object, its environment variable, its type, and what it means. */
export interface OptionSpec {
  path: string;
  env: string;
  type: 'string' | 'secret' | 'port' | 'int' | 'bool' | 'list' | 'map' | 'address' | 'prefix' | { oneOf: readonly string[] };
  /** For `int`: the smallest allowed. */
  min?: number;
  doc: string;
}

/**
 * Every option of every part, with one name each: the same path in the
 * options object and the config file, and one environment variable.
 */
export const OPTIONS: readonly OptionSpec[] = [
  { path: 'host', env: 'WOBSERVER_HOST', type: 'string', doc: 'address to listen on (default 127.0.0.1; anything else needs auth)' },
  { path: 'port', env: 'WOBSERVER_PORT', type: 'port', doc: 'port to listen on (default 4001; 0 picks one)' },
  { path: 'prefix', env: 'WOBSERVER_PREFIX', type: 'prefix', doc: 'URL prefix, e.g. /wobserver' },
  { path: 'nodeName', env: 'WOBSERVER_NODE_NAME', type: 'string', doc: "this node's name (default <host>:<pid>)" },
  { path: 'insecure', env: 'WOBSERVER_INSECURE', type: 'bool', doc: 'listen on a non-loopback address without auth anyway' },
  { path: 'diagnostics', env: 'WOBSERVER_DIAGNOSTICS', type: 'bool', doc: 'allow CPU and heap profiles, heap snapshots and reports' },
  { path: 'diagnosticsMinIntervalMs', env: 'WOBSERVER_SNAPSHOT_INTERVAL_MS', type: 'int', min: 0, doc: 'at most one heap snapshot per this many ms (default 60000)' },
  { path: 'diagnosticsProfileRing', env: 'WOBSERVER_PROFILE_RING', type: 'int', min: 0, doc: 'recent profiles kept for the Diagnostics page (default 10; 0 keeps none)' },
  { path: 'diagnosticsProfileRingBytes', env: 'WOBSERVER_PROFILE_RING_BYTES', type: 'int', min: 0, doc: 'their total size as JSON, oldest dropped first (default 67108864, 64 MiB)' },
  { path: 'diagnosticsTriggerEluPercent', env: 'WOBSERVER_TRIGGER_ELU_PERCENT', type: 'int', min: 1, doc: 'take a CPU profile when event-loop utilization stays at or above this percent (1-100) for diagnosticsTriggerEluForMs (default off)' },
  { path: 'diagnosticsTriggerEluForMs', env: 'WOBSERVER_TRIGGER_ELU_FOR_MS', type: 'int', min: 0, doc: 'how long utilization must stay that high (default 5000)' },
  { path: 'diagnosticsTriggerBlock', env: 'WOBSERVER_TRIGGER_BLOCK', type: 'bool', doc: 'take a CPU profile when the watchdog reports a blocked event loop (default off)' },
  { path: 'diagnosticsTriggerProfileMs', env: 'WOBSERVER_TRIGGER_PROFILE_MS', type: 'int', min: 1, doc: 'length of a triggered profile (default 5000 for utilization, 2000 for a block)' },
  { path: 'diagnosticsTriggerMinIntervalMs', env: 'WOBSERVER_TRIGGER_MIN_INTERVAL_MS', type: 'int', min: 0, doc: 'least time between two triggered profiles (default 60000)' },
  { path: 'maxBodyBytes', env: 'WOBSERVER_MAX_BODY_BYTES', type: 'int', min: 1024, doc: 'largest request body (default 65536)' },
  { path: 'allowedHosts', env: 'WOBSERVER_ALLOWED_HOSTS', type: 'list', doc: 'Host names served besides loopback (name, name:port or .suffix); against DNS rebinding' },
  { path: 'trustProxy', env: 'WOBSERVER_TRUST_PROXY', type: 'bool', doc: 'believe X-Forwarded-Proto from a TLS proxy (the session cookie gets Secure)' },
  { path: 'headersTimeoutMs', env: 'WOBSERVER_HEADERS_TIMEOUT_MS', type: 'int', min: 100, doc: 'a client must send its headers within this time (default 10000)' },
  { path: 'requestTimeoutMs', env: 'WOBSERVER_REQUEST_TIMEOUT_MS', type: 'int', min: 100, doc: 'a client must send its whole request within this time (default 30000)' },
  { path: 'keepAliveTimeoutMs', env: 'WOBSERVER_KEEP_ALIVE_TIMEOUT_MS', type: 'int', min: 100, doc: 'an idle keep-alive connection closes after this time (default 5000)' },
  { path: 'maxConnections', env: 'WOBSERVER_MAX_CONNECTIONS', type: 'int', min: 1, doc: 'connections at once, WebSockets included (default 256)' },
  { path: 'auth.token', env: 'WOBSERVER_TOKEN', type: 'secret', doc: 'bearer token for every route' },
  { path: 'auth.basic.username', env: 'WOBSERVER_BASIC_USER', type: 'string', doc: 'HTTP basic user' },
  { path: 'auth.basic.password', env: 'WOBSERVER_BASIC_PASSWORD', type: 'secret', doc: 'HTTP basic password' },
  { path: 'auth.metrics', env: 'WOBSERVER_METRICS_AUTH', type: { oneOf: ['protected', 'open'] }, doc: '/metrics with the same credentials, or open for a scraper' },
  { path: 'auth.sessionMs', env: 'WOBSERVER_SESSION_MS', type: 'int', min: 1000, doc: 'how long a browser sign-in lasts (default 28800000, 8 h)' },
  { path: 'metrics.period', env: 'WOBSERVER_PERIOD', type: 'int', min: 1, doc: 'interval length in seconds (default 10)' },
  { path: 'metrics.maxSeries', env: 'WOBSERVER_MAX_SERIES', type: 'int', min: 1, doc: 'cardinality limit per metric (default 10000)' },
  { path: 'metrics.runtimeMetrics', env: 'WOBSERVER_RUNTIME_METRICS', type: 'bool', doc: 'the Node.js runtime metrics (default true)' },
  { path: 'metrics.substitutions', env: 'WOBSERVER_SUBSTITUTIONS', type: 'map', doc: 'name template values, e.g. env=prod,team=core for %env% and %team%' },
  { path: 'live.maxClients', env: 'WOBSERVER_MAX_CLIENTS', type: 'int', min: 1, doc: 'WebSocket and fallback clients at once (default 100)' },
  { path: 'live.heartbeatMs', env: 'WOBSERVER_HEARTBEAT_MS', type: 'int', min: 100, doc: 'heartbeat period of live clients (default 15000)' },
  { path: 'live.allowedOrigins', env: 'WOBSERVER_ALLOWED_ORIGINS', type: 'list', doc: 'origins allowed to open the WebSocket besides the page\'s own host' },
  { path: 'live.maxBufferedBytes', env: 'WOBSERVER_MAX_BUFFERED_BYTES', type: 'int', min: 1024, doc: 'a client with more unsent bytes is dropped (default 4 MiB)' },
  { path: 'live.maxMessageBytes', env: 'WOBSERVER_MAX_MESSAGE_BYTES', type: 'int', min: 256, doc: 'largest client message (default 65536)' },
  { path: 'live.maxSubscriptions', env: 'WOBSERVER_MAX_SUBSCRIPTIONS', type: 'int', min: 1, doc: 'subscriptions per client (default 64)' },
  { path: 'live.minEvery', env: 'WOBSERVER_MIN_EVERY_MS', type: 'int', min: 50, doc: 'fastest push rate in ms (default 250)' },
  { path: 'observer.loadInterval', env: 'WOBSERVER_LOAD_INTERVAL_MS', type: 'int', min: 10, doc: 'the load sampler period in ms (default 1000)' },
  { path: 'observer.loadCapacity', env: 'WOBSERVER_LOAD_CAPACITY', type: 'int', min: 1, doc: 'load samples kept (default 300)' },
  { path: 'eventLoop.enabled', env: 'WOBSERVER_EVENT_LOOP', type: 'bool', doc: `the blocked event-loop watchdog (default ${E.enabled})` },
  { path: 'eventLoop.thresholdMs', env: 'WOBSERVER_EVENT_LOOP_THRESHOLD_MS', type: 'int', min: 10, doc: `a loop that has not turned for longer is blocked, in ms (default ${E.thresholdMs})` },
  { path: 'eventLoop.stacks', env: 'WOBSERVER_EVENT_LOOP_STACKS', type: 'bool', doc: `capture the blocked thread's stack through the inspector (default ${E.stacks})` },
  { path: 'eventLoop.events', env: 'WOBSERVER_EVENT_LOOP_EVENTS', type: 'int', min: 1, doc: `blocks kept in the ring of latest events (default ${E.events})` },
  { path: 'eventLoop.capturesPerMinute', env: 'WOBSERVER_EVENT_LOOP_CAPTURES_PER_MINUTE', type: 'int', min: 0, doc: `stacks captured a minute at most; past it only durations (default ${E.capturesPerMinute})` },
  { path: 'eventLoop.workers', env: 'WOBSERVER_EVENT_LOOP_WORKERS', type: 'bool', doc: `watch worker threads too (default ${E.workers})` },
  { path: 'traffic.enabled', env: 'WOBSERVER_TRAFFIC', type: 'bool', doc: `HTTP traffic in per route and out per host, and its metrics (default ${T.enabled})` },
  { path: 'traffic.maxRoutes', env: 'WOBSERVER_TRAFFIC_MAX_ROUTES', type: 'int', min: 1, doc: `distinct inbound routes kept; later ones under (overflow) (default ${T.maxRoutes})` },
  { path: 'traffic.maxHosts', env: 'WOBSERVER_TRAFFIC_MAX_HOSTS', type: 'int', min: 1, doc: `distinct outbound hosts kept; later ones under (overflow) (default ${T.maxHosts})` },
  { path: 'traffic.windowMs', env: 'WOBSERVER_TRAFFIC_WINDOW_MS', type: 'int', min: 1000, doc: `length of a window of the Traffic page's live numbers and history, in ms (default ${T.windowMs})` },
  { path: 'logs.enabled', env: 'WOBSERVER_LOGS', type: 'bool', doc: 'capture the log lines for the Logs page and the request logger (default true)' },
  { path: 'logs.lines', env: 'WOBSERVER_LOGS_LINES', type: 'int', min: 1, doc: `lines kept in the ring (default ${L.lines})` },
  { path: 'logs.bytes', env: 'WOBSERVER_LOGS_BYTES', type: 'int', min: 1024, doc: `bytes of the kept lines (default ${L.bytes}, 8 MiB)` },
  { path: 'logs.sources', env: 'WOBSERVER_LOGS_SOURCES', type: 'list', doc: 'what is captured, of console, stdout, stderr, pino, winston (default all)' },
  { path: 'logs.markParam', env: 'WOBSERVER_LOGS_MARK_PARAM', type: 'string', doc: `the request logger's query parameter (default ${L.mark.param}; "false" for none)` },
  { path: 'logs.markHeader', env: 'WOBSERVER_LOGS_MARK_HEADER', type: 'string', doc: `the request logger's header (default ${L.mark.header}; "false" for none)` },
  { path: 'logs.markCookie', env: 'WOBSERVER_LOGS_MARK_COOKIE', type: 'string', doc: `the request logger's cookie (default ${L.mark.cookie}; "false" for none)` },
  { path: 'nodes.discovery', env: 'WOBSERVER_DISCOVERY', type: { oneOf: CONFIGURABLE_DISCOVERY }, doc: 'how other nodes are found' },
  { path: 'nodes.static', env: 'WOBSERVER_NODES', type: 'list', doc: 'other nodes, host:port, comma-separated' },
  { path: 'nodes.dns.name', env: 'WOBSERVER_DNS_NAME', type: 'string', doc: 'DNS name of the nodes' },
  { path: 'nodes.dns.port', env: 'WOBSERVER_DNS_PORT', type: 'port', doc: 'their port (A/AAAA records)' },
  { path: 'nodes.dns.srv', env: 'WOBSERVER_DNS_SRV', type: 'bool', doc: 'use SRV records' },
  { path: 'nodes.secret', env: 'WOBSERVER_SECRET', type: 'secret', doc: 'the secret all nodes share (16 characters or more)' },
  { path: 'nodes.aggregateMetrics', env: 'WOBSERVER_AGGREGATE_METRICS', type: 'bool', doc: '/metrics returns every node' },
  { path: 'nodes.ttlMs', env: 'WOBSERVER_DISCOVERY_TTL_MS', type: 'int', min: 100, doc: 'how long a discovery result is used (default 5000)' },
  { path: 'nodes.scrapeTimeoutMs', env: 'WOBSERVER_SCRAPE_TIMEOUT_MS', type: 'int', min: 100, doc: 'how long aggregation waits for a node (default 2000)' },
  { path: 'nodes.timeoutMs', env: 'WOBSERVER_NODE_TIMEOUT_MS', type: 'int', min: 100, doc: 'how long a proxied request waits for another node to answer, and between its bytes (default 5000)' },
  { path: 'nodes.diagnosticsTimeoutMs', env: 'WOBSERVER_NODE_DIAGNOSTICS_TIMEOUT_MS', type: 'int', min: 0, doc: 'added to timeoutMs for a diagnostics action through another node (default 120000)' },
  { path: 'nodes.maxNonces', env: 'WOBSERVER_MAX_NONCES', type: 'int', min: 1, doc: 'signed requests remembered per clock window; past it new ones get 503 NODE_BUSY (default 100000)' },
  { path: 'nodes.clockWindowMs', env: 'WOBSERVER_CLOCK_WINDOW_MS', type: 'int', min: 1000, doc: 'how far apart nodes\' clocks may be for a signature (default 30000)' },
  { path: 'graphite.address', env: 'WOBSERVER_GRAPHITE', type: 'address', doc: "carbon's plaintext receiver, host:port" },
  { path: 'graphite.prefix', env: 'WOBSERVER_GRAPHITE_PREFIX', type: 'string', doc: 'path prefix template (%node%, %host%, %pid%)' },
  { path: 'graphite.labels', env: 'WOBSERVER_GRAPHITE_LABELS', type: { oneOf: ['segments', 'tags'] }, doc: 'labels as path segments or Graphite tags' },
  { path: 'graphite.maxQueuedPoints', env: 'WOBSERVER_GRAPHITE_MAX_QUEUED', type: 'int', min: 1, doc: `points kept through an outage (default ${G.maxQueuedPoints})` },
  { path: 'graphite.maxQueuedAgeMs', env: 'WOBSERVER_GRAPHITE_MAX_AGE_MS', type: 'int', min: 1000, doc: `oldest point kept, in ms (default ${G.maxQueuedAgeMs})` },
  { path: 'graphite.connectTimeoutMs', env: 'WOBSERVER_GRAPHITE_CONNECT_TIMEOUT_MS', type: 'int', min: 100, doc: `connect timeout (default ${G.connectTimeoutMs})` },
  { path: 'graphite.sendTimeoutMs', env: 'WOBSERVER_GRAPHITE_SEND_TIMEOUT_MS', type: 'int', min: 100, doc: `a chunk carbon does not take in this time ends the connection (default ${G.sendTimeoutMs})` },
  { path: 'graphite.resendWindowMs', env: 'WOBSERVER_GRAPHITE_RESEND_WINDOW_MS', type: 'int', min: 0, doc: `how long a connection must outlive written points before they are forgotten (default ${G.resendWindowMs}, at least 2 periods)` },
  { path: 'graphite.stallMs', env: 'WOBSERVER_GRAPHITE_STALL_MS', type: 'int', min: 10, doc: `bytes unacknowledged or a write waiting this long: carbon stalled, nothing leaves the resend window (default ${G.stallMs})` },
  { path: 'graphite.retryMinMs', env: 'WOBSERVER_GRAPHITE_RETRY_MIN_MS', type: 'int', min: 10, doc: `reconnection back-off start (default ${G.retryMinMs})` },
  { path: 'graphite.retryMaxMs', env: 'WOBSERVER_GRAPHITE_RETRY_MAX_MS', type: 'int', min: 10, doc: `reconnection back-off ceiling (default ${G.retryMaxMs})` },
  { path: 'statsd.address', env: 'WOBSERVER_STATSD', type: 'address', doc: 'StatsD over UDP, host:port' },
  { path: 'statsd.prefix', env: 'WOBSERVER_STATSD_PREFIX', type: 'string', doc: 'name prefix' },
  { path: 'statsd.tags', env: 'WOBSERVER_STATSD_TAGS', type: { oneOf: ['none', 'dogstatsd'] }, doc: 'labels as name segments or DogStatsD tags' },
  { path: 'statsd.maxPacketBytes', env: 'WOBSERVER_STATSD_MAX_PACKET', type: 'int', min: 64, doc: 'largest UDP payload (default 1432)' },
  { path: 'statsd.maxQueuedPoints', env: 'WOBSERVER_STATSD_MAX_QUEUED', type: 'int', min: 1, doc: 'points kept while sends fail (default 100000)' },
  { path: 'statsd.maxQueuedAgeMs', env: 'WOBSERVER_STATSD_MAX_AGE_MS', type: 'int', min: 1000, doc: 'oldest point kept, in ms (default 60000)' },
];
