import { type Server, type Socket, createServer } from 'node:net';

/** One stored point: its value, and how many times it arrived. */
export interface Received {
  value: string;
  times: number;
}

/**
 * A carbon stand-in of the test's own on loopback that records every
 * `(path, timestamp)` it reads, as carbon would store it, and can misbehave:
 * refuse connections, reset a connection after N more bytes, stop reading
 * (the sender's window closes), black-hole (accept, never read) and then
 * close, read slowly, and restart. A line cut by a reset is not recorded
 * (carbon drops it too).
 */
export class RecordingReceiver {
  /** `path timestamp` → what arrived. */
  readonly points = new Map<string, Received>();
  /** When each connection was accepted (ms, `performance.now()`). */
  readonly accepted: number[] = [];
  bytes = 0;
  port = 0;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #paused = false;
  #blackhole = false;
  #resetAfter: number | undefined;
  #rate: number | undefined;
  #budget = 0;
  #tick: NodeJS.Timeout | undefined;

  async listen(): Promise<this> {
    const server = createServer((s) => this.#accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  /** Stops listening (connections are refused) and resets every connection. */
  async refuse(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    this.resetAll();
    if (s !== undefined) await new Promise((resolve) => s.close(resolve));
  }

  /** Listens again on the same port. */
  async accept(): Promise<void> {
    if (this.#server === undefined) await this.listen();
  }

  /** Refuses, then listens again after `downMs`: a restart. */
  async restart(downMs: number): Promise<void> {
    await this.refuse();
    await new Promise((r) => setTimeout(r, downMs));
    await this.accept();
  }

  /** Resets the connection that reads `n` more bytes, right there (what it read before is kept). */
  resetAfter(n: number): void {
    this.#resetAfter = n;
  }

  /** Stops reading every connection, and new ones: the kernel's buffers fill, then the sender's window closes. */
  stall(): void {
    this.#paused = true;
    for (const s of this.#sockets) s.pause();
  }

  /** Accepts and never reads, existing connections too, until `close()`: what they were sent is lost. */
  blackhole(): void {
    this.#blackhole = true;
    this.stall();
  }

  /** Reads again (after `stall`). */
  resume(): void {
    this.#paused = false;
    this.#blackhole = false;
    for (const s of this.#sockets) s.resume();
  }

  /** Ends the black hole: its connections are reset, unread; the receiver reads new ones again. */
  endBlackhole(): void {
    this.resetAll();
    this.#blackhole = false;
    this.#paused = false;
  }

  /** Reads at most `bytesPerSecond` (undefined: as fast as it can). */
  readRate(bytesPerSecond: number | undefined): void {
    this.#rate = bytesPerSecond;
    clearInterval(this.#tick);
    if (bytesPerSecond === undefined) {
      if (!this.#paused) for (const s of this.#sockets) s.resume();
      return;
    }
    this.#budget = bytesPerSecond / 10;
    this.#tick = setInterval(() => {
      this.#budget = bytesPerSecond / 10;
      if (!this.#paused) for (const s of this.#sockets) s.resume();
    }, 100);
    this.#tick.unref();
  }

  /** Resets every connection at once (what was unread dies with it). */
  resetAll(): void {
    for (const s of [...this.#sockets]) s.resetAndDestroy();
    this.#sockets.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.#tick);
    await this.refuse();
  }

  /** Points whose path starts with `prefix`. */
  count(prefix = ''): number {
    let n = 0;
    for (const k of this.points.keys()) if (k.startsWith(prefix)) n++;
    return n;
  }

  #accept(s: Socket): void {
    this.accepted.push(performance.now());
    this.#sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => this.#sockets.delete(s));
    if (this.#paused || this.#blackhole) s.pause();
    let partial = '';
    s.on('data', (d: Buffer) => {
      let text = d.toString('latin1');
      if (this.#resetAfter !== undefined) {
        if (text.length >= this.#resetAfter) {
          text = text.slice(0, this.#resetAfter);
          this.#resetAfter = undefined;
          this.#record(partial + text, true);
          partial = '';
          this.bytes += text.length;
          this.#sockets.delete(s);
          s.resetAndDestroy();
          return;
        }
        this.#resetAfter -= text.length;
      }
      this.bytes += text.length;
      partial = this.#record(partial + text, false);
      if (this.#rate !== undefined) {
        this.#budget -= d.length;
        if (this.#budget <= 0) s.pause();
      }
    });
  }

  /** Records the complete lines of `text`; returns the partial line left. */
  #record(text: string, cut: boolean): string {
    let start = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
      const line = text.slice(start, i);
      start = i + 1;
      const a = line.indexOf(' ');
      const b = line.lastIndexOf(' ');
      if (a < 0 || a === b) continue;
      const key = `${line.slice(0, a)} ${line.slice(b + 1)}`;
      const p = this.points.get(key);
      if (p === undefined) this.points.set(key, { value: line.slice(a + 1, b), times: 1 });
      else p.times++;
    }
    return cut ? '' : text.slice(start);
  }
}
