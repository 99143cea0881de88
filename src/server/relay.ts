import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { NodeAddress, NodeClient } from '../nodes/index.js';

/** The named headers of a request or an answer that are strings. */
export function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of names) if (typeof headers[h] === 'string') out[h] = headers[h] as string;
  return out;
}

/**
 * Sends a signed request to another node and streams its answer back, with
 * only the named headers of it. A node that cannot be reached rejects with
 * the client's NodeRequestError (sendError answers it with its status).
 */
export async function relay(
  res: ServerResponse,
  client: NodeClient,
  address: NodeAddress,
  o: { method: string; path: string; headers: Record<string, string>; back: readonly string[]; body?: Buffer; timeoutMs?: number; extra?: Record<string, string> },
): Promise<void> {
  const answer = await client.send(address, o.method, o.path, { headers: o.headers, ...(o.body && o.body.length > 0 ? { body: o.body } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  res.writeHead(answer.statusCode ?? 502, { ...(o.extra ?? {}), ...pick(answer.headers, o.back) });
  await new Promise<void>((resolve) => {
    answer.pipe(res);
    answer.on('error', () => res.destroy());
    res.on('close', () => {
      answer.destroy();
      resolve();
    });
  });
}
