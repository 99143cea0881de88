import type { ServerResponse } from 'node:http';
import { NodeRequestError } from '../nodes/index.js';

/** The one HTTP error type: a status, a stable code, a message; turned into a response in one place. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  /** Headers the answer carries besides the usual ones (a 401's challenge). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Sends JSON with the headers every API answer carries. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** `{ error: { code, message } }` with the error's status (another node's errors keep theirs); anything that is not an HttpError is a 500 without internals. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError || err instanceof NodeRequestError) {
    const extra = err instanceof HttpError ? err.headers : undefined;
    sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.status === 401 ? { 'www-authenticate': 'Bearer, Basic realm="wobserver"', ...extra } : { ...extra });
    return;
  }
  const coded = err as { code?: unknown; message?: unknown };
  if (typeof coded?.code === 'string' && /^(TABLE|PAGE|DIAGNOSTICS)_/.test(coded.code)) {
    // `_FAILED`: the application's table (or the inspector) failed, not the request: 500 with the typed code.
    const status = /NOT_FOUND|NOT_RUNNING/.test(coded.code) ? 404 : /BUSY|NO_HEADROOM/.test(coded.code) ? 409 : /_FAILED$/.test(coded.code) ? 500 : 400;
    sendJson(res, status, { error: { code: coded.code, message: String(coded.message) } });
    return;
  }
  sendJson(res, 500, { error: { code: 'INTERNAL', message: 'wobserver failed to answer this request' } });
}
