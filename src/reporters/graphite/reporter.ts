import { hostname } from 'node:os';
import { type ClosedInterval, type Registry, expandTemplate } from '../../metrics/index.js';
import { Outbox } from '../outbox.js';
import { type PushReporter, type ReporterHealth, healthMetrics, onceLogger, untilNextFlush, yieldIfDue } from '../reporter.js';
import { CarbonConnection } from './connection.js';
import { type LineOptions, familyLines, familyNames } from './lines.js';
import { type LabelStyle, encodeSegment } from './path.js';

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
   * Points written to a connection stay kept until the connection has lived
   * this long after them; if it dies sooner they are sent again. Default: 2 periods.
   */
  confirmAfterMs?: number;
  /** Reconnection back-off, in ms. Default: 1000 doubling to 60000, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Where state changes are logged (once per change). Default: console.warn. */
  log?: (message: string) => void;
  /** ms after the boundary at which a flush runs, so that the interval has closed. Default: period / 10, at most 2000. */
  graceMs?: number;
}

const CHUNK_BYTES = 64 * 1024;
const SERIES_PER_SLICE = 250;

interface Written {
  text: string;
  count: number;
  queuedAt: number;
  writtenAt: number;
  generation: number;
}

/**
 * Delivers every closed interval of a registry to carbon's plaintext protocol
 * over TCP and loses nothing it promised: a point leaves the outbox only once
 * written; written points are kept until their connection has outlived them by
 * `confirmAfterMs`, and sent again if it dies first; what cannot be sent waits
 * in a bounded outbox, with its original timestamp, through any outage.
 */
export class GraphiteReporter implements PushReporter {
  readonly #registry: Registry;
  readonly #periodMs: number;
  readonly #graceMs: number;
  readonly #lines: LineOptions;
  readonly #outbox: Outbox;
  readonly #conn: CarbonConnection;
  readonly #confirmMs: number;
  readonly #retryMin: number;
  readonly #retryMax: number;
  readonly #log: (message: string) => void;
  readonly #m: ReturnType<typeof healthMetrics>;
  readonly #written: Written[] = [];
  #lastSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retries = 0;
  #nextConnectAt = 0;
  #connectedOnce = false;
  #pumping: Promise<void> | undefined;
  #flushing: Promise<void> | undefined;
  #running = false;
  #health: ReporterHealth = { state: 'stopped', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0 };

  constructor(registry: Registry, o: GraphiteOptions = {}) {
    this.#registry = registry;
    const period = o.period ?? registry.period / 1000;
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a whole number of seconds >= 1, got ${period}`);
    this.#periodMs = period * 1000;
    this.#graceMs = o.graceMs ?? Math.min(2000, this.#periodMs / 10);
    // %node%, %host% and %pid% are one segment each (their dots encoded); the user's substitutions are literal.
    const subs = { node: encodeSegment(registry.node), host: encodeSegment(hostname()), pid: String(process.pid), ...(o.substitutions ?? {}) };
    const prefix = o.prefix === undefined || o.prefix === '' ? [] : expandTemplate(o.prefix, subs).split('.').map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : encodeSegment(s)));
    this.#lines = { prefix, labels: o.labels ?? 'segments' };
    this.#outbox = new Outbox(o.maxQueuedPoints ?? 500_000, o.maxQueuedAgeMs ?? 3_600_000);
    this.#confirmMs = o.confirmAfterMs ?? 2 * this.#periodMs;
    this.#retryMin = o.retryMinMs ?? 1000;
    this.#retryMax = o.retryMaxMs ?? 60_000;
    const host = o.host ?? '127.0.0.1';
    const port = o.port ?? 2003;
    this.#log = onceLogger(`wobserver graphite ${host}:${port}`, o.log ?? ((m) => console.warn(m)));
    this.#m = healthMetrics(registry, 'graphite', `${host}:${port}`);
    this.#conn = new CarbonConnection(
      { host, port, connectTimeoutMs: o.connectTimeoutMs ?? 5000, sendTimeoutMs: o.sendTimeoutMs ?? 10_000 },
      (generation, reason, clean) => this.#down(generation, reason, clean),
    );
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // Only intervals that close from now on: what closed before is history.
    this.#lastSeq = this.#registry.closedIntervals().at(-1)?.seq ?? 0;
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
    // A clean close proves carbon read everything written (#down confirms it); otherwise it stays queued.
    await this.#conn.end(Math.max(100, deadline - Date.now()));
    this.#conn.destroy();
    this.#health.state = 'stopped';
    this.#publish();
  }

  health(): ReporterHealth {
    return { ...this.#health, dropped: this.#outbox.dropped, queued: this.#queued() };
  }

  #queued(): number {
    return this.#outbox.size + this.#written.reduce((n, w) => n + w.count, 0);
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
      await this.#take(this.#registry.closedIntervals(this.#lastSeq));
      await this.#pump();
      if (this.#outbox.size === 0) this.#health.lastSuccessfulFlush = Date.now();
    } catch (err) {
      this.#log(`flush failed: ${(err as Error).message}`);
    } finally {
      this.#health.lastFlushMs = performance.now() - t0;
      this.#publish();
    }
  }

  /** Turns closed intervals into lines in the outbox, yielding to the application every few ms. */
  async #take(intervals: readonly ClosedInterval[]): Promise<void> {
    let slice = performance.now();
    for (const interval of intervals) {
      const names = familyNames(interval.families);
      for (const f of interval.families) {
        // A few thousand series at a time, so that a large family does not hold the event loop.
        for (let from = 0; from < f.size; from += SERIES_PER_SLICE) {
          const lines = familyLines(f, names.get(f.name)!, interval, this.#lines, from, from + SERIES_PER_SLICE);
          this.#outbox.push(lines.join(''), lines.length, Date.now());
          slice = await yieldIfDue(slice, 2);
        }
      }
      this.#lastSeq = interval.seq;
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
    this.#confirm(Date.now());
    if (this.#outbox.size === 0) return;
    if (!this.#conn.up) {
      if (Date.now() < this.#nextConnectAt) return;
      this.#health.state = 'connecting';
      try {
        await this.#conn.connect();
      } catch (err) {
        this.#failedConnect((err as Error).message);
        return;
      }
      if (this.#connectedOnce) this.#health.reconnects++, this.#m.reconnects.inc();
      this.#connectedOnce = true;
      this.#retries = 0;
      this.#health.state = 'connected';
      this.#log('connected');
    }
    let slice = performance.now();
    while (this.#outbox.size > 0 && this.#conn.up) {
      const chunk = this.#outbox.take(CHUNK_BYTES);
      const generation = this.#conn.generation;
      try {
        await this.#conn.write(chunk.text);
      } catch (err) {
        // Not written: back to the front, in order. The socket is gone; #down re-queues what it had.
        this.#outbox.unshift(chunk.text, chunk.count, chunk.queuedAt, Date.now());
        this.#log(`send failed: ${(err as Error).message}`);
        break;
      }
      this.#written.push({ text: chunk.text, count: chunk.count, queuedAt: chunk.queuedAt, writtenAt: Date.now(), generation });
      this.#health.sent += chunk.count;
      this.#m.sent.inc(chunk.count);
      slice = await yieldIfDue(slice, 2);
    }
  }

  /** Points written long enough ago on a connection that is still up are delivered. */
  #confirm(now: number): void {
    while (this.#written.length > 0) {
      const w = this.#written[0]!;
      const alive = this.#conn.up && w.generation === this.#conn.generation;
      if (!(alive && now - w.writtenAt >= this.#confirmMs) && now !== Infinity) break;
      this.#written.shift();
    }
  }

  /**
   * A connection ended. Ended by us and closed cleanly by carbon, it read
   * everything: its points are delivered. Otherwise what was written on it and
   * not confirmed goes again, in order, before anything newer.
   */
  #down(generation: number, reason: string, clean: boolean): void {
    const lost = this.#written.filter((w) => w.generation === generation);
    if (clean) {
      this.#written.splice(0, this.#written.length, ...this.#written.filter((w) => w.generation !== generation));
    } else if (lost.length > 0) {
      const count = lost.reduce((n, w) => n + w.count, 0);
      this.#written.splice(0, this.#written.length, ...this.#written.filter((w) => w.generation !== generation));
      this.#outbox.unshift(lost.map((w) => w.text).join(''), count, Math.min(...lost.map((w) => w.queuedAt)), Date.now());
      this.#health.resent += count;
      this.#m.resent.inc(count);
    }
    if (this.#health.state === 'connected') this.#log(`disconnected: ${reason}`);
    if (this.#running || this.#health.state !== 'stopped') this.#health.state = 'disconnected';
    this.#publish();
    this.#retryLater();
  }

  #failedConnect(reason: string): void {
    this.#health.state = 'disconnected';
    this.#log(`cannot connect: ${reason}`);
    this.#retryLater();
  }

  /** Tries again after an exponential back-off with jitter, then sends what waits. */
  #retryLater(): void {
    if (!this.#running) return;
    const base = Math.min(this.#retryMax, this.#retryMin * 2 ** this.#retries++);
    const delay = base * (0.5 + Math.random() / 2);
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
    const dropped = this.#outbox.dropped - this.#reportedDropped;
    if (dropped > 0) this.#m.dropped.inc(dropped);
    this.#reportedDropped = this.#outbox.dropped;
  }

  #reportedDropped = 0;
}
