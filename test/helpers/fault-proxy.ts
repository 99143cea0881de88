import { type Server, type Socket, connect, createServer } from 'node:net';

export type Fault = 'none' | 'refuse' | 'stall' | 'blackhole';

/**
 * A TCP proxy of the test's own between a client and a server, which can
 * refuse connections, stall (stop reading, so the client's window closes),
 * black-hole new connections (accept, never read, never answer), and drop
 * every connection at once (mid-write).
 */
export class FaultProxy {
  readonly #target: number;
  #server: Server | undefined;
  #pairs = new Set<{ client: Socket; upstream: Socket | undefined }>();
  #fault: Fault = 'none';
  port = 0;
  /** Bytes forwarded to the server. */
  forwarded = 0;

  constructor(targetPort: number) {
    this.#target = targetPort;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async setFault(fault: Fault): Promise<void> {
    const before = this.#fault;
    this.#fault = fault;
    if (fault === 'refuse' && this.#server !== undefined) {
      const s = this.#server;
      this.#server = undefined;
      this.drop();
      await new Promise((resolve) => s.close(resolve));
    }
    if (before === 'refuse' && fault !== 'refuse') await this.listen(this.port);
    if (fault === 'stall') for (const p of this.#pairs) p.client.pause();
    if (before === 'stall' && fault !== 'stall') for (const p of this.#pairs) p.client.resume();
    if (before === 'blackhole' && fault !== 'blackhole') {
      // The black hole gives up its victims: they close, as a dead path eventually does.
      for (const p of [...this.#pairs]) if (p.upstream === undefined) this.#kill(p);
    }
  }

  /** Destroys every connection at once, mid-write if they are writing. */
  drop(): void {
    for (const p of [...this.#pairs]) this.#kill(p);
  }

  async close(): Promise<void> {
    this.drop();
    const s = this.#server;
    this.#server = undefined;
    if (s !== undefined) await new Promise((resolve) => s.close(resolve));
  }

  #kill(p: { client: Socket; upstream: Socket | undefined }): void {
    p.client.resetAndDestroy();
    p.upstream?.destroy();
    this.#pairs.delete(p);
  }

  #accept(client: Socket): void {
    const pair: { client: Socket; upstream: Socket | undefined } = { client, upstream: undefined };
    this.#pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.end();
      this.#pairs.delete(pair);
    });
    if (this.#fault === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = connect(this.#target, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      this.forwarded += chunk.length;
      upstream.write(chunk);
    });
    if (this.#fault === 'stall') client.pause();
  }
}
