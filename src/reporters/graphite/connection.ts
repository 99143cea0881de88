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
        else resolve();
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

  destroy(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }
}

function describe(err: Error & { code?: string }): string {
  return err.code !== undefined ? `${err.code}${err.message.includes(err.code) ? '' : `: ${err.message}`}` : err.message;
}
