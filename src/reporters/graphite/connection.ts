import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Default: 5000. */
  connectTimeoutMs: number;
  /** How long one chunk may wait for the socket to take it (the peer stopped reading). Default: 10000. */
  sendTimeoutMs: number;
}

/**
 * One TCP connection to carbon: connect with a timeout, no-delay and
 * keep-alive, writes that resolve only once the kernel took the bytes, and a
 * send timeout that destroys a socket whose peer stopped reading. It owns its
 * socket and nothing else; retries and bookkeeping are the reporter's.
 */
export class CarbonConnection {
  readonly #o: ConnectionOptions;
  #socket: Socket | undefined;
  /** Increases with each socket; the reporter ties written points to it. */
  generation = 0;
  /** Bytes the kernel took on the current socket. */
  accepted = 0;
  #onDown: (generation: number, reason: string, clean: boolean) => void;
  #ending: Socket | undefined;

  /**
   * `onDown` hears of the end of every socket that had connected (a failed
   * connect is only the rejection of `connect()`, so that one failure is one
   * retry); `clean` when we ended it and the peer closed without error (it
   * read everything).
   */
  constructor(o: ConnectionOptions, onDown: (generation: number, reason: string, clean: boolean) => void) {
    this.#o = o;
    this.#onDown = onDown;
  }

  get up(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed && !this.#socket.connecting;
  }

  /** Connects; resolves when connected, rejects (with the reason) when not. */
  connect(): Promise<void> {
    this.#socket?.destroy();
    const socket = new Socket();
    const generation = ++this.generation;
    this.#socket = socket;
    this.accepted = 0;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let connected = false;
      const fail = (reason: string): void => {
        socket.destroy();
        if (!settled) {
          settled = true;
          reject(new Error(reason));
        }
      };
      const timer = setTimeout(() => fail(`connect timeout after ${this.#o.connectTimeoutMs} ms`), this.#o.connectTimeoutMs);
      timer.unref();
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        settled = true;
        connected = true;
        resolve();
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        fail(describe(err));
      });
      // Carbon never writes to us; anything it sends is read and ignored, and its end is the end.
      socket.on('data', () => undefined);
      socket.once('close', (hadError) => {
        clearTimeout(timer);
        if (!settled) fail('connection closed');
        if (this.#socket === socket) this.#socket = undefined;
        if (connected) this.#onDown(generation, hadError ? 'connection failed' : 'connection closed', this.#ending === socket && !hadError);
      });
      socket.connect({ host: this.#o.host, port: this.#o.port });
    });
  }

  /** Writes; resolves once the kernel took it, rejects (and destroys the socket) on an error or the send timeout. */
  write(data: Buffer | string): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return Promise.reject(new Error('not connected'));
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        socket.destroy();
        reject(new Error(`send timeout: carbon took nothing for ${this.#o.sendTimeoutMs} ms`));
      }, this.#o.sendTimeoutMs);
      timer.unref();
      socket.write(data, (err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err);
        else {
          if (this.#socket === socket) this.accepted += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
          resolve();
        }
      });
    });
  }

  /** Ends the connection cleanly; resolves when the peer closed too (then it read everything), or after `timeoutMs`. */
  end(timeoutMs: number): Promise<boolean> {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, timeoutMs);
      timer.unref();
      socket.once('close', (hadError) => {
        clearTimeout(timer);
        resolve(!hadError);
      });
      this.#ending = socket;
      socket.end();
    });
  }

  /**
   * Bytes the kernel took on the current socket that the peer has not
   * acknowledged yet, from `/proc/net/tcp` (Linux); undefined elsewhere, or when
   * the socket is not found. Unacknowledged bytes that stay unacknowledged mean
   * the peer's receive window is closed (it stopped reading) or the path is a
   * black hole — seen after a few kilobytes, not after the megabytes the
   * kernel's send buffer would take before a write waits.
   */
  async unacked(): Promise<number | undefined> {
    const socket = this.#socket;
    if (process.platform !== 'linux' || socket === undefined || socket.localPort === undefined || socket.remotePort === undefined) return undefined;
    const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
    const local = `:${hex(socket.localPort)}`;
    const remote = `:${hex(socket.remotePort)}`;
    let text: string;
    try {
      text = await readFile(socket.remoteFamily === 'IPv6' ? '/proc/net/tcp6' : '/proc/net/tcp', 'latin1');
    } catch {
      return undefined;
    }
    for (let i = text.indexOf(`${local} `); i !== -1; i = text.indexOf(`${local} `, i + 1)) {
      // "  sl: local:port remote:port st tx_queue:rx_queue ..."
      const start = text.lastIndexOf('\n', i) + 1;
      const end = text.indexOf('\n', i);
      const fields = text.slice(start, end === -1 ? undefined : end).trim().split(/\s+/);
      if (fields[1]?.endsWith(local) && fields[2]?.endsWith(remote)) return Number.parseInt(fields[4]!.split(':')[0]!, 16);
    }
    return undefined;
  }

  /** Resets the connection (what the kernel still holds for it is discarded, not sent later). */
  reset(): void {
    this.#socket?.resetAndDestroy();
  }

  destroy(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }
}

function describe(err: Error & { code?: string }): string {
  return err.code !== undefined ? `${err.code}${err.message.includes(err.code) ? '' : `: ${err.message}`}` : err.message;
}
