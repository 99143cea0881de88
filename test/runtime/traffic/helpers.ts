import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InboundRoute, OutboundHost, TrafficInfo } from '../../../src/protocol/traffic.js';
import type { TrafficTracker } from '../../../src/runtime/traffic/index.js';

/**
 * Waits at least `ms` on `performance.now()`, the tracker's clock: a timer
 * alone may fire a fraction of a millisecond early by that clock.
 */
export async function waitAtLeast(ms: number): Promise<void> {
  const start = performance.now();
  for (let left = ms; left > 0; left = ms - (performance.now() - start)) await sleep(Math.ceil(left));
}

/** Listens on an ephemeral loopback port; returns the origin. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and its keep-alive connections. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on: listened on once, then closed. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Fetches and reads the whole body; returns the status and body. */
export async function get(url: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text() };
}

/**
 * Waits until the tracker counted `count` inbound responses: the server's
 * `finish` may come a moment after the client read the answer.
 */
export async function settled(tracker: TrafficTracker, count: number, timeoutMs = 5000): Promise<TrafficInfo> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const info = tracker.info();
    if (info.inbound.totals.count >= count) return info;
    if (Date.now() > end) throw new Error(`timed out waiting for ${count} inbound responses: ${JSON.stringify(info.inbound.totals)}`);
    await sleep(5);
  }
}

/** The row of one method and route; fails, listing the rows, when there is none. */
export function routeRow(info: TrafficInfo, method: string, route: string): InboundRoute {
  const row = info.inbound.routes.find((r) => r.method === method && r.route === route);
  if (row === undefined) {
    throw new Error(`no ${method} ${route} among ${JSON.stringify(info.inbound.routes.map((r) => `${r.method} ${r.route}`))}`);
  }
  return row;
}

/** The row of one outbound host; fails, listing the hosts, when there is none. */
export function hostRow(info: TrafficInfo, host: string): OutboundHost {
  const row = info.outbound.hosts.find((h) => h.host === host);
  if (row === undefined) throw new Error(`no ${host} among ${JSON.stringify(info.outbound.hosts.map((h) => h.host))}`);
  return row;
}

/** The routes seen, as `METHOD route`, sorted. */
export function routeKeys(info: TrafficInfo): string[] {
  return info.inbound.routes.map((r) => `${r.method} ${r.route}`).sort();
}
