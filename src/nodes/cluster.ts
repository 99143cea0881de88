import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { Discovery, NodeAddress } from './types.js';
import { OptionError } from '../metrics/errors.js';
import { NodeRequestError } from './node-request-error.js';

/** What the primary asks a worker's agent: a page read (`/api/<topic>...?query`), or a diagnostics action with its query (`?thread=`). */
export type AgentRequest = { op: 'json'; path: string } | { op: 'diagnostics'; action: string; query?: Record<string, string> };

/** Messages between the primary and a worker's agent on the cluster's IPC channel. */
export type AgentMessage =
  | { __wobserver: 'hello'; name: string }
  | ({ __wobserver: 'req'; id: string } & AgentRequest)
  | { __wobserver: 'res'; id: string; ok: true; data: unknown }
  | { __wobserver: 'res'; id: string; ok: false; error: { status: number; code: string; message: string } };

export function isAgentMessage(m: unknown): m is AgentMessage {
  return typeof m === 'object' && m !== null && typeof (m as { __wobserver?: unknown }).__wobserver === 'string';
}

/**
 * The primary's side of the cluster's IPC channel: which workers run an agent
 * (they say hello with their name) and requests to them, each with a timeout.
 * A worker that exits fails what was waiting for it.
 */
class ClusterLink {
  readonly agents = new Map<number, string>();
  readonly #pending = new Map<string, { worker: number; resolve: (m: AgentMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  #installed = false;

  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    cluster.on('message', (worker: Worker, m: unknown) => {
      if (!isAgentMessage(m)) return;
      if (m.__wobserver === 'hello') this.agents.set(worker.id, m.name);
      else if (m.__wobserver === 'res') {
        const p = this.#pending.get(m.id);
        if (p === undefined) return;
        this.#pending.delete(m.id);
        clearTimeout(p.timer);
        p.resolve(m);
      }
    });
    cluster.on('exit', (worker: Worker) => {
      this.agents.delete(worker.id);
      for (const [id, p] of this.#pending) {
        if (p.worker !== worker.id) continue;
        this.#pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new NodeRequestError(502, 'NODE_UNREACHABLE', `worker ${worker.id} exited`));
      }
    });
  }

  request(workerId: number, body: AgentRequest, timeoutMs: number): Promise<AgentMessage> {
    const worker = cluster.workers?.[workerId];
    if (worker === undefined || !worker.isConnected()) {
      return Promise.reject(new NodeRequestError(502, 'NODE_UNREACHABLE', `worker ${workerId} is gone`));
    }
    const id = randomBytes(8).toString('hex');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new NodeRequestError(504, 'NODE_TIMEOUT', `worker ${workerId} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.#pending.set(id, { worker: workerId, resolve, reject, timer });
      worker.send({ __wobserver: 'req', id, ...body });
    });
  }
}

export const clusterLink = new ClusterLink();

/**
 * The workers of Node's `cluster` module, seen from the primary: every worker
 * whose agent said hello is a node, reached over IPC. A worker that dies and is
 * replaced shows up as a new node.
 */
export function clusterDiscovery(): Discovery {
  if (!cluster.isPrimary) throw new OptionError('cluster discovery runs in the primary; workers run startClusterAgent()');
  clusterLink.install();
  return {
    kind: 'cluster',
    async discover(): Promise<NodeAddress[]> {
      return [...clusterLink.agents].map(([id, name]) => ({ host: 'ipc', port: id, ipc: id, name }));
    },
  };
}
