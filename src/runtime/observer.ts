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

export interface ObserverOptions {
  /** What counts as a secret (env, argv, headers, URLs). Default: the built-in rule. */
  redact?: RedactOptions;
  /** Load sampler: `interval` (ms, default 1000) and `capacity` (samples, default 300). */
  load?: LoadOptions;
  /** CPU and heap profile limits, the ring of recent profiles (10 profiles, 64 MiB by default) and the optional triggers (all off by default). */
  diagnostics?: DiagnosticsOptions;
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
  // MERGE(watchdog): the block trigger listens to the watchdog's blocks, once `eventLoop` exists here:
  //   diagnostics.connectBlocks((listener) => eventLoop.onBlock(listener));
  // (connectBlocks does nothing unless `diagnostics.triggers.block` is configured.)
  return {
    redactor,
    load,
    tables: new TableRegistry({ redactor }),
    pages: new CustomPages(),
    diagnostics,
    system: () => systemInfo(redactor),
    memory: () => memoryInfo(),
    applications: (o) => apps.info(units.list(), o),
    processes: () => units.list(),
    process: (id) => units.detail(id),
    watchRequests: () => units.watchRequests(),
    ports: (o) => portsInfo(sockets, o),
    close() {
      load.close();
      diagnostics.close();
      units.stop();
      sockets.stop();
    },
  };
}
