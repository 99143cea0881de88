import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Authenticate } from './auth.js';
import { hostNotAllowed, originMatchesHost } from './guards.js';
import type { Live } from './live.js';
import type { Sessions } from './sign-in.js';

/**
 * The WebSocket at `<prefix>/ws`: checks the Host (DNS rebinding), then `Origin`
 * against the page's host, authenticates the upgrade (a session cookie too, and
 * closes the socket when that session ends), bounds clients, message sizes and
 * send buffers, and pings every `heartbeatMs` to find dead peers.
 */
export class WebSocketTransport {
  readonly #live: Live;
  readonly #authenticate: Authenticate;
  readonly #wss: WebSocketServer;
  readonly #alive = new Map<WebSocket, boolean>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #hostAllowed: ((host: string | undefined) => boolean) | undefined;
  readonly #sessions: Sessions | undefined;

  constructor(live: Live, authenticate: Authenticate, guards: { hostAllowed?: ((host: string | undefined) => boolean) | undefined; sessions?: Sessions } = {}) {
    this.#live = live;
    this.#authenticate = authenticate;
    this.#hostAllowed = guards.hostAllowed;
    this.#sessions = guards.sessions;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: live.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    this.#heartbeat = setInterval(() => this.#beat(), live.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Takes over an upgrade request for `<prefix>/ws`. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      if (this.#hostAllowed !== undefined && !this.#hostAllowed(req.headers.host)) {
        const e = hostNotAllowed(req.headers.host);
        return refuse(socket, 403, e.code, e.message);
      }
      if (!this.#originAllowed(req)) return refuse(socket, 403, 'ORIGIN_REFUSED', 'This WebSocket only accepts pages from its own host (or allowedOrigins)');
      if (!(await this.#authenticate(req, 'other'))) return refuse(socket, 401, 'UNAUTHORIZED', 'Authentication required');
      if (this.#live.full) return refuse(socket, 503, 'TOO_MANY_CLIENTS', `At most ${this.#live.maxClients} clients at once`);
    } catch {
      return refuse(socket, 500, 'INTERNAL', 'wobserver failed to answer this request');
    }
    if (socket.destroyed) return;
    const session = this.#sessions?.key(req);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connected(ws, session));
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const ws of this.#alive.keys()) ws.terminate();
    this.#alive.clear();
    this.#wss.close();
  }

  #connected(ws: WebSocket, signedIn: string | undefined): void {
    this.#alive.set(ws, true);
    let ended = false;
    // Signed out (or expired): what the session opened closes with it.
    const unwatch = this.#sessions?.watch(signedIn, () => ws.close(4401, 'signed out')) ?? (() => undefined);
    const session = this.#live.open((message) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      // A client that does not read is dropped before its backlog grows our memory.
      if (ws.bufferedAmount > this.#live.maxBufferedBytes) {
        this.#live.stats.droppedSlow++;
        ws.terminate();
        return;
      }
      ws.send(message);
    }, 'websocket');
    const end = (): void => {
      if (ended) return;
      ended = true;
      unwatch();
      this.#alive.delete(ws);
      this.#live.done(session);
    };
    ws.on('pong', () => this.#alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify({ error: { code: 'BAD_MESSAGE', message: 'Messages are JSON text, not binary' } }));
        return;
      }
      void session.receive(data.toString());
    });
    ws.on('close', end);
    // ws closes the socket itself on protocol errors (oversized or malformed frames); we only end the session.
    ws.on('error', end);
  }

  #beat(): void {
    for (const [ws, alive] of this.#alive) {
      if (!alive) {
        this.#live.stats.droppedDead++;
        ws.terminate();
        continue;
      }
      this.#alive.set(ws, false);
      ws.ping();
    }
  }

  /** No Origin (a non-browser client) is allowed; a browser's must be the page's own host or listed. */
  #originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (this.#live.allowedOrigins.has(origin.toLowerCase())) return true;
    // Behind a proxy the page's host may be the forwarded one; a browser cannot forge either header on a WebSocket.
    return originMatchesHost(origin, req.headers);
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      (status === 401 ? 'WWW-Authenticate: Bearer, Basic realm="wobserver"\r\n' : '') +
      `\r\n${body}`,
  );
}
