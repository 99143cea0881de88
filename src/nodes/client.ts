import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentRequest, clusterLink } from './cluster.js';
import { NodeRequestError } from './node-request-error.js';
import { SIGNATURE_HEADERS, answerHead, sign, verifyAnswer } from './signing.js';
import type { NodeAddress } from './types.js';
import { hostPort } from './types.js';

export interface NodeClientOptions {
  /** The shared secret that signs every request and checks every answer. */
  secret: string;
  /** This node's name, sent as who signs. */
  from: string;
  /** How long another node may take to begin its answer, and may then stay silent. Default: 5000. */
  timeoutMs?: number;
  /** Added to `timeoutMs` for a diagnostics action, which works before it answers (a heap snapshot is written first). Default: 120000. */
  diagnosticsTimeoutMs?: number;
  /** Largest answer buffered in memory (JSON); a download is spooled to a file instead. Default: 64 MiB. */
  maxAnswerBytes?: number;
}

/** A signed answer whose signature was checked: in memory, or spooled to a file (a download) that the caller streams and deletes. */
export type NodeAnswer = { status: number; headers: IncomingHttpHeaders; contentType: string } & ({ body: Buffer } | { file: string; bytes: number });

export interface SendOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The node the request is signed for. Default: the address's name (`''` without one, which only the `/api/about` probe may use). */
  to?: string;
}

export { NodeRequestError };

const DEFAULT_MAX_ANSWER = 64 * 1024 * 1024;

/**
 * Requests to other nodes: signed HTTP, or the cluster's IPC channel for a
 * cluster worker. Only its own headers go out (the browser's credentials
 * never leave this node). Every answer must be signed by the other node over
 * this request's nonce, its status, content type and body: it is received
 * whole (JSON in memory, bounded; a download spooled to a file while hashed)
 * and checked before anything of it is handed on.
 */
export class NodeClient {
  readonly #o: NodeClientOptions;

  constructor(o: NodeClientOptions) {
    this.#o = o;
  }

  /** The timeout of every proxied request (`nodes.timeoutMs`). */
  get timeoutMs(): number {
    return this.#o.timeoutMs ?? 5000;
  }

  /** The timeout of a diagnostics action through another node: `timeoutMs` plus `diagnosticsTimeoutMs`. */
  get diagnosticsTimeoutMs(): number {
    return this.timeoutMs + (this.#o.diagnosticsTimeoutMs ?? 120_000);
  }

  /** A request to a cluster worker's agent over IPC; its error answer becomes a NodeRequestError. */
  async ipc(workerId: number, body: AgentRequest, timeoutMs?: number): Promise<unknown> {
    let m;
    try {
      m = await clusterLink.request(workerId, body, timeoutMs ?? this.timeoutMs);
    } catch (err) {
      const e = err as { status?: number; code?: string; message: string };
      throw new NodeRequestError(e.status ?? 502, e.code ?? 'NODE_UNREACHABLE', e.message);
    }
    if (m.__wobserver !== 'res') throw new NodeRequestError(502, 'NODE_BAD_ANSWER', 'unexpected message from the worker');
    if (!m.ok) throw new NodeRequestError(m.error.status, m.error.code, m.error.message);
    return m.data;
  }

  /**
   * Sends a signed request and resolves with its answer (any status) once the
   * answer's signature is checked; rejects with a NodeRequestError when the
   * node cannot be reached (`502 NODE_UNREACHABLE`), is silent for the timeout
   * (`504 NODE_TIMEOUT`), answers unsigned (`502 NODE_ANSWER_UNSIGNED`), with a
   * wrong signature (`502 NODE_ANSWER_INVALID`) or too much to buffer
   * (`502 NODE_ANSWER_TOO_LARGE`). An answer with `content-disposition:
   * attachment` is spooled to a temporary file (deleted here if it fails).
   */
  async fetch(node: NodeAddress, method: string, path: string, o: SendOptions = {}): Promise<NodeAnswer> {
    const full = `${node.prefix ?? ''}${path}`;
    const timeout = o.timeoutMs ?? this.timeoutMs;
    const where = hostPort(node);
    const signed = sign(this.#o.secret, method, full, this.#o.from, o.to ?? node.name ?? '');
    const nonce = signed[SIGNATURE_HEADERS.nonce]!;
    let timedOut = false;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        {
          host: node.host,
          port: node.port,
          method,
          path: full,
          // No body: the signature does not cover one, so the other node refuses a signed request with a body.
          headers: { ...(o.headers ?? {}), ...signed, ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-length': '0' }) },
          timeout,
        },
        resolve,
      );
      req.on('timeout', () => {
        timedOut = true;
        req.destroy(new NodeRequestError(504, 'NODE_TIMEOUT', `No answer from ${where} within ${timeout} ms`));
      });
      req.on('error', (err) => reject(err instanceof NodeRequestError ? err : new NodeRequestError(502, 'NODE_UNREACHABLE', `Cannot reach ${where}: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
      req.end();
    });
    const status = res.statusCode ?? 502;
    const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : '';
    const hash = createHash('sha256');
    const spool = /^\s*attachment\b/i.test(String(res.headers['content-disposition'] ?? '')) && status < 300;
    const file = spool ? join(tmpdir(), `wobserver-answer-${process.pid}-${randomBytes(8).toString('hex')}`) : undefined;
    const chunks: Buffer[] = [];
    let bytes = 0;
    const max = this.#o.maxAnswerBytes ?? DEFAULT_MAX_ANSWER;
    try {
      const out = file === undefined ? undefined : createWriteStream(file, { mode: 0o600 });
      // A disk that fails (full, gone) must end this answer, never reach the host as an unhandled 'error'.
      let diskError: Error | undefined;
      out?.on('error', (err) => (diskError = err));
      try {
        for await (const c of res) {
          const b = c as Buffer;
          hash.update(b);
          bytes += b.length;
          if (out === undefined) {
            if (bytes > max) throw new NodeRequestError(502, 'NODE_ANSWER_TOO_LARGE', `${where} answered more than ${max} bytes`);
            chunks.push(b);
          } else if (!out.write(b)) {
            await once(out, 'drain');
          }
          if (diskError !== undefined) throw diskError;
        }
      } finally {
        if (out !== undefined && !out.destroyed) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      if (diskError !== undefined) throw diskError;
      if (!res.complete) throw new Error('aborted');
      const given = res.trailers[SIGNATURE_HEADERS.answer];
      if (given === undefined) throw unsigned(where, status, file === undefined ? Buffer.concat(chunks) : undefined);
      if (!verifyAnswer(this.#o.secret, given, nonce, status, answerHead((h) => res.headers[h]), hash.digest('hex'))) {
        throw new NodeRequestError(502, 'NODE_ANSWER_INVALID', `The answer of ${where} is not signed with the shared secret for this request`);
      }
    } catch (err) {
      res.destroy();
      if (file !== undefined) await unlink(file).catch(() => undefined);
      if (err instanceof NodeRequestError) throw err;
      if (timedOut) throw new NodeRequestError(504, 'NODE_TIMEOUT', `${where} went silent for ${timeout} ms in its answer`);
      throw new NodeRequestError(502, 'NODE_UNREACHABLE', `The answer of ${where} broke off: ${(err as Error).message}`);
    }
    const head = { status, headers: res.headers, contentType };
    return file === undefined ? { ...head, body: Buffer.concat(chunks) } : { ...head, file, bytes };
  }

  /** GETs JSON (signed, the answer checked); a node's error answer becomes a NodeRequestError with its code. */
  async json<T>(node: NodeAddress, path: string, o: { timeoutMs?: number; to?: string } = {}): Promise<T> {
    if (node.ipc !== undefined) return (await this.ipc(node.ipc, { op: 'json', path }, o.timeoutMs)) as T;
    const answer = await this.fetch(node, 'GET', path, { headers: { accept: 'application/json' }, ...o });
    if (!('body' in answer)) {
      await unlink(answer.file).catch(() => undefined);
      throw new NodeRequestError(502, 'NODE_BAD_ANSWER', `${hostPort(node)} answered a download where JSON was asked for`);
    }
    const body = parseJson(answer);
    if (body === undefined) throw new NodeRequestError(502, 'NODE_BAD_ANSWER', `${hostPort(node)} answered ${answer.status} without JSON`);
    if (answer.status >= 400) {
      const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new NodeRequestError(answer.status, typeof e?.code === 'string' ? e.code : 'NODE_ERROR', typeof e?.message === 'string' ? e.message : `HTTP ${answer.status}`);
    }
    return body as T;
  }
}

/** A JSON content type (`application/json`, with parameters or not): what the API relays and `json()` believes. */
export const JSON_TYPE = /^application\/json\s*(;|$)/i;

function parseJson(answer: { contentType: string; body: Buffer }): unknown {
  if (!JSON_TYPE.test(answer.contentType)) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** An unsigned answer is not believed; its own error code (a node refusing our signature, say) is told, as what it claimed. */
function unsigned(where: string, status: number, body: Buffer | undefined): NodeRequestError {
  let claimed = '';
  try {
    const code = (JSON.parse(body?.toString('utf8') ?? '') as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) claimed = ` ${code}`;
  } catch {
    // Not JSON: nothing to tell.
  }
  return new NodeRequestError(502, 'NODE_ANSWER_UNSIGNED', `${where} answered ${status}${claimed} without a signature: does it share nodes.secret?`);
}
