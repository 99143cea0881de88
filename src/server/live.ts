import type { Feeds } from './feeds.js';
import { Session, type SessionLimits } from './session.js';
import type { Topics } from './topics/index.js';

/** Limits and timings shared by both live transports (WebSocket and the HTTP fallback). */
export interface LiveOptions {
  /** Clients connected at once, both transports together. Default: 100. */
  maxClients?: number;
  /** A client whose unsent messages exceed this many bytes is dropped. Default: 4 MiB. */
  maxBufferedBytes?: number;
  /** Heartbeat period in ms; a peer silent for two periods is dropped. Default: 15000. */
  heartbeatMs?: number;
  /** Largest message a client may send, in bytes. Default: 65536. */
  maxMessageBytes?: number;
  /** Subscriptions per client. Default: 64. */
  maxSubscriptions?: number;
  /** Fastest push rate a client may ask for, in ms. Default: 250. */
  minEvery?: number;
  /** Origins allowed to open the WebSocket besides the page's own host, e.g. `https://ops.example.com`. */
  allowedOrigins?: string[];
}

export interface LiveStats {
  clients: number;
  /** Clients dropped because they read too slowly. */
  droppedSlow: number;
  /** Clients dropped because they stopped answering heartbeats. */
  droppedDead: number;
}

/** What both transports share: the limits, the counters, and how to start a session. */
export class Live {
  readonly maxClients: number;
  readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
  readonly maxMessageBytes: number;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly stats: LiveStats = { clients: 0, droppedSlow: 0, droppedDead: 0 };
  readonly #limits: SessionLimits;
  readonly #topics: Topics;
  readonly #feeds: Feeds;
  readonly #hello: Record<string, unknown>;

  constructor(
    o: LiveOptions,
    topics: Topics,
    feeds: Feeds,
    hello: Record<string, unknown>,
  ) {
    this.maxClients = o.maxClients ?? 100;
    this.maxBufferedBytes = o.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.heartbeatMs = o.heartbeatMs ?? 15_000;
    this.maxMessageBytes = o.maxMessageBytes ?? 65_536;
    this.allowedOrigins = new Set((o.allowedOrigins ?? []).map((s) => s.replace(/\/$/, '').toLowerCase()));
    this.#limits = { maxSubscriptions: o.maxSubscriptions ?? 64, minEvery: o.minEvery ?? 250 };
    this.#topics = topics;
    this.#feeds = feeds;
    this.#hello = { ...hello, heartbeatMs: this.heartbeatMs };
  }

  get full(): boolean {
    return this.stats.clients >= this.maxClients;
  }

  /** A new client's session; `send` is the transport's bounded writer. */
  open(send: (message: string) => void, transport: 'websocket' | 'events'): Session {
    this.stats.clients++;
    return new Session({
      topics: this.#topics,
      feeds: this.#feeds,
      limits: this.#limits,
      send,
      hello: { ...this.#hello, transport },
    });
  }

  /** The client went: its subscriptions end. */
  done(session: Session): void {
    this.stats.clients--;
    session.close();
  }
}
