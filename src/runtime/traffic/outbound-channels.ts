import dc from 'node:diagnostics_channel';
import { errorMonitor } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { errorCode } from './error-code.js';
import type { OutboundTarget } from './options.js';
import { type OutboundTable, methodLabel } from './outbound.js';

/**
 * Whether this Node publishes `http.client.request.error` (nodejs/node#54054,
 * 2024). Seen on 20.20; assumed from 22.10 and 23 on. Elsewhere each client
 * request gets an `errorMonitor` listener instead, which observes its errors
 * without handling them (an unhandled one still throws, as it would without
 * wobserver), and the channel is not subscribed.
 */
export const CLIENT_ERROR_CHANNEL = ((): boolean => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major >= 23 || (major === 22 && minor >= 10) || (major === 20 && minor >= 20);
})();

const HTTP_ERROR = 'http.client.request.error';

/**
 * The header every request one wobserver node signs for another carries
 * (src/nodes/signing.ts; the runtime does not import the nodes layer):
 * those calls are wobserver's, not the application's traffic.
 */
const NODE_SIGNATURE = 'x-wobserver-signature';

/** An outbound request between its start and its outcome. */
interface Pending {
  started: number;
  method: string;
  host: string;
}

/** What undici's `undici:request:*` messages carry. */
interface UndiciRequest {
  origin?: unknown;
  method?: unknown;
  path?: unknown;
}

/**
 * The outbound half of the tracker: `http.client.request.start`,
 * `http.client.response.finish` and `http.client.request.error` for
 * `http.request`/`https.request`; `undici:request:create`,
 * `undici:request:headers` and `undici:request:error` for `fetch` and the
 * undici package. A request is timed from its start to its response's
 * headers (both APIs give that moment, without a listener on the body), or
 * to its failure, counted by error code. The request in flight is kept in a
 * `WeakMap`, so that one that never ends costs nothing once collected.
 */
export class OutboundChannels {
  readonly #table: OutboundTable;
  readonly #now: () => number;
  readonly #epoch: (now: number) => number;
  readonly #ignore: ((target: OutboundTarget) => boolean) | undefined;
  readonly #fault: (err: unknown) => void;
  readonly #errorChannel: boolean;
  /** Requests in flight; null once counted, so that a second outcome (an error after the response) is not. */
  #pending = new WeakMap<object, Pending | null>();

  /** `errorChannel`: whether `http.client.request.error` is relied on, else the listener (tests say false to exercise it). */
  constructor(
    table: OutboundTable,
    now: () => number,
    epoch: (now: number) => number,
    ignore: ((target: OutboundTarget) => boolean) | undefined,
    fault: (err: unknown) => void,
    errorChannel: boolean = CLIENT_ERROR_CHANNEL,
  ) {
    this.#table = table;
    this.#now = now;
    this.#epoch = epoch;
    this.#ignore = ignore;
    this.#fault = fault;
    this.#errorChannel = errorChannel;
  }

  subscribe(): void {
    for (const [name, fn] of this.#channels) if (this.#errorChannel || name !== HTTP_ERROR) dc.subscribe(name, fn);
  }

  unsubscribe(): void {
    for (const [name, fn] of this.#channels) if (this.#errorChannel || name !== HTTP_ERROR) dc.unsubscribe(name, fn);
    this.#pending = new WeakMap();
  }

  readonly #channels: readonly (readonly [string, (message: unknown) => void])[] = [
    ['http.client.request.start', (m) => this.#guard(() => this.#httpStart((m as { request: ClientRequest }).request))],
    [
      'http.client.response.finish',
      (m) => this.#guard(() => this.#responded((m as { request: object }).request, (m as { response: IncomingMessage }).response.statusCode ?? 0)),
    ],
    [HTTP_ERROR, (m) => this.#guard(() => this.#httpFailed((m as { request: ClientRequest }).request, (m as { error: unknown }).error))],
    ['undici:request:create', (m) => this.#guard(() => this.#undiciCreate((m as { request: UndiciRequest }).request))],
    [
      'undici:request:headers',
      (m) =>
        this.#guard(() => this.#responded((m as { request: object }).request, (m as { response: { statusCode?: number } }).response.statusCode ?? 0)),
    ],
    ['undici:request:error', (m) => this.#guard(() => this.#failed((m as { request: object }).request, (m as { error: unknown }).error))],
  ];

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#fault(err);
    }
  }

  #httpStart(req: ClientRequest): void {
    if (!this.#httpBegin(req)) return;
    if (!this.#errorChannel) req.on(errorMonitor, (err: unknown) => this.#guard(() => this.#failed(req, err)));
  }

  #httpBegin(req: ClientRequest): boolean {
    if (req.getHeader(NODE_SIGNATURE) !== undefined) return false;
    const header = req.getHeader('host');
    const host = typeof header === 'string' && header !== '' ? header : req.host;
    return this.#begin(req, req.method, host, req.path);
  }

  /**
   * Node publishes `http.client.request.start` once the request is sent
   * (`end()`, a first `write()`); one that failed before, such as a refused
   * connection of a request never ended, is counted from its error alone.
   */
  #httpFailed(req: ClientRequest, err: unknown): void {
    if (!this.#pending.has(req) && !this.#httpBegin(req)) return;
    this.#failed(req, err);
  }

  #undiciCreate(req: UndiciRequest): void {
    // A string (`http://host:port`) in Node's undici; String() of a URL object ends with a '/'.
    const origin = String(req.origin ?? '');
    const i = origin.indexOf('//');
    const rest = i < 0 ? origin : origin.slice(i + 2);
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    this.#begin(req, String(req.method ?? 'GET'), host, String(req.path ?? ''));
  }

  /** Starts timing a request; false when `ignoreOutbound` leaves it out. */
  #begin(req: object, method: string, host: string, path: string): boolean {
    if (this.#ignore !== undefined && this.#ignore({ method, host, path }) === true) return false;
    this.#pending.set(req, { started: this.#now(), method: methodLabel(method.toUpperCase()), host: host.toLowerCase() });
    return true;
  }

  #responded(req: object, code: number): void {
    const p = this.#pending.get(req);
    if (p === undefined || p === null) return;
    this.#pending.set(req, null);
    const now = this.#now();
    this.#table.response(p.method, p.host, code, now - p.started, this.#epoch(now));
  }

  #failed(req: object, err: unknown): void {
    const p = this.#pending.get(req);
    if (p === undefined || p === null) return;
    this.#pending.set(req, null);
    this.#table.failure(p.method, p.host, errorCode(err), this.#epoch(this.#now()));
  }
}
