import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { JSON_TYPE, type NodeAddress, type NodeClient, NodeRequestError } from '../nodes/index.js';

/** The named headers of a request or an answer that are strings. */
export function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of names) if (typeof headers[h] === 'string') out[h] = headers[h] as string;
  return out;
}

/** What the API relays from another node: JSON (pages, errors, and every diagnostics download, which are JSON files). */
export const API_TYPES: readonly RegExp[] = [JSON_TYPE];

/**
 * Sends a signed request to another node and relays its answer once its
 * signature is checked (JSON from memory, a download from the file it was
 * spooled to), with only the named headers of it and only when its content
 * type is one of `types`: anything else is `502 NODE_BAD_ANSWER`, so another
 * node can never put its HTML on this origin. A node that cannot be reached
 * or believed rejects with the client's NodeRequestError (sendError answers
 * it with its status).
 */
export async function relay(
  res: ServerResponse,
  client: NodeClient,
  address: NodeAddress,
  o: { method: string; path: string; headers: Record<string, string>; back: readonly string[]; types: readonly RegExp[]; timeoutMs?: number; extra?: Record<string, string> },
): Promise<void> {
  const answer = await client.fetch(address, o.method, o.path, { headers: o.headers, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  try {
    if (!o.types.some((t) => t.test(answer.contentType))) {
      throw new NodeRequestError(502, 'NODE_BAD_ANSWER', `Another node answered ${JSON.stringify(answer.contentType.slice(0, 80))}, which is not relayed`);
    }
    const headers = { ...(o.extra ?? {}), ...pick(answer.headers, o.back.filter((h) => h !== 'content-length')) };
    if ('body' in answer) {
      res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
      return;
    }
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.bytes) });
    await pipeline(createReadStream(answer.file), res).catch(() => res.destroy());
  } finally {
    if ('file' in answer) await unlink(answer.file).catch(() => undefined);
  }
}
