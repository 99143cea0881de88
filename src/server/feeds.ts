import type { Observer } from '../runtime/index.js';
import { errorAnswer } from './http-error.js';
import { type Params, type Topic, type Topics, topicDefinition } from './topics/index.js';
import type { LoadSampler } from '../runtime/index.js';

/** One client's subscription, as the feeds see it: its id, its rate, and where its messages go. */
export interface Subscription {
  readonly id: string | number;
  /** ms between pushes; 0 sends once. */
  readonly every: number;
  /** Sends one serialized message to the client (the transport bounds and drops). */
  push(message: string): void;
}

export interface FeedStats {
  /** Feeds with at least one subscriber. */
  feeds: number;
  subscriptions: number;
  /** Samples computed since start, all feeds together. */
  samples: number;
}

/**
 * Shares samples among subscribers. Subscriptions to the same topic with the
 * same parameters share one feed; each tick computes one sample, serializes it
 * once, and sends it to every subscription that is due. A feed exists only
 * while someone subscribes: nothing is sampled for what nobody watches.
 */
export class Feeds {
  readonly #topics: Topics;
  readonly #observer: Observer;
  readonly #feeds = new Map<string, PolledFeed | LoadFeed>();
  samples = 0;

  constructor(topics: Topics, observer: Observer) {
    this.#topics = topics;
    this.#observer = observer;
  }

  /** Starts pushing `topic` (of `node`, this one when undefined) to `sub`; returns the function that stops it. */
  subscribe(topic: Topic, params: Params, sub: Subscription, node?: string): () => void {
    const key = `${node ?? ''}|${topic}?${canonical(params)}`;
    let feed = this.#feeds.get(key);
    if (feed === undefined) {
      const def = topicDefinition(topic);
      // A topic pushed by a sampler on this node; everything else, and every topic of another node, is polled.
      const sampler = node === undefined ? def.sampler?.(this.#observer) : undefined;
      // What a polled topic needs running only while watched: request tracking for the process list.
      const release = node === undefined && sampler === undefined ? def.lease?.(this.#observer) : undefined;
      const onEmpty = (): void => {
        release?.();
        this.#feeds.delete(key);
      };
      const count = (): void => {
        this.samples++;
      };
      // Another node's topics, its load too, are polled from it over signed HTTP, one read per tick for all subscribers here.
      feed = sampler !== undefined ? new LoadFeed(sampler, onEmpty, count) : new PolledFeed(this.#topics, topic, params, onEmpty, count, node);
      this.#feeds.set(key, feed);
    }
    return feed.add(sub);
  }

  stats(): FeedStats {
    let subscriptions = 0;
    for (const f of this.#feeds.values()) subscriptions += f.size;
    return { feeds: this.#feeds.size, subscriptions, samples: this.samples };
  }

  close(): void {
    for (const f of [...this.#feeds.values()]) f.close();
    this.#feeds.clear();
  }
}

/** A subscription is due when its time has come, within a little slack so that rates that divide each other line up. */
function due(last: number, every: number, now: number): boolean {
  return now >= last + every - Math.min(every * 0.1, 50);
}

/** A topic read by polling: one read per tick for all due subscribers. */
class PolledFeed {
  readonly #topics: Topics;
  readonly #topic: Topic;
  readonly #params: Params;
  readonly #node: string | undefined;
  readonly #onEmpty: () => void;
  readonly #count: () => void;
  readonly #subs = new Map<Subscription, { last: number; sent: boolean }>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #closed = false;

  constructor(topics: Topics, topic: Topic, params: Params, onEmpty: () => void, count: () => void, node?: string) {
    this.#topics = topics;
    this.#topic = topic;
    this.#params = params;
    this.#node = node;
    this.#onEmpty = onEmpty;
    this.#count = count;
  }

  get size(): number {
    return this.#subs.size;
  }

  add(sub: Subscription): () => void {
    this.#subs.set(sub, { last: -Infinity, sent: false });
    this.#schedule();
    return () => {
      if (!this.#subs.delete(sub) || this.#subs.size > 0) return;
      this.close();
    };
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#subs.clear();
    this.#onEmpty();
  }

  #schedule(): void {
    if (this.#closed || this.#busy) return;
    clearTimeout(this.#timer);
    let next = Infinity;
    const now = performance.now();
    for (const [sub, s] of this.#subs) {
      if (!s.sent) next = 0;
      else if (sub.every > 0) next = Math.min(next, s.last + sub.every - now);
    }
    if (next === Infinity) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, next));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    this.#busy = true;
    try {
      const now = performance.now();
      const dueSubs = [...this.#subs].filter(([sub, s]) => !s.sent || (sub.every > 0 && due(s.last, sub.every, now)));
      if (dueSubs.length === 0) return;
      let body: string;
      try {
        this.#count();
        body = `"data":${JSON.stringify(await this.#topics.readOn(this.#node, this.#topic, this.#params))}`;
      } catch (err) {
        body = `"error":${JSON.stringify(errorBody(err))}`;
      }
      const at = Date.now();
      for (const [sub, s] of dueSubs) {
        if (!this.#subs.has(sub)) continue;
        s.last = now;
        s.sent = true;
        sub.push(`{"sub":${JSON.stringify(sub.id)},"at":${at},${body}}`);
      }
    } finally {
      this.#busy = false;
      this.#schedule();
    }
  }
}

/**
 * The Load topic: the sampler pushes a sample at its own rate; a subscriber
 * gets the whole window first, then only what is newer than what it has, as
 * columns marked `append`, at its rate (a multiple of the sampler's).
 */
class LoadFeed {
  readonly #load: LoadSampler;
  readonly #onEmpty: () => void;
  readonly #count: () => void;
  readonly #subs = new Map<Subscription, { last: number; since: number }>();
  #off: (() => void) | undefined;

  constructor(load: LoadSampler, onEmpty: () => void, count: () => void) {
    this.#load = load;
    this.#onEmpty = onEmpty;
    this.#count = count;
  }

  get size(): number {
    return this.#subs.size;
  }

  add(sub: Subscription): () => void {
    this.#off ??= this.#load.subscribe(() => this.#onSample());
    const columns = this.#load.columns();
    const since = columns.timestamps.at(-1) ?? 0;
    this.#subs.set(sub, { last: performance.now(), since });
    sub.push(`{"sub":${JSON.stringify(sub.id)},"at":${Date.now()},"data":${JSON.stringify(columns)}}`);
    return () => {
      if (!this.#subs.delete(sub) || this.#subs.size > 0) return;
      this.close();
    };
  }

  close(): void {
    this.#off?.();
    this.#off = undefined;
    this.#subs.clear();
    this.#onEmpty();
  }

  #onSample(): void {
    this.#count();
    const now = performance.now();
    // Subscribers that have the same samples get the same string.
    const bySince = new Map<number, { body: string; last: number }>();
    for (const [sub, s] of this.#subs) {
      if (sub.every === 0 || !due(s.last, Math.max(sub.every, this.#load.interval), now)) continue;
      let tail = bySince.get(s.since);
      if (tail === undefined) {
        const columns = this.#load.columns(s.since);
        tail = { body: JSON.stringify(columns), last: columns.timestamps.at(-1) ?? s.since };
        bySince.set(s.since, tail);
      }
      const { body, last } = tail;
      s.last = now;
      s.since = last;
      sub.push(`{"sub":${JSON.stringify(sub.id)},"at":${Date.now()},"append":true,"data":${body}}`);
    }
  }
}

function canonical(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/** `{ code, message }` of an error, as `errorAnswer` tells it: without internals for the unexpected ones. */
export function errorBody(err: unknown): { code: string; message: string } {
  const { code, message } = errorAnswer(err);
  return { code, message };
}
