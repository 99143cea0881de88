import { type IncomingHttpHeaders, request } from 'node:http';
import { type Server, type Socket, createServer } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The `error.code` of a JSON error answer. */
  code: string | undefined;
}

/**
 * One HTTP request with exactly the headers given — a `host` a browser on a
 * rebound name would send, an `origin`, `sec-fetch-site` — which fetch() does
 * not let a test set.
 */
export function rawRequest(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method: o.method ?? 'GET', path: o.path ?? `${u.pathname}${u.search}`, headers: { ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}), ...(o.headers ?? {}) }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, code });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/**
 * A DNS-rebinding attacker on loopback: listens on `host:port` (another
 * loopback address, the same port as the target), serves its page for
 * `GET <pagePath>` and hands every other connection, byte for byte, to the
 * target — what the browser does once the attacker's name resolves to the
 * target's address. Requests keep the attacker's Host.
 */
export async function rebindingAttacker(o: { host: string; port: number; target: { host: string; port: number }; pagePath: string; page: string }): Promise<Server> {
  const { connect } = await import('node:net');
  const server = createServer((socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (first.toString('latin1').startsWith(`GET ${o.pagePath} `)) {
        socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(o.page)}\r\nConnection: close\r\n\r\n${o.page}`);
        return;
      }
      const upstream = connect(o.target.port, o.target.host);
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  server.unref();
  return server;
}
