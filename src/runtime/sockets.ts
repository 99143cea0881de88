import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Follows every TCP socket the process opens from the moment it is started
 * (`net.client.socket` and `net.server.socket` diagnostics channels: no
 * monkey-patching), so that bytes read and written can be summed, also those
 * of sockets that already closed, and how old each open one is. Costs one Set
 * insertion, one WeakMap entry and one 'close' listener per socket.
 */
export class SocketTracker {
  readonly live = new Set<Socket>();
  readonly #openedAt = new WeakMap<Socket, number>();
  #closedRead = 0;
  #closedWritten = 0;
  #started = false;
  readonly #onSocket = (message: unknown): void => {
    const socket = (message as { socket?: Socket }).socket;
    if (socket === undefined || this.live.has(socket)) return;
    this.live.add(socket);
    this.#openedAt.set(socket, performance.now());
    socket.once('close', () => {
      this.#closedRead += socket.bytesRead;
      this.#closedWritten += socket.bytesWritten;
      this.live.delete(socket);
    });
  };

  start(): void {
    if (this.#started) return;
    this.#started = true;
    dc.subscribe('net.client.socket', this.#onSocket);
    dc.subscribe('net.server.socket', this.#onSocket);
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    dc.unsubscribe('net.client.socket', this.#onSocket);
    dc.unsubscribe('net.server.socket', this.#onSocket);
  }

  /** How long ago (ms) the tracker saw `socket` open; undefined for a socket it never saw. */
  ageMs(socket: Socket): number | undefined {
    const at = this.#openedAt.get(socket);
    return at === undefined ? undefined : performance.now() - at;
  }

  /** Bytes read and written by every socket seen since start, open or closed. */
  totals(): { read: number; written: number } {
    let read = this.#closedRead;
    let written = this.#closedWritten;
    for (const s of this.live) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    return { read, written };
  }
}
