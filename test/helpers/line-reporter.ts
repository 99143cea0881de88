import { connect } from 'node:net';
import type { ClosedInterval, PushReporter, Registry, ReporterHealth } from '../../src/index.js';

/**
 * A push reporter as a user would write one, on the public interface only
 * (`PushReporter`, `registry.onIntervalClosed()`): each closed interval's
 * counters and gauges as Graphite plaintext lines, sent over a new TCP
 * connection at each flush. What could not be sent stays queued for the next
 * flush; a failure is counted, never thrown.
 */
export class LineReporter implements PushReporter {
  readonly #port: number;
  readonly #periodMs: number;
  #queue: string[] = [];
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #health: ReporterHealth = { state: 'stopped', sent: 0, resent: 0, dropped: 0, queued: 0, reconnects: 0, lastSuccessfulFlush: 0, lastFlushMs: 0 };
  #flushing: Promise<void> | undefined;

  constructor(registry: Registry, o: { port: number; period?: number }) {
    this.#port = o.port;
    this.#periodMs = (o.period ?? registry.period / 1000) * 1000;
    this.#unsubscribe = registry.onIntervalClosed((interval) => this.#take(interval));
  }

  start(): void {
    this.#health.state = 'connecting';
    this.#timer = setInterval(() => void this.flush(), this.#periodMs);
    this.#timer.unref();
  }

  flush(): Promise<void> {
    // One flush at a time: a second caller waits for the one in flight, then flushes what is left.
    const next = (this.#flushing ?? Promise.resolve()).then(() => this.#send());
    this.#flushing = next;
    return next;
  }

  async stop(deadlineMs = 1000): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, deadlineMs).unref())]);
    this.#health.state = 'stopped';
  }

  health(): ReporterHealth {
    return { ...this.#health, queued: this.#queue.length };
  }

  #take(interval: ClosedInterval): void {
    const ts = Math.floor(interval.start / 1000);
    for (const f of interval.families) {
      if (f.type !== 'counter' && f.type !== 'gauge') continue;
      const values = f.columns.value!;
      for (let i = 0; i < f.size; i++) {
        // Series are columns: series i has labelValues[j][i] for label j.
        const labels = f.labelNames.map((_, j) => `.${f.labelValues[j]![i]!.replace(/[^\w-]/g, '_')}`).join('');
        this.#queue.push(`${f.name}${labels} ${values[i]} ${ts}\n`);
      }
    }
  }

  async #send(): Promise<void> {
    if (this.#queue.length === 0) return;
    const lines = this.#queue;
    this.#queue = [];
    const started = performance.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(this.#port, '127.0.0.1');
        socket.setTimeout(2000, () => socket.destroy(new Error('send timeout')));
        socket.once('error', reject);
        socket.once('close', () => resolve());
        socket.end(lines.join(''));
      });
      this.#health.sent += lines.length;
      this.#health.state = 'connected';
      this.#health.lastSuccessfulFlush = Date.now();
    } catch {
      // Sent again at the next flush, in front of what came since.
      this.#queue = [...lines, ...this.#queue];
      this.#health.state = 'disconnected';
      this.#health.reconnects++;
    } finally {
      this.#health.lastFlushMs = performance.now() - started;
    }
  }
}
