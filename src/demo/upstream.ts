import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The demo's pricing service: another HTTP server on loopback that the demo application asks with `fetch`. */
export interface Upstream {
  readonly server: Server;
  readonly url: string;
  /** A price from the service; `refused` asks a port nothing listens on instead (ECONNREFUSED), so that outbound failures show too. */
  quote(refused: boolean): Promise<number>;
  close(): Promise<void>;
}

export async function startUpstream(host: string): Promise<Upstream> {
  const server = createServer((req, res) => {
    // A few ms of "work", more now and then, so that the outbound durations spread.
    setTimeout(
      () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ item: req.url, price: Math.round(Math.random() * 10_000) / 100 }));
      },
      2 + Math.random() * (Math.random() < 0.1 ? 80 : 10),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago: listened on, then closed.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, host, resolve));
  const nowhere = `http://${host}:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return {
    server,
    url,
    async quote(refused) {
      const res = await fetch(`${refused ? nowhere : url}/price/${Math.floor(Math.random() * 100)}`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { price: number };
      return body.price;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
