import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeAddress } from '../nodes/index.js';
import type { Observer } from '../runtime/index.js';
import { type DiagnosticGuard, type DiagnosticResult, diagnosticMethod, diagnosticsDisabled, runDiagnostic } from './diagnostic-actions.js';
import { HttpError, sendJson } from './http-error.js';
import { API_TYPES, pick, relay } from './relay.js';
import { TOPICS, type Topic, type Topics, isTopic, topicDefinition } from './topics/index.js';

/** The pages under `/api/`, in the order the index lists them. */
export const API_PAGES = TOPICS;

export interface ApiContext {
  readonly topics: Topics;
  readonly observer: Observer;
  readonly diagnostics: { readonly enabled: boolean; readonly minIntervalMs: number };
  /** What a topic leases (the load sampler, request tracking) stays on this long after its last read. */
  readonly leaseMs: number;
}

/** Headers of another node's answer that go back to the browser. */
const PASSED_BACK = ['content-type', 'content-disposition', 'content-length', 'cache-control', 'content-encoding'];

/**
 * Answers `/api/...` (the path after the prefix, split in segments). A node
 * segment may come first: `local` or this node's own name answer here; a
 * discovered node gets the request forwarded, signed, and its answer streamed
 * back (JSON, downloads alike); any other name is `404 NODE_NOT_FOUND`.
 */
export class Api {
  readonly #ctx: ApiContext;
  readonly #leases = new Map<Topic, { release: () => void; timer: NodeJS.Timeout | undefined }>();
  readonly #guard: DiagnosticGuard;

  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
    this.#guard = { ...ctx.diagnostics, lastSnapshot: 0 };
  }

  async handle(req: IncomingMessage, res: ServerResponse, segments: string[], query: URLSearchParams, body: Buffer = Buffer.alloc(0)): Promise<void> {
    let [page, ...rest] = segments;
    if (page !== undefined && !isTopic(page)) {
      const target = await this.#ctx.topics.resolve(page);
      [page, ...rest] = rest;
      if (!target.local) return this.#forward(req, res, target.address, ['api', ...(page === undefined ? [] : [page]), ...rest], query);
    }
    if (page === undefined) {
      sendJson(res, 200, { pages: API_PAGES });
      return;
    }
    if (!isTopic(page)) throw notFound(segments);
    const method = req.method ?? 'GET';
    if (page === 'diagnostics' && rest.length > 0) return this.#diagnostics(res, rest, method, query);
    if (method !== 'GET' && method !== 'HEAD') throw notAllowed(method, 'GET');
    const params: Record<string, string> = Object.fromEntries(query);
    const def = topicDefinition(page);
    const route = rest.length === 1 && def.routes !== undefined && Object.hasOwn(def.routes, rest[0]!) ? def.routes[rest[0]!] : undefined;
    if (route !== undefined) return void sendJson(res, 200, await route(this.#ctx.topics.context));
    const named = def.item;
    if (rest.length > (named === undefined ? 0 : 1)) throw notFound(segments);
    if (named !== undefined && rest.length === 1) params[named] = rest[0]!;
    this.#lease(page);
    sendJson(res, 200, await this.#ctx.topics.read(page, params));
  }

  /** Forwards a request to another node, signed, and relays its checked answer; the browser's own headers and body stay here (no route between nodes takes a body). */
  async #forward(req: IncomingMessage, res: ServerResponse, address: NodeAddress, segments: string[], query: URLSearchParams): Promise<void> {
    const qs = query.toString();
    const path = `/${segments.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
    if (address.ipc !== undefined) return this.#forwardIpc(req, res, address.ipc, segments, path, query);
    const client = this.#ctx.topics.client();
    await relay(res, client, address, {
      method: req.method ?? 'GET',
      path,
      headers: pick(req.headers, ['accept']),
      back: PASSED_BACK,
      types: API_TYPES,
      // One rule: nodes.timeoutMs for every proxied request; a diagnostics action works before it answers, so it gets diagnosticsTimeoutMs more.
      timeoutMs: segments[1] === 'diagnostics' && segments.length > 2 ? client.diagnosticsTimeoutMs : client.timeoutMs,
      extra: { 'x-wobserver-node': address.host },
    });
  }

  /** A cluster worker: reads as JSON over IPC, diagnostics (their query too) as their result (a heap snapshot's file is on this host). */
  async #forwardIpc(req: IncomingMessage, res: ServerResponse, workerId: number, segments: string[], path: string, query: URLSearchParams): Promise<void> {
    const client = this.#ctx.topics.client();
    const method = req.method ?? 'GET';
    if (segments[1] === 'diagnostics' && segments.length > 2) {
      const action = segments.slice(2).join('/');
      checkMethod(method, diagnosticMethod(action));
      return sendDiagnostic(res, (await client.ipc(workerId, { op: 'diagnostics', action, query: Object.fromEntries(query) }, client.diagnosticsTimeoutMs)) as DiagnosticResult);
    }
    if (method !== 'GET' && method !== 'HEAD') throw notAllowed(method, 'GET');
    sendJson(res, 200, await client.json(address(workerId), path));
  }

  /** Ends the leases (server shutdown). */
  close(): void {
    for (const lease of this.#leases.values()) {
      clearTimeout(lease.timer);
      lease.release();
    }
    this.#leases.clear();
  }

  /**
   * A poller keeps what a topic needs running while it reads (the load sampler,
   * request tracking); it stops `leaseMs` after the last read.
   */
  #lease(topic: Topic): void {
    const start = topicDefinition(topic).lease;
    if (start === undefined) return;
    let lease = this.#leases.get(topic);
    if (lease === undefined) {
      lease = { release: start(this.#ctx.observer), timer: undefined };
      this.#leases.set(topic, lease);
    }
    clearTimeout(lease.timer);
    lease.timer = setTimeout(() => {
      this.#leases.delete(topic);
      lease.release();
    }, this.#ctx.leaseMs);
    lease.timer.unref();
  }

  /** A diagnostics action (a POST), or a kept profile (`GET profiles/<id>`). */
  async #diagnostics(res: ServerResponse, rest: string[], method: string, query: URLSearchParams): Promise<void> {
    if (!this.#guard.enabled) throw diagnosticsDisabled();
    const action = rest.join('/');
    checkMethod(method, diagnosticMethod(action));
    await sendDiagnostic(res, await runDiagnostic(this.#ctx.observer, this.#guard, action, Object.fromEntries(query)));
  }
}

/** Sends a diagnostics result: JSON, or a download (a file on disk is streamed, then deleted). */
export async function sendDiagnostic(res: ServerResponse, r: DiagnosticResult): Promise<void> {
  if (r.kind === 'json') return void sendJson(res, r.status, r.json);
  if (r.kind === 'text') return download(res, r.filename, r.text);
  try {
    res.writeHead(200, attachment(r.filename, r.bytes));
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(r.path);
      stream.on('error', reject);
      res.on('close', resolve);
      stream.pipe(res);
    });
  } finally {
    await unlink(r.path).catch(() => undefined);
  }
}

function address(workerId: number): NodeAddress {
  return { host: 'ipc', port: workerId, ipc: workerId };
}

function download(res: ServerResponse, filename: string, body: string): void {
  res.writeHead(200, attachment(filename, Buffer.byteLength(body)));
  res.end(body);
}

function attachment(filename: string, bytes: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-disposition': `attachment; filename="${filename}"`,
    'content-length': String(bytes),
    'cache-control': 'no-store',
  };
}

function notFound(segments: string[]): HttpError {
  return new HttpError(404, 'NOT_FOUND', `No API route /${['api', ...segments].join('/')}`);
}

/** A GET route answers GET and HEAD; a POST route only POST. */
function checkMethod(method: string, allowed: 'GET' | 'POST'): void {
  if (allowed === 'GET' ? method !== 'GET' && method !== 'HEAD' : method !== 'POST') throw notAllowed(method, allowed);
}

function notAllowed(method: string, allowed: string): HttpError {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed}`);
}

