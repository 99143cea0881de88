import { Applications, type ApplicationsInfo } from './applications.js';
import { CustomPages } from './custom-pages.js';
import { Diagnostics, type DiagnosticsOptions } from './diagnostics.js';
import { LoadSampler, type LoadOptions } from './load.js';
import { type MemoryInfo, memoryInfo } from './memory.js';
import { type PortsInfo, type PortsOptions, portsInfo } from './ports.js';
import { type ProcessDetail, ProcessTracker, type ProcessesInfo } from './processes.js';
import { type RedactOptions, type Redactor, createRedactor } from './redact.js';
import { SocketTracker } from './sockets.js';
import { type SystemInfo, systemInfo } from './system.js';
import { TableRegistry } from './tables.js';
import { LogCapture, type LogsOptions } from './logs/index.js';
import { TrafficTracker, type TrafficOptions } from './traffic/index.js';
import { type EventLoopOptions, EventLoopWatchdog } from './watchdog/index.js';

export interface ObserverOptions {
  /** What counts as a secret (env, argv, headers, URLs). Default: the built-in rule. */
  redact?: RedactOptions;
  /** Load sampler: `interval` (ms, default 1000) and `capacity` (samples, default 300). */
  load?: LoadOptions;
  /** CPU and heap profile limits, the ring of recent profiles (10 profiles, 64 MiB by default) and the optional triggers (all off by default). */
  diagnostics?: DiagnosticsOptions;
  /**
   * The blocked event-loop watchdog: `enabled` (default true), `thresholdMs` (200), `stacks` (true),
   * `events` (100), `capturesPerMinute` (10), `workers` (true). See docs/diagnostics.md.
   */
  eventLoop?: EventLoopOptions;
  /**
   * HTTP traffic in (per route) and out (per host): `enabled` (default true), `routeOf`, `ignore`,
   * `ignoreOutbound`, `maxRoutes` (100), `maxHosts` (50), `windowMs` (10000). See docs/traffic.md.
   */
  traffic?: TrafficOptions;
  /**
   * The log capture and the request logger: `lines` (10000), `bytes` (8 MiB), `sources`, `mark`, …;
   * `false` captures nothing (the Logs page then says so). Default: on. See docs/logs.md.
   */
  logs?: LogsOptions | false;
}

/**
 * Every observer page of one process, as plain functions. Creating it starts
 * only the cheap trackers (socket, worker, child-process and request
 * channels); the load sampler runs only while subscribed. `close()` stops all.
 *
 * ```ts
 * const observer = createObserver();
 * observer.tables.register('sessions', sessions);
 * observer.pages.register({ title: 'Queues', command: 'queues', callback: () => queue.stats() });
 * const system = observer.system();
 * ```
 */
export interface Observer {
  readonly redactor: Redactor;
  readonly load: LoadSampler;
  readonly tables: TableRegistry;
  readonly pages: CustomPages;
  readonly diagnostics: Diagnostics;
  /** Blocked event loops of the main thread and the worker threads, with their stacks; `onBlock(listener)` hears each one. */
  readonly eventLoop: EventLoopWatchdog;
  /** HTTP served per route and made per host; `registerMetrics(registry)` counts it there too. */
  readonly traffic: TrafficTracker;
  /** The process's log lines (`since(seq)`), `pinoDestination()`, `winstonTransport()` and the request logger (`watchRequests(token, listener)`). */
  readonly logs: LogCapture;
  system(): SystemInfo;
  memory(): MemoryInfo;
  applications(options?: { refresh?: boolean }): ApplicationsInfo;
  processes(): ProcessesInfo;
  process(id: string): ProcessDetail | undefined;
  /** Tracks HTTP requests in flight (a small cost per request) until the returned function is called; reference-counted. */
  watchRequests(): () => void;
  ports(options?: PortsOptions): PortsInfo;
  close(): void;
}

export function createObserver(options: ObserverOptions = {}): Observer {
  const redactor = createRedactor(options.redact);
  const sockets = new SocketTracker();
  sockets.start();
  const units = new ProcessTracker(redactor, sockets);
  units.start();
  const load = new LoadSampler(options.load, sockets);
  const apps = new Applications();
  const diagnostics = new Diagnostics(redactor, options.diagnostics);
  const eventLoop = new EventLoopWatchdog(redactor, options.eventLoop);
  // The block trigger (off unless `diagnostics.triggers.block` is configured) listens to the watchdog's blocks.
  diagnostics.connectBlocks((listener) => eventLoop.onBlock(listener));
  const traffic = new TrafficTracker(options.traffic);
  traffic.start();
  const logs = new LogCapture(redactor, options.logs === false ? {} : options.logs);
  if (options.logs !== false) logs.start();
  return {
    redactor,
    load,
    tables: new TableRegistry({ redactor }),
    pages: new CustomPages(),
    diagnostics,
    eventLoop,
    traffic,
    logs,
    system: () => systemInfo(redactor),
    memory: () => memoryInfo(),
    applications: (o) => apps.info(units.list(), o),
    processes: () => units.list(),
    process: (id) => units.detail(id),
    watchRequests: () => units.watchRequests(),
    ports: (o) => portsInfo(sockets, o),
    close() {
      load.close();
      logs.close();
      traffic.close();
      eventLoop.close();
      diagnostics.close();
      units.stop();
      sockets.stop();
    },
  };
}
