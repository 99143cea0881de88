import { hostname } from 'node:os';
import { type ClosedInterval, type Registry, expandTemplate } from '../../metrics/index.js';
import { type Chunk, Outbox } from '../outbox.js';
import { type PushReporter, type ReporterHealth, assertFeeds, healthMetrics, onceLogger, untilNextFlush } from '../reporter.js';
import { nextTurn, yieldIfDue } from '../../metrics/yield.js';
import { backoff } from '../../util/backoff.js';
import { AckWatch } from './ack-watch.js';
import { GRAPHITE_DEFAULTS as D } from './defaults.js';
import { CarbonConnection } from './connection.js';
import { type LineOptions, LineWriter, familyNames, writeFamilyLines } from './lines.js';
import { type LabelStyle, encodeSegment } from './path.js';
import { ConfigError } from '../../errors.js';

export interface GraphiteOptions {
  /** Carbon's plaintext receiver. Default: 127.0.0.1. */
  host?: string;
  /** Default: 2003. */
  port?: number;
  /** Flush period in whole seconds. Default: the registry's period (10 s). */
  period?: number;
  /** Path prefix template: `%node%`, `%host%`, `%pid%` and `substitutions` are replaced literally. Default: none. */
  prefix?: string;
  substitutions?: Record<string, string>;
  /** Label values as path segments (`name.v1.v2`, the default) or Graphite tags (`name;k1=v1`). */
  labels?: LabelStyle;
  /** Most points kept waiting; past it the oldest are dropped. Default: 500000. */
  maxQueuedPoints?: number;
  /** Oldest point kept waiting, in ms. Default: 3600000 (an hour). */
  maxQueuedAgeMs?: number;
  /** Default: 5000. */
  connectTimeoutMs?: number;
  /** A chunk the socket does not take within this time (carbon stopped reading) ends the connection. Default: 10000. */
  sendTimeoutMs?: number;
  /**
   * The resend window: points written to a connection stay kept until that
   * connection has lived this long after them (and read again after any
   * stall); if it dies sooner they are all sent again on the next one. Carbon
   * keeps one value per path and timestamp, so a resend is harmless. Counted
   * in `maxQueuedPoints`. Default: 30000, and at least 2 periods.
   */
  resendWindowMs?: number;
  /**
   * Carbon counts as stalled when a chunk waits this long for the kernel, or
   * (on Linux, from `/proc/net/tcp`) when bytes stay unacknowledged this long:
   * nothing leaves the resend window while it is, and every point in it starts
   * its window again once carbon reads again. Stalled for `sendTimeoutMs`, the
   * connection is reset and what it held goes again on the next one.
   * Default: 1000.
   */
  stallMs?: number;
  /**
   * Reconnection back-off, in ms: `retryMinMs` doubling after each failed
   * attempt (a refused or timed-out connect, or a connection that died within
   * 10 s) to `retryMaxMs`, each delay drawn from [50 %, 100 %] of it.
   * Default: 1000 and 60000.
   */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Where state changes are logged (once per change). Default: console.warn. */
  log?: (message: string) => void;
  /** ms after the boundary at which a flush runs, so that the interval has closed. Default: period / 10, at most 2000. */
  graceMs?: number;
}

const CHUNK_BYTES = 64 * 1024;
const SERIES_PER_SLICE = 250;
/** A connection that lived this long resets the back-off. */
const HEALTHY_MS = 10_000;

/** The Graphite reporter's health: the common fields and what its resend window adds. */
export interface GraphiteHealth extends ReporterHealth {
  /** Connections tried since start (refused, timed out or opened). */
  connectAttempts: number;
  /** Points written and kept for a resend (part of `queued`). */
  unconfirmed: number;
  /** Points dropped by the bounds after they had been written to a connection that had not outlived them: they may have arrived. */
  droppedUnconfirmed: number;
}

/**
 * Delivers every closed interval of a registry to carbon's plaintext protocol
 * over TCP and loses nothing it promised: it takes each interval as it closes
 * (so the registry's `keep` cannot forget one while a send is held up); a point
 * leaves the outbox only once written; written points stay in a resend window
 * until their connection has outlived them by `resendWindowMs`, and are all
 * sent again on the next connection if it dies first; what cannot be sent
 * waits in a bounded outbox, with its original timestamp, through any outage,
 * and what the bounds drop is counted by what was known of it.
 *
 * ```ts
 * const graphite = new GraphiteReporter(registry, { host: 'carbon.internal', prefix: 'apps.%node%' });
 * graphite.start();
 * ```
 */
export class GraphiteReporter implements PushReporter {
  readonly #registry: Registry;
  readonly #periodMs: number;
  readonly #graceMs: number;
  readonly #lines: LineOptions;
  readonly #outbox: Outbox;
  readonly #conn: CarbonConnection;
  readonly #windowMs: number;
  readonly #stallMs: number;
  readonly #sendTimeoutMs: number;
  readonly #retryMin: number;
  readonly #retryMax: number;
  readonly #log: (message: string) => void;
  readonly #m: ReturnType<typeof healthMetrics>;
  readonly #droppedUnconfirmedMetric;
  readonly #pending: ClosedInterval[] = [];
  #unsubscribe: (() => void) | undefined;
  #lastSeq = 0;
  #taking: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retries = 0;
  #nextConnectAt = 0;
  #connectedAt = 0;
  #connectedOnce = false;
  #pumping: Promise<void> | undefined;
  #flushing: Promise<void> | undefined;
  #running = false;
  #reported = { dropped: 0, droppedUnconfirmed: 0 };
  readonly #acks: AckWatch;
  #health: GraphiteHealth = {
    state: 'stopped', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0,
    connectAttempts: 0, unconfirmed: 0, droppedUnconfirmed: 0,
  };

  /**
   * @throws ConfigError (`INVALID_CONFIG`) when the registry cannot
   * feed this reporter: intervals turned off, a registry period that is not a
   * whole number of seconds (two intervals would share a timestamp and carbon
   * would keep one), or a reporter period that is not a multiple of it.
   */
  constructor(registry: Registry, o: GraphiteOptions = {}) {
    this.#registry = registry;
    const period = o.period ?? registry.period / 1000;
    checkRegistry(registry, period);
    if (!Number.isInteger(period) || period < 1) throw new ConfigError(`period must be a whole number of seconds >= 1, got ${period}`);
    this.#periodMs = period * 1000;
    this.#graceMs = o.graceMs ?? Math.min(2000, this.#periodMs / 10);
    // %node%, %host% and %pid% are one segment each (their dots encoded); the user's substitutions are literal.
    const subs = { node: encodeSegment(registry.node), host: encodeSegment(hostname()), pid: String(process.pid), ...(o.substitutions ?? {}) };
    const prefix = o.prefix === undefined || o.prefix === '' ? [] : expandTemplate(o.prefix, subs).split('.').map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : encodeSegment(s)));
    this.#lines = { prefix, labels: o.labels ?? D.labels };
    this.#outbox = new Outbox(o.maxQueuedPoints ?? D.maxQueuedPoints, o.maxQueuedAgeMs ?? D.maxQueuedAgeMs);
    this.#windowMs = o.resendWindowMs ?? Math.max(D.resendWindowMs, 2 * this.#periodMs);
    this.#stallMs = o.stallMs ?? D.stallMs;
    this.#sendTimeoutMs = o.sendTimeoutMs ?? D.sendTimeoutMs;
    this.#retryMin = o.retryMinMs ?? D.retryMinMs;
    this.#retryMax = o.retryMaxMs ?? D.retryMaxMs;
    const host = o.host ?? D.host;
    const port = o.port ?? D.port;
    this.#log = onceLogger(`wobserver graphite ${host}:${port}`, o.log ?? ((m) => console.warn(m)));
    this.#m = healthMetrics(registry, 'graphite', `${host}:${port}`);
    this.#droppedUnconfirmedMetric = registry
      .counter({
        name: 'wobserver_graphite_points_dropped_unconfirmed_total',
        help: 'Points dropped by the outbox bounds after they had been written to a connection that had not outlived them by the resend window (they may have arrived)',
        labelNames: ['target'],
      })
      .labels({ target: `${host}:${port}` });
    this.#conn = new CarbonConnection(
      { host, port, connectTimeoutMs: o.connectTimeoutMs ?? D.connectTimeoutMs, sendTimeoutMs: this.#sendTimeoutMs },
      (generation, reason, clean) => this.#down(generation, reason, clean),
    );
    this.#acks = new AckWatch(this.#conn, this.#stallMs, this.#sendTimeoutMs, {
      stalled: (unacked, ms) => this.#log(`carbon acknowledged none of ${unacked} bytes for ${ms} ms: it stopped reading`),
      resumed: (ms, now) => {
        // What the window holds may have sat unread: it starts its window again.
        this.#outbox.restartWindow(now);
        this.#log(`carbon reads again after ${ms} ms`);
      },
      dead: (ms) => {
        this.#log(`carbon acknowledged nothing for ${ms} ms: connection reset`);
        this.#conn.reset();
      },
    });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // Only intervals that close from now on: what closed before is history.
    this.#lastSeq = this.#registry.closedIntervals().at(-1)?.seq ?? 0;
    this.#unsubscribe = this.#registry.onIntervalClosed((interval) => this.#closed(interval));
    this.#health.state = 'disconnected';
    this.#schedule();
  }

  async flush(): Promise<void> {
    // One flush at a time; a second caller waits for the running one and then runs its own.
    const previous = this.#flushing ?? Promise.resolve();
    const run = previous.then(() => this.#flush());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async stop(deadlineMs = 5000): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    clearTimeout(this.#retryTimer);
    const deadline = Date.now() + deadlineMs;
    this.#nextConnectAt = 0;
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, deadlineMs).unref())]);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#acks.stop();
    // A clean close proves carbon read everything written (#down lets the window go); otherwise it stays queued.
    await this.#conn.end(Math.max(100, deadline - Date.now()));
    this.#conn.destroy();
    this.#health.state = 'stopped';
    this.#publish();
  }

  health(): GraphiteHealth {
    const o = this.#outbox;
    return { ...this.#health, dropped: o.dropped, droppedUnconfirmed: o.droppedUnconfirmed, unconfirmed: o.unconfirmed, queued: o.size + o.unconfirmed };
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      void this.flush().finally(() => this.#schedule());
    }, untilNextFlush(Date.now(), this.#periodMs, this.#graceMs));
    this.#timer.unref();
  }

  async #flush(): Promise<void> {
    const t0 = performance.now();
    try {
      await this.#taking;
      await this.#pump();
      if (this.#outbox.size === 0) this.#health.lastSuccessfulFlush = Date.now();
    } catch (err) {
      this.#log(`flush failed: ${(err as Error).message}`);
    } finally {
      this.#health.lastFlushMs = performance.now() - t0;
      this.#publish();
    }
  }

  /** An interval closed: it is taken now, whatever the connection is doing. */
  #closed(interval: ClosedInterval): void {
    if (this.#lastSeq !== 0 && interval.seq !== this.#lastSeq + 1) {
      // Cannot happen while the listener is registered; said loudly if it ever does.
      this.#log(`intervals ${this.#lastSeq + 1} to ${interval.seq - 1} were never seen: their points are lost`);
    }
    this.#lastSeq = interval.seq;
    this.#pending.push(interval);
    // From the next turn of the loop: the registry's close has blocked it long enough.
    this.#taking = this.#taking
      .then(nextTurn)
      .then(() => this.#takePending())
      .catch((err: Error) => this.#log(`taking an interval failed: ${err.message}`));
  }

  /** Turns the intervals that closed into lines in the outbox, yielding to the application every few ms. */
  async #takePending(): Promise<void> {
    let slice = performance.now();
    // Lines go into blocks of a chunk's size, and each full block into the outbox: a chunk is then one block, sent without a copy.
    const out = new LineWriter(CHUNK_BYTES, (data, count) => this.#outbox.push(data, count, Date.now()));
    for (let interval = this.#pending.shift(); interval !== undefined; interval = this.#pending.shift()) {
      const names = familyNames(interval.families);
      for (const f of interval.families) {
        // A few hundred series at a time, so that a large family does not hold the event loop.
        for (let from = 0; from < f.size; from += SERIES_PER_SLICE) {
          writeFamilyLines(f, names.get(f.name)!, interval, this.#lines, out, from, from + SERIES_PER_SLICE);
          slice = await yieldIfDue(slice, 2);
        }
      }
      out.finish();
    }
  }

  /** Sends what the outbox holds while the connection takes it. */
  #pump(): Promise<void> {
    this.#pumping ??= this.#pumpOnce().finally(() => {
      this.#pumping = undefined;
    });
    return this.#pumping;
  }

  async #pumpOnce(): Promise<void> {
    this.#release(Date.now());
    if (this.#outbox.size === 0) return;
    if (!this.#conn.up) {
      if (Date.now() < this.#nextConnectAt) return;
      this.#health.state = 'connecting';
      this.#health.connectAttempts++;
      try {
        await this.#conn.connect();
      } catch (err) {
        this.#failedConnect((err as Error).message);
        return;
      }
      if (this.#connectedOnce) this.#health.reconnects++, this.#m.reconnects.inc();
      this.#connectedOnce = true;
      this.#connectedAt = Date.now();
      this.#health.state = 'connected';
      this.#log('connected');
      this.#acks.start();
    }
    let slice = performance.now();
    for (let chunk = this.#outbox.take(CHUNK_BYTES); chunk !== undefined; chunk = this.#outbox.take(CHUNK_BYTES)) {
      const generation = this.#conn.generation;
      const t = Date.now();
      try {
        await this.#conn.write(chunk.data);
      } catch (err) {
        // Not written: back to the front, in order. The socket is gone; #down re-queued what it had.
        this.#outbox.putBack(chunk, Date.now());
        this.#log(`send failed: ${(err as Error).message}`);
        break;
      }
      const now = Date.now();
      this.#health.sent += chunk.count;
      this.#m.sent.inc(chunk.count);
      if (!this.#conn.up || this.#conn.generation !== generation) {
        // Written, and its connection died at once: it goes again like the rest of that connection's points.
        this.#requeued({ ...chunk, written: true }, now);
        break;
      }
      if (now - t >= this.#stallMs) {
        // The kernel took the chunk only now: carbon had stopped reading, and what the buffers held may still be unread.
        this.#outbox.restartWindow(now);
        this.#log(`carbon stopped reading for ${now - t} ms`);
      }
      this.#outbox.sent(chunk, generation, now, this.#conn.accepted);
      if (this.#outbox.size === 0) break;
      slice = await yieldIfDue(slice, 2);
      if (!this.#conn.up) break;
    }
  }

  /** Lets go of what the live connection outlived by the window and the peer acknowledged, unless it is stalled. */
  #release(now: number): void {
    if (!this.#conn.up || this.#acks.stalled) return;
    this.#outbox.release(this.#conn.generation, this.#windowMs, now, this.#acks.acked(this.#conn.generation));
  }

  #requeued(chunk: Chunk, now: number): void {
    this.#outbox.putBack(chunk, now);
    this.#health.resent += chunk.count;
    this.#m.resent.inc(chunk.count);
  }

  /**
   * A connection ended. Ended by us and closed cleanly by carbon, it read
   * everything: its window is delivered. Otherwise everything in its window
   * goes again, in order, before anything newer.
   */
  #down(generation: number, reason: string, clean: boolean): void {
    if (clean) this.#outbox.delivered(generation);
    else {
      const count = this.#outbox.requeue(generation, Date.now());
      this.#health.resent += count;
      this.#m.resent.inc(count);
    }
    if (this.#health.state === 'connected') this.#log(`disconnected: ${reason}`);
    if (this.#running || this.#health.state !== 'stopped') this.#health.state = 'disconnected';
    if (Date.now() - this.#connectedAt >= HEALTHY_MS) this.#retries = 0;
    this.#publish();
    this.#retryLater();
  }

  #failedConnect(reason: string): void {
    this.#health.state = 'disconnected';
    this.#log(`cannot connect: ${reason}`);
    this.#retryLater();
  }

  /** Tries again after the back-off (once per failure), then sends what waits. */
  #retryLater(): void {
    if (!this.#running) return;
    const delay = backoff(this.#retries++, this.#retryMin, this.#retryMax, Math.random());
    this.#nextConnectAt = Date.now() + delay;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#pump().then(() => this.#publish()), delay + 1);
    this.#retryTimer.unref();
  }

  #publish(): void {
    const h = this.health();
    this.#m.queued.set(h.queued);
    this.#m.connected.set(h.state === 'connected' ? 1 : 0);
    this.#m.lastFlush.set(h.lastSuccessfulFlush / 1000);
    this.#m.flushSeconds.set(h.lastFlushMs / 1000);
    if (h.dropped > this.#reported.dropped) this.#m.dropped.inc(h.dropped - this.#reported.dropped);
    if (h.droppedUnconfirmed > this.#reported.droppedUnconfirmed) this.#droppedUnconfirmedMetric.inc(h.droppedUnconfirmed - this.#reported.droppedUnconfirmed);
    this.#reported = { dropped: h.dropped, droppedUnconfirmed: h.droppedUnconfirmed };
  }
}

/** Refuses, at construction, a registry and period that cannot deliver every interval to carbon. */
function checkRegistry(registry: Registry, period: number): void {
  if (registry.intervalsEnabled && registry.period % 1000 !== 0) {
    throw new ConfigError(`the registry's period is ${registry.period} ms; Graphite timestamps are whole seconds, so intervals of part of a second would share a timestamp and carbon would keep only one of them: use a multiple of 1000 ms`);
  }
  assertFeeds(registry, period);
}
