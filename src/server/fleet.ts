import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { jsonFamily } from '../exporters/json/index.js';
import type { Registry, RegistrySnapshot } from '../metrics/index.js';
import {
  type Discovery,
  type DnsDiscoveryOptions,
  type JsonFamily,
  type NodeAddress,
  type NodeMetricsAnswer,
  NodeDirectory,
  NodeRequestError,
  Verifier,
  DISCOVERY_METHODS,
  DISCOVERY_NAMES,
  type DiscoveryName,
  aggregate,
  discoveryList,
  hostPort,
  isDiscoveryName,
} from '../nodes/index.js';
import { OptionError } from '../errors.js';
import { HttpError } from './http-error.js';

/** Many nodes, one window: how this node finds the others and how they trust each other. */
export interface NodesOptions {
  /** A method of `DISCOVERY_METHODS` by name — `'none'` (default), `'static'`, `'dns'`, `'custom'`, `'cluster'` (in the primary of Node's cluster module) — or a Discovery of your own. */
  discovery?: DiscoveryName | Discovery;
  /** For `static`: `host:port` or URLs (`http://host:port/prefix`). */
  static?: readonly string[];
  /** For `dns`: the name, the port (or `srv: true`), optionally the resolvers. */
  dns?: DnsDiscoveryOptions;
  /** For `custom`: returns nodes (or a promise of them). */
  custom?: () => readonly (string | NodeAddress)[] | Promise<readonly (string | NodeAddress)[]>;
  /** The secret every node shares; without it nodes are listed but not proxied. */
  secret?: string;
  /** How long a discovery result is used. Default: 5000 ms. */
  ttlMs?: number;
  /** How long another node may take to begin answering a proxied request, and may then stay silent: every page, download and `/metrics/node/<node>`, over HTTP, the WebSocket and IPC alike (`504 NODE_TIMEOUT`). Default: 5000 ms. */
  timeoutMs?: number;
  /** Added to `timeoutMs` for a diagnostics action through another node (a heap snapshot or report is made before the first byte). Default: 120000 ms. */
  diagnosticsTimeoutMs?: number;
  /** Signed requests remembered inside `clockWindowMs` (to refuse replays); past it new ones are refused with `503 NODE_BUSY`. Default: 100000. */
  maxNonces?: number;
  /** `/metrics` returns every node's metrics, labelled with `node`. Default: false (then `/metrics?nodes=all` does). */
  aggregateMetrics?: boolean;
  /** How long aggregation waits for a node. Default: 2000 ms. */
  scrapeTimeoutMs?: number;
  /** How far apart two nodes' clocks may be for a signature to count. Default: 30000 ms. */
  clockWindowMs?: number;
}

/**
 * The address a listening server is reached at: its own, except that a
 * wildcard bind (`0.0.0.0`, `::`) is named by the host name, which other
 * machines (and Prometheus) can resolve, where `0.0.0.0` means nothing.
 */
export function listeningAddress(server: Server): { host: string; port: number } {
  const a = server.address();
  if (a === null || typeof a === 'string') return { host: '', port: 0 };
  const { address, port } = a as AddressInfo;
  return { host: address === '0.0.0.0' || address === '::' ? hostname() : address, port };
}

function discoveryOf(o: NodesOptions): Discovery {
  const d = o.discovery ?? (o.static ? 'static' : o.dns ? 'dns' : o.custom ? 'custom' : 'none');
  if (typeof d === 'object') return d;
  if (!isDiscoveryName(d)) throw new OptionError(`nodes.discovery must be ${discoveryList([...DISCOVERY_NAMES, 'a Discovery'])}, got ${JSON.stringify(d)}`);
  const made = DISCOVERY_METHODS[d].create(o);
  if (typeof made === 'string') throw new OptionError(made);
  return made;
}

/** The fleet as this node sees it: the directory of nodes, the verifier of signed requests, aggregated metrics. */
export class Fleet {
  readonly directory: NodeDirectory;
  readonly verifier: Verifier | undefined;
  readonly aggregateMetrics: boolean;
  readonly #scrapeTimeoutMs: number;
  readonly #registry: Registry;
  readonly #nodeName: string;
  readonly #warned = new Set<string>();

  constructor(o: NodesOptions, registry: Registry, nodeName: string, prefix: string) {
    if (o.secret !== undefined && o.secret.length < 16) throw new OptionError('nodes.secret must be at least 16 characters');
    // Cluster workers are reached over IPC, which only this process's own children share: no secret needed for them.
    const secret = o.secret ?? (o.discovery === 'cluster' ? randomBytes(24).toString('base64url') : undefined);
    this.directory = new NodeDirectory({
      discovery: discoveryOf(o),
      localName: nodeName,
      localPrefix: prefix,
      ...(secret ? { secret } : {}),
      ttlMs: o.ttlMs ?? (o.discovery === 'cluster' ? 1000 : 5000),
      timeoutMs: o.timeoutMs ?? 5000,
      ...(o.diagnosticsTimeoutMs !== undefined ? { diagnosticsTimeoutMs: o.diagnosticsTimeoutMs } : {}),
    });
    this.verifier = o.secret === undefined ? undefined : new Verifier(o.secret, { node: nodeName, windowMs: o.clockWindowMs ?? 30_000, maxNonces: o.maxNonces ?? 100_000 });
    this.aggregateMetrics = o.aggregateMetrics === true;
    this.#scrapeTimeoutMs = o.scrapeTimeoutMs ?? 2000;
    this.#registry = registry;
    this.#nodeName = nodeName;
  }

  /**
   * Every node's metrics in one snapshot, labelled with `node`: nodes are asked
   * in parallel, each with a timeout; one that does not answer, answers
   * something it cannot prove (unsigned) or malformed metrics is left out and
   * reported by `wobserver_node_up{node} 0` and
   * `wobserver_node_scrape_error{node,code} 1`, never by failing the scrape.
   */
  async aggregated(): Promise<RegistrySnapshot> {
    const nodes = await this.directory.list();
    const client = this.directory.client;
    const answers = await Promise.all(
      nodes.map(async (n): Promise<NodeMetricsAnswer> => {
        if (n.local) {
          const snap = await this.#registry.collect();
          return { node: n.name, local: snap.families.map(jsonFamily) as unknown as JsonFamily[] };
        }
        if (client === undefined) return { node: n.name, error: 'PROXY_DISABLED' };
        try {
          const body = await client.json<unknown>({ host: n.host, port: n.port, prefix: n.prefix, name: n.name, ...(n.ipc !== undefined ? { ipc: n.ipc } : {}) }, '/api/metrics', { timeoutMs: this.#scrapeTimeoutMs });
          return { node: n.name, body };
        } catch (err) {
          return { node: n.name, error: err instanceof NodeRequestError ? err.code : 'NODE_ERROR' };
        }
      }),
    );
    return this.#merge(answers);
  }

  /** One other node's metrics, labelled with its name (for a cluster worker, which has no `/metrics` of its own). */
  async oneNode(name: string, address: NodeAddress): Promise<RegistrySnapshot> {
    const client = this.directory.client;
    if (client === undefined) throw new HttpError(403, 'PROXY_DISABLED', 'Proxying to other nodes is off');
    const body = await client.json<unknown>(address, '/api/metrics', { timeoutMs: this.#scrapeTimeoutMs });
    const merged = aggregate([{ node: name, body }], Date.now());
    const reason = merged.invalid.get(name);
    if (reason !== undefined) throw new NodeRequestError(502, 'NODE_METRICS_INVALID', `${name} answered invalid metrics: ${reason}`);
    return merged.snapshot;
  }

  #merge(answers: NodeMetricsAnswer[]): RegistrySnapshot {
    const merged = aggregate(answers, Date.now());
    for (const [node, reason] of merged.invalid) {
      // Once per node and reason, not at every scrape.
      const key = `${node}\0${reason}`;
      if (this.#warned.has(key)) continue;
      if (this.#warned.size > 1000) this.#warned.clear();
      this.#warned.add(key);
      process.emitWarning(`wobserver left node ${JSON.stringify(node)} out of the aggregated metrics: ${reason}`, { code: 'WOBSERVER_NODE_METRICS_INVALID' });
    }
    return merged.snapshot;
  }

  /** Where this node listens: the local node is listed (and a Prometheus target) with it. */
  listening(address: { host: string; port: number }): void {
    this.directory.listening(address);
  }

  /** Prometheus HTTP service discovery: one target group per node, labelled with its name. */
  async prometheusTargets(): Promise<unknown> {
    const nodes = await this.directory.list();
    return nodes
      // Cluster workers have no address of their own: the aggregated /metrics carries them.
      .filter((n) => n.port > 0 && n.ipc === undefined)
      .map((n) => ({ targets: [hostPort(n)], labels: { node: n.name, __metrics_path__: `${n.prefix}/metrics` } }));
  }

  get localName(): string {
    return this.#nodeName;
  }
}
