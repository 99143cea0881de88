import { type Generator, type PredefinedMetric, createRegistry, type Registry } from '../metrics/index.js';
import type { Discovery, DiscoveryName } from '../nodes/index.js';
import { GraphiteReporter, type PushReporter, StatsdReporter, type StatsdOptions } from '../reporters/index.js';
import { type CustomPage, createObserver, type DiagnosticsOptions, type EventLoopOptions, type LogsOptions, type Observer, type TrafficOptions } from '../runtime/index.js';
import { type MetricsFormat, type StartOptions, type Started, start } from '../server/index.js';
import { type Config, type ConfigValue, type LoadOptions, loadConfig } from './load.js';
import { graphiteFromConfig } from './graphite.js';

export interface Running {
  readonly url: string;
  readonly server: Started;
  readonly registry: Registry;
  readonly observer: Observer;
  readonly reporters: PushReporter[];
  close(): Promise<void>;
}

/** The plain values of one section (`live.maxClients` → `{ maxClients }`), leaving out the named keys. */
function section(c: Config, name: string, except: readonly string[] = []): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(c)) {
    if (!k.startsWith(`${name}.`)) continue;
    const key = k.slice(name.length + 1);
    if (!key.includes('.') && !except.includes(key)) out[key] = v;
  }
  return out;
}

/** The server's options from a configuration. */
export function startOptions(c: Config): StartOptions {
  const o: StartOptions = {};
  if (c.host !== undefined) o.host = c.host as string;
  if (c.port !== undefined) o.port = c.port as number;
  if (c.prefix !== undefined) o.prefix = c.prefix as string;
  if (c.nodeName !== undefined) o.nodeName = c.nodeName as string;
  if (c.insecure !== undefined) o.insecure = c.insecure as boolean;
  if (c.diagnostics !== undefined || c.diagnosticsMinIntervalMs !== undefined) {
    o.diagnostics = { enabled: c.diagnostics === true, ...(c.diagnosticsMinIntervalMs !== undefined ? { minIntervalMs: c.diagnosticsMinIntervalMs as number } : {}) };
  }
  if (c.maxBodyBytes !== undefined) o.maxBodyBytes = c.maxBodyBytes as number;
  if (c.allowedHosts !== undefined) o.allowedHosts = c.allowedHosts as string[];
  if (c.trustProxy !== undefined) o.trustProxy = c.trustProxy as boolean;
  for (const k of ['headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections'] as const) if (c[k] !== undefined) o[k] = c[k] as number;
  const auth: NonNullable<StartOptions['auth']> = {};
  if (c['auth.token'] !== undefined) auth.token = c['auth.token'] as string;
  if (c['auth.basic.username'] !== undefined) auth.basic = { username: c['auth.basic.username'] as string, password: c['auth.basic.password'] as string };
  if (c['auth.metrics'] !== undefined) auth.metrics = c['auth.metrics'] as 'protected' | 'open';
  if (c['auth.sessionMs'] !== undefined) auth.sessionMs = c['auth.sessionMs'] as number;
  if (Object.keys(auth).length > 0) o.auth = auth;
  const nodes: NonNullable<StartOptions['nodes']> = {};
  if (c['nodes.static'] !== undefined) (nodes.discovery = 'static'), (nodes.static = c['nodes.static'] as string[]);
  if (c['nodes.dns.name'] !== undefined) {
    nodes.discovery = 'dns';
    nodes.dns = { name: c['nodes.dns.name'] as string, ...(c['nodes.dns.port'] !== undefined ? { port: c['nodes.dns.port'] as number } : {}), ...(c['nodes.dns.srv'] ? { srv: true } : {}) };
  }
  if (c['nodes.discovery'] !== undefined) nodes.discovery = c['nodes.discovery'] as DiscoveryName;
  if (c['nodes.secret'] !== undefined) nodes.secret = c['nodes.secret'] as string;
  Object.assign(nodes, section(c, 'nodes', ['discovery', 'static']));
  if (Object.keys(nodes).length > 0) o.nodes = nodes;
  const live = section(c, 'live');
  if (Object.keys(live).length > 0) o.live = live as NonNullable<StartOptions['live']>;
  const observer = section(c, 'observer');
  if (Object.keys(observer).length > 0) {
    o.observerOptions = { load: { ...(observer.loadInterval !== undefined ? { interval: observer.loadInterval as number } : {}), ...(observer.loadCapacity !== undefined ? { capacity: observer.loadCapacity as number } : {}) } };
  }
  const profiles = profileOptions(c);
  if (profiles !== undefined) o.observerOptions = { ...o.observerOptions, diagnostics: profiles };
  const eventLoop = section(c, 'eventLoop');
  if (Object.keys(eventLoop).length > 0) o.observerOptions = { ...o.observerOptions, eventLoop: eventLoop as EventLoopOptions };
  const traffic = section(c, 'traffic');
  if (Object.keys(traffic).length > 0) o.observerOptions = { ...o.observerOptions, traffic: traffic as TrafficOptions };
  const logs = logsOptions(c);
  if (logs !== undefined) o.observerOptions = { ...o.observerOptions, logs };
  return o;
}

/** The log capture's options from the `logs.…` settings: false when `logs.enabled` is false; undefined when none is set. */
function logsOptions(c: Config): LogsOptions | false | undefined {
  const { enabled, markParam, markHeader, markCookie, ...rest } = section(c, 'logs');
  if (enabled === false) return false;
  const o = { ...rest } as LogsOptions;
  const name = (v: ConfigValue | undefined): string | false | undefined => (v === undefined ? undefined : v === 'false' ? false : (v as string));
  const mark = { param: name(markParam), header: name(markHeader), cookie: name(markCookie) };
  const given = Object.fromEntries(Object.entries(mark).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length > 0) o.mark = given;
  return Object.keys(o).length > 0 ? o : undefined;
}

/** The observer's ring of recent profiles and its triggers, from the `diagnostics…` settings; undefined when none is set. */
function profileOptions(c: Config): DiagnosticsOptions | undefined {
  const n = (k: string): number | undefined => c[k] as number | undefined;
  const d: DiagnosticsOptions = {};
  if (n('diagnosticsProfileRing') !== undefined) d.profileRing = n('diagnosticsProfileRing');
  if (n('diagnosticsProfileRingBytes') !== undefined) d.profileRingBytes = n('diagnosticsProfileRingBytes');
  const profileMs = n('diagnosticsTriggerProfileMs');
  const triggers: NonNullable<DiagnosticsOptions['triggers']> = {};
  const percent = n('diagnosticsTriggerEluPercent');
  if (percent !== undefined) {
    const forMs = n('diagnosticsTriggerEluForMs');
    triggers.elu = { threshold: percent / 100, ...(forMs !== undefined ? { forMs } : {}), ...(profileMs !== undefined ? { profileMs } : {}) };
  }
  if (c.diagnosticsTriggerBlock === true) triggers.block = profileMs !== undefined ? { profileMs } : true;
  if (n('diagnosticsTriggerMinIntervalMs') !== undefined) triggers.minIntervalMs = n('diagnosticsTriggerMinIntervalMs');
  if (Object.keys(triggers).length > 0) d.triggers = triggers;
  return Object.keys(d).length > 0 ? d : undefined;
}

/**
 * What configuration in code adds besides the options: the Elixir wobserver's extensions.
 * A user's own metrics, pages, formats, discovery and reporters go through the
 * same APIs the built-in ones use.
 */
export interface Extensions {
  /** Additional metrics: `{ name, type, fn, help }`, computed on every scrape and interval. */
  metrics?: PredefinedMetric[];
  /** Generators: each returns a list of `{ name, type, value, labels?, help? }`. */
  generators?: Record<string, Generator>;
  /** Custom pages: `{ title, command, callback, apiOnly, refresh }`. */
  pages?: CustomPage[];
  /** More `/metrics?format=<name>` formats. */
  formats?: Record<string, MetricsFormat>;
  /** A discovery of your own (`{ kind, discover() }`), instead of nodes.discovery. */
  discovery?: Discovery;
  /** Reporters of your own, made from the registry (they get started and stopped with the rest). */
  reporters?: ((registry: Registry) => PushReporter)[];
}

/**
 * Starts everything a configuration asks for: the registry, the observer, the
 * server, and the Graphite and StatsD reporters, with the extensions given in
 * code. What `wobserver/register` and the CLI run.
 */
export async function startFromConfig(load: LoadOptions = {}, ext: Extensions = {}): Promise<Running> {
  const c = loadConfig(load);
  const period = (c['metrics.period'] as number | undefined) ?? 10;
  const registry = createRegistry({
    period: period * 1000,
    ...(c['metrics.maxSeries'] !== undefined ? { maxSeries: c['metrics.maxSeries'] as number } : {}),
    ...(c['metrics.runtimeMetrics'] !== undefined ? { runtimeMetrics: c['metrics.runtimeMetrics'] as boolean } : {}),
    ...(c.nodeName !== undefined ? { node: c.nodeName as string } : {}),
    ...(c['metrics.substitutions'] !== undefined ? { substitutions: c['metrics.substitutions'] as Record<string, string> } : {}),
  });
  const options = startOptions(c);
  const observer = createObserver(options.observerOptions);
  const reporters: PushReporter[] = [];
  let server: Started;
  try {
    for (const m of ext.metrics ?? []) registry.predefine(m);
    for (const [name, fn] of Object.entries(ext.generators ?? {})) registry.addGenerator(name, fn);
    for (const p of ext.pages ?? []) observer.pages.register(p);
    if (ext.discovery !== undefined) options.nodes = { ...(options.nodes ?? {}), discovery: ext.discovery };
    server = await start({ ...options, registry, observer, ...(ext.formats ? { formats: ext.formats } : {}) });
  } catch (err) {
    observer.close();
    registry.close();
    throw err;
  }
  const graphite = graphiteFromConfig(c);
  if (graphite !== undefined) {
    reporters.push(
      new GraphiteReporter(registry, {
        ...graphite,
        ...(c['metrics.substitutions'] !== undefined ? { substitutions: c['metrics.substitutions'] as Record<string, string> } : {}),
      }),
    );
  }
  const statsd = c['statsd.address'] as { host: string; port: number } | undefined;
  if (statsd !== undefined) {
    reporters.push(
      new StatsdReporter(registry, { ...statsd, ...(section(c, 'statsd', ['address']) as StatsdOptions) }),
    );
  }
  for (const make of ext.reporters ?? []) reporters.push(make(registry));
  for (const r of reporters) r.start();
  return {
    url: server.url,
    server,
    registry,
    observer,
    reporters,
    async close() {
      for (const r of reporters) await r.stop(5000);
      await server.close();
      observer.close();
      registry.close();
    },
  };
}
