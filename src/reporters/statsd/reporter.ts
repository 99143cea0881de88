import { type Socket, createSocket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ClosedInterval, Registry } from '../../metrics/index.js';
import { encodeSegment } from '../graphite/path.js';
import { Outbox } from '../outbox.js';
import { type PushReporter, type ReporterHealth, assertFeeds, healthMetrics, onceLogger, untilNextFlush } from '../reporter.js';
import { yieldIfDue } from '../../metrics/yield.js';
import { type StatsdTags, pack, statsdLines } from './lines.js';
import { ConfigError } from '../../errors.js';

export interface StatsdOptions {
  /** Default: 127.0.0.1. */
  host?: string;
  /** Default: 8125. */
  port?: number;
  /** Flush period in whole seconds. Default: the registry's period. */
  period?: number;
  /** A fixed name prefix, dot-separated (each segment encoded). Default: none. */
  prefix?: string;
  /** Labels as name segments (`none`, the default) or DogStatsD tags. */
  tags?: StatsdTags;
  /**
   * Largest UDP payload, in bytes. Default: 1432 (an Ethernet MTU of 1500
   * less the IPv6 and UDP headers and some room for tunnels); raise it only
   * where the path's MTU is known to be larger.
   */
  maxPacketBytes?: number;
  /** Most points waiting while they cannot be sent (the name does not resolve, the network is down); past it the oldest are dropped and counted. Default: 100000. */
  maxQueuedPoints?: number;
  /** Oldest point kept waiting, in ms: StatsD has no timestamps, so a late point lands in a later interval. Default: 60000. */
  maxQueuedAgeMs?: number;
  /** Resolves `host` (once, and again only after a send failed). Default: `dns.lookup`. */
  lookup?: (host: string) => Promise<{ address: string; family: number }>;
  log?: (message: string) => void;
  graceMs?: number;
}

/**
 * Sends each closed interval to StatsD over UDP, in packets no larger than
 * `maxPacketBytes`. It takes each interval as it closes; the lines wait in a
 * bounded queue while they cannot be sent (the name does not resolve, a send
 * fails), and what the bound drops is counted exactly. `host` is looked up
 * once, not per packet. UDP promises nothing beyond the send: a packet the
 * kernel took can still be lost on the way, unseen.
 *
 * ```ts
 * new StatsdReporter(registry, { host: 'statsd.internal', tags: 'dogstatsd' }).start();
 * ```
 */
export class StatsdReporter implements PushReporter {
  readonly #registry: Registry;
  readonly #host: string;
  readonly #port: number;
  readonly #periodMs: number;
  readonly #graceMs: number;
  readonly #prefix: string[];
  readonly #tags: StatsdTags;
  readonly #maxPacket: number;
  readonly #lookup: (host: string) => Promise<{ address: string; family: number }>;
  readonly #log: (message: string) => void;
  readonly #m: ReturnType<typeof healthMetrics>;
  readonly #outbox: Outbox;
  readonly #pending: ClosedInterval[] = [];
  #unsubscribe: (() => void) | undefined;
  #taking: Promise<void> = Promise.resolve();
  #socket: Socket | undefined;
  #socketType: 'udp4' | 'udp6' | undefined;
  #address: string | undefined;
  #failed = 0;
  #reportedDropped = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #flushing: Promise<void> = Promise.resolve();
  #health: ReporterHealth = { state: 'stopped', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0 };
  /** Packets sent, since start. */
  packets = 0;
  /** Host lookups, since start. */
  lookups = 0;

  constructor(registry: Registry, o: StatsdOptions = {}) {
    this.#registry = registry;
    const period = o.period ?? Math.max(1, Math.ceil(registry.period / 1000));
    if (!Number.isInteger(period) || period < 1) throw new ConfigError(`period must be a whole number of seconds >= 1, got ${period}`);
    assertFeeds(registry, period);
    this.#periodMs = period * 1000;
    this.#graceMs = o.graceMs ?? Math.min(2000, this.#periodMs / 10);
    this.#host = o.host ?? '127.0.0.1';
    this.#port = o.port ?? 8125;
    if (!Number.isInteger(this.#port) || this.#port < 1 || this.#port > 65535) throw new ConfigError(`port must be 1 to 65535, got ${this.#port}`);
    this.#prefix = o.prefix ? o.prefix.split('.').map(encodeSegment) : [];
    this.#tags = o.tags ?? 'none';
    this.#maxPacket = o.maxPacketBytes ?? 1432;
    this.#outbox = new Outbox(o.maxQueuedPoints ?? 100_000, o.maxQueuedAgeMs ?? 60_000);
    this.#lookup = o.lookup ?? ((host) => dnsLookup(host));
    this.#log = onceLogger(`wobserver statsd ${this.#host}:${this.#port}`, o.log ?? ((m) => console.warn(m)));
    this.#m = healthMetrics(registry, 'statsd', `${this.#host}:${this.#port}`);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#registry.onIntervalClosed((interval) => {
      this.#pending.push(interval);
      this.#taking = this.#taking.then(() => this.#takePending()).catch((err: Error) => this.#log(`taking an interval failed: ${err.message}`));
    });
    this.#health.state = 'disconnected';
    this.#schedule();
  }

  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flush());
    return this.#flushing;
  }

  async stop(deadlineMs = 2000): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, deadlineMs).unref())]);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#socket?.close();
    this.#socket = undefined;
    this.#socketType = undefined;
    this.#address = undefined;
    this.#health.state = 'stopped';
  }

  health(): ReporterHealth {
    return { ...this.#health, dropped: this.#outbox.dropped + this.#failed, queued: this.#outbox.size };
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.flush().finally(() => this.#schedule()), untilNextFlush(Date.now(), this.#periodMs, this.#graceMs));
    this.#timer.unref();
  }

  /** Packs each interval's lines into packets, queued as one run each. */
  async #takePending(): Promise<void> {
    let slice = performance.now();
    for (let interval = this.#pending.shift(); interval !== undefined; interval = this.#pending.shift()) {
      for (const f of interval.families) {
        for (const p of pack(statsdLines(f, this.#prefix, this.#tags), this.#maxPacket)) this.#outbox.push(Buffer.from(`${p.text}\n`), p.count, Date.now());
        slice = await yieldIfDue(slice);
      }
    }
  }

  async #flush(): Promise<void> {
    const t0 = performance.now();
    let slice = t0;
    try {
      await this.#taking;
      const socket = await this.#connect();
      if (socket === undefined) return;
      for (let p = this.#outbox.shift(); p !== undefined; p = this.#outbox.shift()) {
        const err = await send(socket, p.data.subarray(0, -1), this.#port, this.#address!);
        if (err === undefined) {
          this.packets++;
          this.#health.sent += p.count;
          this.#m.sent.inc(p.count);
        } else if ((err as { code?: string }).code === 'EMSGSIZE') {
          // Never sendable: counted, not retried.
          this.#failed += p.count;
          this.#log(`packet of ${p.data.length - 1} bytes refused as too large: ${err.message}`);
        } else {
          // Kept, in order, for the next flush; the name is looked up again then.
          this.#outbox.putBack(p, Date.now());
          this.#address = undefined;
          this.#health.state = 'disconnected';
          this.#log(`send failed: ${err.message}`);
          return;
        }
        slice = await yieldIfDue(slice);
      }
      this.#health.state = 'connected';
      this.#health.lastSuccessfulFlush = Date.now();
    } catch (err) {
      this.#log(`flush failed: ${(err as Error).message}`);
    } finally {
      this.#health.lastFlushMs = performance.now() - t0;
      const h = this.health();
      this.#m.queued.set(h.queued);
      this.#m.lastFlush.set(h.lastSuccessfulFlush / 1000);
      this.#m.flushSeconds.set(h.lastFlushMs / 1000);
      if (h.dropped > this.#reportedDropped) this.#m.dropped.inc(h.dropped - this.#reportedDropped);
      this.#reportedDropped = h.dropped;
    }
  }

  /** The socket, after looking the host up (once; again after a failure). */
  async #connect(): Promise<Socket | undefined> {
    if (this.#address !== undefined && this.#socket !== undefined) return this.#socket;
    if (this.#outbox.size === 0) return undefined;
    let found: { address: string; family: number };
    try {
      this.lookups++;
      found = isIP(this.#host) !== 0 ? { address: this.#host, family: isIP(this.#host) } : await this.#lookup(this.#host);
    } catch (err) {
      this.#health.state = 'disconnected';
      this.#log(`cannot resolve ${this.#host}: ${(err as Error).message}`);
      return undefined;
    }
    const type = found.family === 6 ? 'udp6' : 'udp4';
    if (this.#socket === undefined || this.#socketType !== type) {
      this.#socket?.close();
      this.#socketType = type;
      const s = createSocket(type);
      s.on('error', (err) => this.#log(`socket error: ${err.message}`));
      s.unref();
      this.#socket = s;
    }
    this.#address = found.address;
    return this.#socket;
  }
}

function send(socket: Socket, packet: Buffer, port: number, address: string): Promise<Error | undefined> {
  return new Promise((resolve) => {
    try {
      socket.send(packet, port, address, (err) => resolve(err ?? undefined));
    } catch (err) {
      resolve(err as Error);
    }
  });
}
