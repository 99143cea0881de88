import { type IncomingMessage, request } from 'node:http';
import { clusterLink } from './cluster.js';
import { sign } from './signing.js';
import type { NodeAddress } from './types.js';

export interface NodeClientOptions {
  /** The shared secret that signs every request. */
  secret: string;
  /** This node's name, sent as who signs. */
  from: string;
  /** Default: 5000. */
  timeoutMs?: number;
}

/** An error another node answered, or why it could not be reached. */
export class NodeRequestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'NodeRequestError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Requests to other nodes: signed HTTP, or the cluster's IPC channel for a
 * cluster worker. Only its own headers go out (the
 * browser's credentials never leave this node); answers stream back.
 */
export class NodeClient {
  readonly #o: NodeClientOptions;

  constructor(o: NodeClientOptions) {
    this.#o = o;
  }

  /** A request to a cluster worker's agent over IPC; its error answer becomes a NodeRequestError. */
  async ipc(workerId: number, body: { op: 'json'; path: string } | { op: 'diagnostics'; action: string }, timeoutMs?: number): Promise<unknown> {
    let m;
    try {
      m = await clusterLink.request(workerId, body, timeoutMs ?? this.#o.timeoutMs ?? 5000);
    } catch (err) {
      const e = err as { status?: number; code?: string; message: string };
      throw new NodeRequestError(e.status ?? 502, e.code ?? 'NODE_UNREACHABLE', e.message);
    }
    if (m.__wobserver !== 'res') throw new NodeRequestError(502, 'NODE_BAD_ANSWER', 'unexpected message from the worker');
    if (!m.ok) throw new NodeRequestError(m.error.status, m.error.code, m.error.message);
    return m.data;
  }

  /** Sends a signed request; resolves with the response (any status), rejects when the node cannot be reached. */
  send(node: NodeAddress, method: string, path: string, o: { headers?: Record<string, string>; body?: Buffer; timeoutMs?: number } = {}): Promise<IncomingMessage> {
    const full = `${node.prefix ?? ''}${path}`;
    const timeout = o.timeoutMs ?? this.#o.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: node.host,
          port: node.port,
          method,
          path: full,
          headers: { ...(o.headers ?? {}), ...sign(this.#o.secret, method, full, this.#o.from), ...(o.body ? { 'content-length': String(o.body.length) } : {}) },
          timeout,
        },
        resolve,
      );
      req.on('timeout', () => req.destroy(new NodeRequestError(504, 'NODE_TIMEOUT', `No answer from ${node.host}:${node.port} within ${timeout} ms`)));
      req.on('error', (err) => reject(err instanceof NodeRequestError ? err : new NodeRequestError(502, 'NODE_UNREACHABLE', `Cannot reach ${node.host}:${node.port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
      req.end(o.body);
    });
  }

  /** GETs JSON; a node's error answer becomes a NodeRequestError with its code. */
  async json<T>(node: NodeAddress, path: string, timeoutMs?: number): Promise<T> {
    if (node.ipc !== undefined) return (await this.ipc(node.ipc, { op: 'json', path }, timeoutMs)) as T;
    const res = await this.send(node, 'GET', path, { headers: { accept: 'application/json' }, timeoutMs });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new NodeRequestError(502, 'NODE_BAD_ANSWER', `${node.host}:${node.port} answered ${res.statusCode} without JSON`);
    }
    if ((res.statusCode ?? 500) >= 400) {
      const e = (body as { error?: { code?: string; message?: string } }).error;
      throw new NodeRequestError(res.statusCode ?? 502, e?.code ?? 'NODE_ERROR', e?.message ?? `HTTP ${res.statusCode}`);
    }
    return body as T;
  }
}
