// wobserver's client: one connection to a wobserver server, over its WebSocket
// or, when the WebSocket cannot be opened, over the HTTP fallback (server-sent
// events), with reconnection and resubscription. Runs in browsers and in Node
// (pass a WebSocket factory there, e.g. from the `ws` package). No Node imports.

// The contract: every topic's data and the live protocol's messages (types only).
export type * from '../protocol/index.js';
import { WobserverError } from '../metrics/errors.js';
import { backoff } from '../util/backoff.js';

/** The part of the browser WebSocket API the client uses (the `ws` package has it too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/**
 * The header every state-changing request to wobserver carries (`1`): a
 * cross-site form cannot send it and another origin cannot add it without a
 * CORS preflight, so the server refuses a POST without it (`403 CROSS_SITE`).
 * The UI and this client send it; so must a script (a bearer token exempts it).
 */
export const REQUEST_HEADER = 'x-wobserver-request';

export type ConnectionState = 'connecting' | 'open' | 'fallback' | 'reconnecting' | 'closed';

export interface ClientOptions {
  /** Makes a WebSocket; default: the global `WebSocket`. */
  WebSocket?: (url: string) => WebSocketLike;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Headers for the HTTP fallback's requests (a browser sends its cookies and basic credentials by itself). */
  headers?: Record<string, string>;
  /** `'auto'` (default) tries the WebSocket, then falls back; or force one. */
  transport?: 'auto' | 'websocket' | 'events';
  /** How long the WebSocket may take to open before the fallback is tried, in ms. Default: 4000. */
  openTimeoutMs?: number;
  /** Reconnection back-off, in ms. Default: 500 doubling to 10000, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface SubscribeOptions {
  params?: Record<string, string | number | boolean>;
  /** Push period in ms; 0 sends once; default: the topic's own. */
  every?: number;
  node?: string;
}

/** Data pushed for a subscription; `append` marks load columns that continue what came before. */
export type OnData<T> = (data: T, meta: { append: boolean; at: number }) => void;

import type { ErrorBody, TopicData, TopicName, TopicParams } from '../protocol/index.js';

/**
 * An error the server answered (`code` is its stable code) or `DISCONNECTED`:
 * the base class of wobserver's errors, the one the server's own extend (its
 * module imports nothing, so the client stays free of Node imports).
 */
export { WobserverError };

interface Transport {
  send(message: string): void;
  close(): void;
}

interface Sub {
  readonly message: Record<string, unknown>;
  readonly onData: OnData<unknown>;
  readonly onError: ((e: WobserverError) => void) | undefined;
}

const OPEN = 1;

/** WebSocket attempts that fail in a row, after one worked, before the client falls back to the event stream (about 15 s of back-off). */
const WEBSOCKET_RETRIES = 5;

export class Connection {
  readonly #wsUrl: string;
  readonly #eventsUrl: string;
  readonly #root: string;
  readonly #o: ClientOptions;
  readonly #pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #subs = new Map<string, Sub>();
  readonly #stateListeners = new Set<(s: ConnectionState) => void>();
  #transport: Transport | undefined;
  #queue: string[] = [];
  #state: ConnectionState = 'connecting';
  #nextId = 1;
  #retry = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #useEvents: boolean;
  /**
   * WebSockets that failed to open since one last worked. Once one worked, the way to the
   * server carries them: a failure is first taken for the server being away (a restart)
   * and retried as a WebSocket; only `WEBSOCKET_RETRIES` in a row fall back to the stream.
   */
  #webSocketFailures: number | undefined;
  #hello: Record<string, unknown> | undefined;

  constructor(base: string, options: ClientOptions = {}) {
    const page = (globalThis as { location?: { href: string } }).location?.href;
    const root = new URL(base.endsWith('/') ? base : `${base}/`, page);
    const ws = new URL('ws', root);
    ws.protocol = root.protocol === 'https:' ? 'wss:' : 'ws:';
    this.#wsUrl = ws.href;
    this.#eventsUrl = new URL('events', root).href;
    this.#root = root.href;
    this.#o = options;
    this.#useEvents = options.transport === 'events';
    this.#open();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The server's hello: `{ protocol, node, version, heartbeatMs, transport }`. */
  get hello(): Record<string, unknown> | undefined {
    return this.#hello;
  }

  /** Calls `listener` on every change of state; returns the function that stops it. */
  onState(listener: (s: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Reads a topic once; the answer's type is the contract's for the topic (and its named item, when the parameters name one). */
  get<K extends TopicName, P extends TopicParams<K> = Record<never, never>>(topic: K, options?: { params?: P; node?: string }): Promise<TopicData<K, P>>;
  /** Reads a topic once, typed as you say (a topic this client's contract does not know, say of a newer server). */
  get<T = unknown>(topic: string, options?: Omit<SubscribeOptions, 'every'>): Promise<T>;
  get<T = unknown>(topic: string, options: Omit<SubscribeOptions, 'every'> = {}): Promise<T> {
    const id = `g${this.#nextId++}`;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#send({ id, get: topic, ...(options.params ? { params: options.params } : {}), ...(options.node ? { node: options.node } : {}) });
    });
  }

  /** Subscribes to a topic; survives reconnection; returns the function that unsubscribes. The data is typed by the contract. */
  subscribe<K extends TopicName, P extends TopicParams<K> = Record<never, never>>(
    topic: K,
    options: { params?: P; every?: number; node?: string },
    onData: OnData<TopicData<K, P>>,
    onError?: (e: WobserverError) => void,
  ): () => void;
  subscribe<T = unknown>(topic: string, options: SubscribeOptions, onData: OnData<T>, onError?: (e: WobserverError) => void): () => void;
  subscribe<T = unknown>(topic: string, options: SubscribeOptions, onData: OnData<T>, onError?: (e: WobserverError) => void): () => void {
    const id = `s${this.#nextId++}`;
    const message: Record<string, unknown> = { id, subscribe: topic };
    if (options.params) message.params = options.params;
    if (options.every !== undefined) message.every = options.every;
    if (options.node) message.node = options.node;
    this.#subs.set(id, { message, onData: onData as OnData<unknown>, onError });
    this.#send(message);
    return () => {
      if (!this.#subs.delete(id)) return;
      this.#send({ unsubscribe: id });
    };
  }

  close(): void {
    clearTimeout(this.#retryTimer);
    this.#setState('closed');
    this.#transport?.close();
    this.#transport = undefined;
    this.#failPending('the connection was closed');
  }

  #send(message: Record<string, unknown>): void {
    if (this.#state === 'closed') return;
    const text = JSON.stringify(message);
    if (this.#transport !== undefined && (this.#state === 'open' || this.#state === 'fallback')) this.#transport.send(text);
    else if (!('subscribe' in message) && !('unsubscribe' in message)) this.#queue.push(text);
    // Subscriptions are (re)sent from #subs when the connection opens.
  }

  #open(): void {
    if (this.#state === 'closed') return;
    if (this.#useEvents) this.#openEvents();
    else this.#openWebSocket();
  }

  #opened(transport: Transport, state: 'open' | 'fallback'): void {
    this.#transport = transport;
    this.#retry = 0;
    this.#setState(state);
    for (const sub of this.#subs.values()) transport.send(JSON.stringify(sub.message));
    const queued = this.#queue;
    this.#queue = [];
    for (const q of queued) transport.send(q);
  }

  #lost(): void {
    if (this.#state === 'closed') return;
    this.#transport = undefined;
    this.#failPending('the connection was lost');
    this.#setState('reconnecting');
    this.#retryTimer = setTimeout(() => this.#open(), backoff(this.#retry++, this.#o.retryMinMs ?? 500, this.#o.retryMaxMs ?? 10_000, Math.random()));
  }

  #failPending(why: string): void {
    for (const p of this.#pending.values()) p.reject(new WobserverError('DISCONNECTED', why));
    this.#pending.clear();
  }

  #setState(s: ConnectionState): void {
    if (this.#state === s) return;
    this.#state = s;
    for (const l of this.#stateListeners) {
      try {
        l(s);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  #receive(text: string): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (m.hello !== undefined) {
      this.#hello = m.hello as Record<string, unknown>;
      return;
    }
    const error = m.error as ErrorBody | undefined;
    if (typeof m.sub === 'string') {
      const sub = this.#subs.get(m.sub);
      if (sub === undefined) return;
      if (error !== undefined) sub.onError?.(new WobserverError(error.code, error.message));
      else sub.onData(m.data, { append: m.append === true, at: Number(m.at) });
      return;
    }
    if (typeof m.id !== 'string') return;
    const pending = this.#pending.get(m.id);
    if (pending !== undefined) {
      this.#pending.delete(m.id);
      if (error !== undefined) pending.reject(new WobserverError(error.code, error.message));
      else pending.resolve(m.data);
      return;
    }
    const sub = this.#subs.get(m.id);
    if (sub !== undefined && error !== undefined) {
      this.#subs.delete(m.id);
      sub.onError?.(new WobserverError(error.code, error.message));
    }
  }

  #openWebSocket(): void {
    const make = this.#o.WebSocket ?? ((url: string) => new (globalThis as unknown as { WebSocket: new (u: string) => WebSocketLike }).WebSocket(url));
    let ws: WebSocketLike;
    try {
      ws = make(this.#wsUrl);
    } catch {
      this.#fallBack();
      return;
    }
    let opened = false;
    const timer = setTimeout(() => {
      if (!opened) ws.close();
    }, this.#o.openTimeoutMs ?? 4000);
    ws.onopen = () => {
      opened = true;
      this.#webSocketFailures = 0;
      clearTimeout(timer);
      this.#opened({ send: (t) => ws.readyState === OPEN && ws.send(t), close: () => ws.close() }, 'open');
    };
    ws.onmessage = (ev) => this.#receive(String(ev.data));
    ws.onerror = () => undefined;
    ws.onclose = () => {
      clearTimeout(timer);
      ws.onclose = null;
      // A reconnection that meets the server while it restarts must not stay on the fallback for good.
      if (opened) this.#lost();
      else if (this.#webSocketFailures !== undefined && ++this.#webSocketFailures < WEBSOCKET_RETRIES) this.#lost();
      else this.#fallBack();
    };
  }

  /** The WebSocket did not open: use the HTTP fallback (unless the WebSocket was forced). */
  #fallBack(): void {
    if (this.#o.transport === 'websocket') {
      this.#lost();
      return;
    }
    this.#openEvents(true);
  }

  /** Opens the event stream; once it works after the WebSocket failed, reconnections go straight to it. */
  #openEvents(afterWebSocketFailed = false): void {
    const f = this.#o.fetch ?? globalThis.fetch;
    const abort = new AbortController();
    const headers = { accept: 'text/event-stream', ...(this.#o.headers ?? {}) };
    let session: string | undefined;
    let outbox: string[] = [];
    let posting = false;
    const flush = async (): Promise<void> => {
      if (posting || session === undefined || outbox.length === 0) return;
      posting = true;
      const batch = outbox.splice(0, 32);
      try {
        const res = await f(new URL(`events/${session}`, this.#root).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [REQUEST_HEADER]: '1', ...(this.#o.headers ?? {}) },
          body: `[${batch.join(',')}]`,
          signal: abort.signal,
        });
        await res.body?.cancel();
      } catch {
        // The stream's end reports the loss.
      } finally {
        posting = false;
        void flush();
      }
    };
    const transport: Transport = {
      send: (t) => {
        outbox.push(t);
        void flush();
      },
      close: () => abort.abort(),
    };
    void (async () => {
      try {
        const res = await f(this.#eventsUrl, { headers, signal: abort.signal });
        if (!res.ok || res.body === null) throw new Error(`events: ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length === 0) continue;
            if (event === 'session') {
              session = (JSON.parse(data.join('\n')) as { session: string }).session;
              outbox = [];
              if (afterWebSocketFailed) this.#useEvents = true;
              this.#opened(transport, 'fallback');
            } else {
              this.#receive(data.join('\n'));
            }
          }
        }
      } catch {
        // Fall through: the stream ended.
      }
      abort.abort();
      this.#lost();
    })();
  }
}

/** Connects to the wobserver at `base` (its URL, with any prefix, e.g. `http://127.0.0.1:4001/` or `./` in a page). */
export function connect(base: string, options?: ClientOptions): Connection {
  return new Connection(base, options);
}
