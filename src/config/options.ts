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
  { path: 'auth.token', env: 'WOBSERVER_TOKEN', type: 'secret', doc: 'bearer token for every route' },
  { path: 'auth.basic.username', env: 'WOBSERVER_BASIC_USER', type: 'string', doc: 'HTTP basic user' },
  { path: 'auth.basic.password', env: 'WOBSERVER_BASIC_PASSWORD', type: 'secret', doc: 'HTTP basic password' },
  { path: 'auth.metrics', env: 'WOBSERVER_METRICS_AUTH', type: { oneOf: ['protected', 'open'] }, doc: '/metrics with the same credentials, or open for a scraper' },
  { path: 'metrics.period', env: 'WOBSERVER_PERIOD', type: 'int', min: 1, doc: 'interval length in seconds (default 10)' },
  { path: 'metrics.maxSeries', env: 'WOBSERVER_MAX_SERIES', type: 'int', min: 1, doc: 'cardinality limit per metric (default 10000)' },
  { path: 'metrics.runtimeMetrics', env: 'WOBSERVER_RUNTIME_METRICS', type: 'bool', doc: 'the Node.js runtime metrics (default true)' },
  { path: 'metrics.substitutions', env: 'WOBSERVER_SUBSTITUTIONS', type: 'map', doc: 'name template values, e.g. env=prod,team=core for %env% and %team%' },
  { path: 'live.maxClients', env: 'WOBSERVER_MAX_CLIENTS', type: 'int', min: 1, doc: 'WebSocket and fallback clients at once (default 100)' },
  { path: 'live.heartbeatMs', env: 'WOBSERVER_HEARTBEAT_MS', type: 'int', min: 100, doc: 'heartbeat period of live clients (default 15000)' },
  { path: 'live.allowedOrigins', env: 'WOBSERVER_ALLOWED_ORIGINS', type: 'list', doc: 'origins allowed to open the WebSocket besides the page\'s own host' },
  { path: 'nodes.discovery', env: 'WOBSERVER_DISCOVERY', type: { oneOf: ['none', 'static', 'dns', 'cluster'] }, doc: 'how other nodes are found' },
  { path: 'nodes.static', env: 'WOBSERVER_NODES', type: 'list', doc: 'other nodes, host:port, comma-separated' },
  { path: 'nodes.dns.name', env: 'WOBSERVER_DNS_NAME', type: 'string', doc: 'DNS name of the nodes' },
  { path: 'nodes.dns.port', env: 'WOBSERVER_DNS_PORT', type: 'port', doc: 'their port (A/AAAA records)' },
  { path: 'nodes.dns.srv', env: 'WOBSERVER_DNS_SRV', type: 'bool', doc: 'use SRV records' },
  { path: 'nodes.secret', env: 'WOBSERVER_SECRET', type: 'secret', doc: 'the secret all nodes share (16 characters or more)' },
  { path: 'nodes.aggregateMetrics', env: 'WOBSERVER_AGGREGATE_METRICS', type: 'bool', doc: '/metrics returns every node' },
  { path: 'nodes.ttlMs', env: 'WOBSERVER_DISCOVERY_TTL_MS', type: 'int', min: 100, doc: 'how long a discovery result is used (default 5000)' },
  { path: 'nodes.scrapeTimeoutMs', env: 'WOBSERVER_SCRAPE_TIMEOUT_MS', type: 'int', min: 100, doc: 'how long aggregation waits for a node (default 2000)' },
  { path: 'graphite.address', env: 'WOBSERVER_GRAPHITE', type: 'address', doc: "carbon's plaintext receiver, host:port" },
  { path: 'graphite.prefix', env: 'WOBSERVER_GRAPHITE_PREFIX', type: 'string', doc: 'path prefix template (%node%, %host%, %pid%)' },
  { path: 'graphite.labels', env: 'WOBSERVER_GRAPHITE_LABELS', type: { oneOf: ['segments', 'tags'] }, doc: 'labels as path segments or Graphite tags' },
  { path: 'graphite.maxQueuedPoints', env: 'WOBSERVER_GRAPHITE_MAX_QUEUED', type: 'int', min: 1, doc: 'points kept through an outage (default 500000)' },
  { path: 'statsd.address', env: 'WOBSERVER_STATSD', type: 'address', doc: 'StatsD over UDP, host:port' },
  { path: 'statsd.prefix', env: 'WOBSERVER_STATSD_PREFIX', type: 'string', doc: 'name prefix' },
  { path: 'statsd.tags', env: 'WOBSERVER_STATSD_TAGS', type: { oneOf: ['none', 'dogstatsd'] }, doc: 'labels as name segments or DogStatsD tags' },
  { path: 'statsd.maxPacketBytes', env: 'WOBSERVER_STATSD_MAX_PACKET', type: 'int', min: 64, doc: 'largest UDP payload (default 1432)' },
];
