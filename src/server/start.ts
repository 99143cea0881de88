import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hasAuth } from './auth.js';
import { OptionError } from '../errors.js';
import { type Wobserver, type WobserverOptions, createWobserver } from './wobserver.js';

export interface StartOptions extends WobserverOptions {
  /** Default: 127.0.0.1. Anything but loopback needs `auth` (or `insecure: true`). */
  host?: string;
  /** Default: 4001; 0 picks a free port. */
  port?: number;
  /** Start on a non-loopback address without authentication anyway (logs a warning). Default: false. */
  insecure?: boolean;
  /** A client must send its request headers within this many ms (slowloris), else `408` and the connection closes. Default: 10000. */
  headersTimeoutMs?: number;
  /** A client must send its whole request (headers and body) within this many ms. Answers may take longer (a heap snapshot). Default: 30000. */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection closes after this many ms. Default: 5000. */
  keepAliveTimeoutMs?: number;
  /** Connections at once (HTTP and upgraded WebSockets); past it a new one is closed at once. Default: 256. */
  maxConnections?: number;
}

/** The limits `start()` puts on its server: an admin endpoint has few, fast clients. */
export const SERVER_LIMITS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxConnections: 256 } as const;

export interface Started {
  readonly url: string;
  readonly server: Server;
  readonly wobserver: Wobserver;
  close(): Promise<void>;
}

/** Whether a host name or address is loopback only. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/**
 * Starts wobserver on its own HTTP server, by default on 127.0.0.1:4001.
 * Refuses a non-loopback address without authentication.
 */
export async function start(options: StartOptions = {}): Promise<Started> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4001;
  if (!isLoopback(host) && !hasAuth(options.auth)) {
    if (options.insecure !== true) {
      throw new OptionError(
        `Refusing to listen on ${host} without authentication: set auth: { token } (or basic, or authorize), bind to 127.0.0.1, or pass insecure: true`,
        'INSECURE_BIND',
      );
    }
    process.emitWarning(`wobserver listens on ${host} without authentication (insecure: true)`, { code: 'WOBSERVER_INSECURE' });
  }
  const wobserver = createWobserver(options);
  const headersTimeout = options.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? SERVER_LIMITS.requestTimeoutMs),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? SERVER_LIMITS.keepAliveTimeoutMs,
      // The timeouts are checked this often (Node's default, 30 s, would let a slow client stay three times longer).
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    (req, res) => void wobserver.handle(req, res),
  );
  server.maxConnections = options.maxConnections ?? SERVER_LIMITS.maxConnections;
  wobserver.attach(server);
  // Everything this server answers is wobserver's own: not the application's traffic, nor the request logger's to follow.
  const ours = (_req: unknown, s: unknown): boolean => s === server;
  const unignores = [wobserver.observer.traffic.ignoreRequests(ours), wobserver.observer.logs.ignoreRequests(ours)];
  const unignore = (): void => {
    for (const u of unignores) u();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    unignore();
    wobserver.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}${wobserver.prefix}`,
    server,
    wobserver,
    async close() {
      // Live clients first: upgraded sockets and event streams would hold server.close() open.
      unignore();
      wobserver.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
