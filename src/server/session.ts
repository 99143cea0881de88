import type { MessageId, ProtocolVersion, ServerMessage } from '../protocol/index.js';
import { type Feeds, errorBody } from './feeds.js';
import { HttpError } from './http-error.js';
import { type Params, type Topic, type Topics, defaultEvery, isTopic, topicDefinition } from './topics/index.js';

/** Limits of one client's session (WebSocket or HTTP fallback). */
export interface SessionLimits {
  /** Subscriptions one client may hold. Default: 64. */
  maxSubscriptions: number;
  /** Fastest rate a client may ask for, in ms. Default: 250. */
  minEvery: number;
}

export const PROTOCOL_VERSION: ProtocolVersion = 1;

/**
 * One client's conversation, whatever carries it: parses each message,
 * answers one-off reads, holds the client's subscriptions, and unsubscribes
 * all of them when the client goes. Every problem with a message is an
 * error message back; the session stays usable.
 */
export class Session {
  readonly #topics: Topics;
  readonly #feeds: Feeds;
  readonly #limits: SessionLimits;
  readonly #send: (message: string) => void;
  readonly #subs = new Map<string | number, () => void>();
  #nextId = 1;
  #closed = false;

  constructor(options: {
    topics: Topics;
    feeds: Feeds;
    limits: SessionLimits;
    send: (message: string) => void;
    hello: Record<string, unknown>;
  }) {
    this.#topics = options.topics;
    this.#feeds = options.feeds;
    this.#limits = options.limits;
    this.#send = options.send;
    this.#send(JSON.stringify({ hello: { protocol: PROTOCOL_VERSION, ...options.hello } }));
  }

  get subscriptions(): number {
    return this.#subs.size;
  }

  /** Handles one message as text; answers on the session. */
  async receive(text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#error(undefined, 'BAD_MESSAGE', 'A message must be one JSON object');
      return;
    }
    await this.handle(message);
  }

  /** Handles one parsed message. */
  async handle(message: unknown): Promise<void> {
    if (this.#closed) return;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#error(undefined, 'BAD_MESSAGE', 'A message must be one JSON object');
      return;
    }
    const m = message as Record<string, unknown>;
    const raw = m.id;
    if (raw !== undefined && !(typeof raw === 'string' && raw.length > 0 && raw.length <= 64) && !(typeof raw === 'number' && Number.isSafeInteger(raw))) {
      this.#error(undefined, 'BAD_MESSAGE', '"id" must be an integer or a string of 1 to 64 characters');
      return;
    }
    const id = raw as MessageId | undefined;
    try {
      const commands = ['get', 'subscribe', 'unsubscribe'].filter((k) => m[k] !== undefined);
      if (commands.length !== 1) {
        throw new HttpError(400, 'UNKNOWN_COMMAND', 'A message has exactly one of "get", "subscribe" or "unsubscribe"');
      }
      if (m.unsubscribe !== undefined) return this.#unsubscribe(id, m.unsubscribe);
      const topic = commands[0] === 'get' ? m.get : m.subscribe;
      if (!isTopic(topic)) throw new HttpError(400, 'UNKNOWN_TOPIC', `No topic ${JSON.stringify(topic)}; topics are those of /api`);
      if (m.node !== undefined && (typeof m.node !== 'string' || m.node.length > 256)) throw new HttpError(400, 'BAD_MESSAGE', '"node" must be a node name');
      const params = readParams(m.params);
      // Another node is reached only if discovery returned it: resolve() refuses anything else.
      const target = await this.#topics.resolve(m.node as string | undefined);
      const node = target.local ? undefined : target.name;
      if (commands[0] === 'get') {
        const data = await this.#topics.readOn(node, topic, params);
        this.#reply({ id, data });
        return;
      }
      this.#subscribe(id, topic, params, m.every, node);
    } catch (err) {
      this.#error(id, errorBody(err).code, errorBody(err).message);
    }
  }

  /** Unsubscribes everything (the client went). */
  close(): void {
    this.#closed = true;
    for (const off of this.#subs.values()) off();
    this.#subs.clear();
  }

  #subscribe(id: MessageId | undefined, topic: Topic, params: Params, everyRaw: unknown, node: string | undefined): void {
    if (this.#subs.size >= this.#limits.maxSubscriptions) {
      throw new HttpError(429, 'TOO_MANY_SUBSCRIPTIONS', `At most ${this.#limits.maxSubscriptions} subscriptions per client`);
    }
    const subId = id ?? `s${this.#nextId++}`;
    if (this.#subs.has(subId)) throw new HttpError(409, 'DUPLICATE_ID', `Subscription ${JSON.stringify(subId)} exists; unsubscribe it first`);
    let every: number;
    if (everyRaw === undefined) {
      every = defaultEvery(topicDefinition(topic), { params, local: node === undefined, ctx: this.#topics.context });
    } else {
      if (typeof everyRaw !== 'number' || !Number.isFinite(everyRaw) || everyRaw < 0 || everyRaw > 3_600_000) {
        throw new HttpError(400, 'BAD_PARAMETER', '"every" must be a number of ms from 0 (once) to 3600000');
      }
      every = everyRaw;
    }
    if (every > 0) every = Math.max(every, this.#limits.minEvery);
    this.#reply({ id, subscribed: subId, topic, every });
    const off = this.#feeds.subscribe(topic, params, { id: subId, every, push: (message) => this.#send(message) }, node);
    this.#subs.set(subId, off);
  }

  #unsubscribe(id: MessageId | undefined, raw: unknown): void {
    const subId = typeof raw === 'string' || typeof raw === 'number' ? raw : undefined;
    const off = subId === undefined ? undefined : this.#subs.get(subId);
    if (subId === undefined || off === undefined) throw new HttpError(404, 'NOT_SUBSCRIBED', `No subscription ${JSON.stringify(raw)}`);
    off();
    this.#subs.delete(subId);
    this.#reply({ id, unsubscribed: subId });
  }

  #reply(body: ServerMessage): void {
    if (!this.#closed) this.#send(JSON.stringify(body));
  }

  #error(id: MessageId | undefined, code: string, message: string): void {
    this.#reply(id === undefined ? { error: { code, message } } : { id, error: { code, message } });
  }
}

/** Parameters are a flat object of strings (numbers and booleans are taken as their text), at most 16, each at most 1000 characters. */
function readParams(raw: unknown): Params {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'BAD_PARAMETER', '"params" must be an object');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 16) throw new HttpError(400, 'BAD_PARAMETER', '"params" has at most 16 keys');
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) throw new HttpError(400, 'BAD_PARAMETER', `params.${k} must be a string, number or boolean`);
    const s = String(v);
    if (s.length > 1000) throw new HttpError(400, 'BAD_PARAMETER', `params.${k} is longer than 1000 characters`);
    out[k] = s;
  }
  return out;
}
