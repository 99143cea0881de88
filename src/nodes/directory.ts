import { NodeClient, NodeRequestError } from './client.js';
import type { Discovery, NodeAddress, NodeState } from './types.js';
import { hostPort } from './types.js';

export interface DirectoryOptions {
  discovery: Discovery;
  /** This node's name; exactly one node is marked local. */
  localName: string;
  localPrefix: string;
  /** Without it nodes are listed but not asked anything (proxying is off). */
  secret?: string;
  /** How long a discovery result is used before it is refreshed in the background. Default: 5000. */
  ttlMs?: number;
  /** How long a node may take to answer. Default: 2000. */
  timeoutMs?: number;
  /** Added to `timeoutMs` for diagnostics actions. Default: 120000. */
  diagnosticsTimeoutMs?: number;
}

const MIN_REFRESH_MS = 1000;

/**
 * The nodes discovery returns, with their names and states. Results are
 * cached for `ttlMs` and refreshed in the background; a node that stops
 * answering stays listed as down; exactly one node is this one (local).
 */
export class NodeDirectory {
  readonly client: NodeClient | undefined;
  readonly #o: DirectoryOptions;
  #nodes: NodeState[] = [];
  #addresses = new Map<string, NodeAddress>();
  #fresh = 0;
  #refreshing: Promise<void> | undefined;
  #lastError: string | undefined;
  #listening: { host: string; port: number } | undefined;

  constructor(o: DirectoryOptions) {
    this.#o = o;
    this.client =
      o.secret === undefined
        ? undefined
        : new NodeClient({ secret: o.secret, from: o.localName, timeoutMs: o.timeoutMs ?? 2000, ...(o.diagnosticsTimeoutMs !== undefined ? { diagnosticsTimeoutMs: o.diagnosticsTimeoutMs } : {}) });
  }

  /** Where this node listens (once its server does): the local node is listed with it when discovery does not return this node. */
  listening(address: { host: string; port: number }): void {
    this.#listening = address;
    for (const n of this.#nodes) if (n.local && n.port === 0) Object.assign(n, address);
  }

  get proxying(): boolean {
    return this.client !== undefined;
  }

  get discoveryError(): string | undefined {
    return this.#lastError;
  }

  /** The nodes, refreshed when older than the ttl (the first call waits for it). */
  async list(): Promise<NodeState[]> {
    if (Date.now() - this.#fresh > (this.#o.ttlMs ?? 5000)) {
      const r = this.refresh();
      if (this.#fresh === 0) await r;
    }
    return this.#nodes;
  }

  /** A discovered node by name (never an address the caller chose). */
  async find(name: string): Promise<{ state: NodeState; address: NodeAddress } | undefined> {
    let nodes = await this.list();
    let state = nodes.find((n) => n.name === name);
    if (state === undefined && Date.now() - this.#fresh > MIN_REFRESH_MS) {
      // Perhaps new since the last refresh; at most one refresh a second, so that
      // requests for made-up names cannot make this node probe the fleet on every call.
      await this.refresh();
      nodes = this.#nodes;
      state = nodes.find((n) => n.name === name);
    }
    if (state === undefined || state.local) return state === undefined ? undefined : { state, address: { host: state.host, port: state.port, prefix: state.prefix } };
    return { state, address: this.#addresses.get(name) ?? { host: state.host, port: state.port, prefix: state.prefix, name: state.name, ...(state.ipc !== undefined ? { ipc: state.ipc } : {}) } };
  }

  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    let found: NodeAddress[];
    try {
      found = await this.#o.discovery.discover();
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = (err as Error).message;
      this.#fresh = Date.now();
      return;
    }
    const seen = new Map<string, NodeState>();
    const addresses = new Map<string, NodeAddress>();
    const previous = new Map(this.#nodes.map((n) => [`${hostPort(n)}${n.prefix}`, n]));
    await Promise.all(
      found.map(async (a) => {
        const key = `${hostPort(a)}${a.prefix ?? ''}`;
        const before = previous.get(key);
        let state: NodeState = { name: before?.name ?? a.name ?? hostPort(a), host: a.host, port: a.port, prefix: a.prefix ?? '', local: false, state: 'unknown', ...(a.ipc !== undefined ? { ipc: a.ipc } : {}) };
        if (this.client !== undefined) {
          try {
            // Signed for no destination: the name is what it tells (its answer is signed over this request's nonce).
            const about = await this.client.json<{ node?: unknown }>(a, '/api/about', { timeoutMs: this.#o.timeoutMs ?? 2000, to: '' });
            if (typeof about?.node !== 'string' || about.node === '' || about.node.length > 200) throw new NodeRequestError(502, 'NODE_BAD_ANSWER', `${hostPort(a)} answered /api/about without a node name`);
            state = { ...state, name: about.node, state: 'up', lastSeen: Date.now() };
          } catch (err) {
            state = { ...state, state: 'down', error: err instanceof NodeRequestError ? `${err.code}: ${err.message}` : String(err), ...(before?.lastSeen ? { lastSeen: before.lastSeen } : {}) };
          }
        }
        if (state.name === this.#o.localName) state = { ...state, local: true, state: 'up' };
        if (!seen.has(state.name)) {
          seen.set(state.name, state);
          // Requests to it are signed for the name it told (a request signed for it is refused elsewhere).
          addresses.set(state.name, { ...a, name: state.name });
        }
      }),
    );
    // Nodes that discovery no longer returns are gone; this node is always there, once.
    if (![...seen.values()].some((n) => n.local)) {
      seen.set(this.#o.localName, { name: this.#o.localName, host: this.#listening?.host ?? '', port: this.#listening?.port ?? 0, prefix: this.#o.localPrefix, local: true, state: 'up', lastSeen: Date.now() });
    }
    this.#nodes = [...seen.values()].sort((x, y) => Number(y.local) - Number(x.local) || x.name.localeCompare(y.name));
    this.#addresses = addresses;
    this.#fresh = Date.now();
  }
}
