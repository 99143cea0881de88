import { type Socket, createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Registry } from '../../metrics/index.js';
import { encodeSegment } from '../graphite/path.js';
import { type PushReporter, type ReporterHealth, healthMetrics, onceLogger, untilNextFlush, yieldIfDue } from '../reporter.js';
import { type StatsdTags, pack, statsdLines } from './lines.js';

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
  /** Largest UDP payload. Default: 1432 (fits an Ethernet MTU with IP and UDP headers). */
  maxPacketBytes?: number;
  log?: (message: string) => void;
  graceMs?: number;
}

/**
 * Sends each closed interval to StatsD over UDP, batched into packets no
 * larger than `maxPacketBytes`. UDP promises nothing: a packet that cannot be
 * sent is counted as dropped and logged once, never thrown.
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
  readonly #log: (message: string) => void;
  readonly #m: ReturnType<typeof healthMetrics>;
  #socket: Socket | undefined;
  #lastSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #flushing: Promise<void> = Promise.resolve();
  #health: ReporterHealth = { state: 'stopped', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0 };
  /** Packets sent, since start. */
  packets = 0;

  constructor(registry: Registry, o: StatsdOptions = {}) {
    this.#registry = registry;
    const period = o.period ?? registry.period / 1000;
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a whole number of seconds >= 1, got ${period}`);
    this.#periodMs = period * 1000;
    this.#graceMs = o.graceMs ?? Math.min(2000, this.#periodMs / 10);
    this.#host = o.host ?? '127.0.0.1';
    this.#port = o.port ?? 8125;
    this.#prefix = o.prefix ? o.prefix.split('.').map(encodeSegment) : [];
    this.#tags = o.tags ?? 'none';
    this.#maxPacket = o.maxPacketBytes ?? 1432;
    this.#log = onceLogger(`wobserver statsd ${this.#host}:${this.#port}`, o.log ?? ((m) => console.warn(m)));
    this.#m = healthMetrics(registry, 'statsd', `${this.#host}:${this.#port}`);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastSeq = this.#registry.closedIntervals().at(-1)?.seq ?? 0;
    this.#socket = createSocket(isIPv6(this.#host) ? 'udp6' : 'udp4');
    this.#socket.on('error', (err) => this.#log(`socket error: ${err.message}`));
    this.#socket.unref();
    this.#health.state = 'connected';
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
    this.#socket?.close();
    this.#socket = undefined;
    this.#health.state = 'stopped';
  }

  health(): ReporterHealth {
    return { ...this.#health };
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.flush().finally(() => this.#schedule()), untilNextFlush(Date.now(), this.#periodMs, this.#graceMs));
    this.#timer.unref();
  }

  async #flush(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    const t0 = performance.now();
    let slice = t0;
    try {
      for (const interval of this.#registry.closedIntervals(this.#lastSeq)) {
        for (const f of interval.families) {
          const lines = statsdLines(f, this.#prefix, this.#tags);
          for (const packet of pack(lines, this.#maxPacket)) {
            const count = packet.toString().split('\n').length;
            await new Promise<void>((resolve) => {
              const done = (err: Error | null): void => {
                if (err) {
                  this.#health.dropped += count;
                  this.#m.dropped.inc(count);
                  this.#log(`send failed: ${err.message}`);
                } else {
                  this.packets++;
                  this.#health.sent += count;
                  this.#m.sent.inc(count);
                }
                resolve();
              };
              try {
                socket.send(packet, this.#port, this.#host, done);
              } catch (err) {
                done(err as Error);
              }
            });
          }
          slice = await yieldIfDue(slice);
        }
        this.#lastSeq = interval.seq;
      }
      this.#health.lastSuccessfulFlush = Date.now();
    } catch (err) {
      this.#log(`flush failed: ${(err as Error).message}`);
    } finally {
      this.#health.lastFlushMs = performance.now() - t0;
      this.#m.lastFlush.set(this.#health.lastSuccessfulFlush / 1000);
      this.#m.flushSeconds.set(this.#health.lastFlushMs / 1000);
    }
  }
}
