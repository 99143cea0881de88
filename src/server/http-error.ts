import type { ServerResponse } from 'node:http';
import { WobserverError } from '../errors.js';
import { NodeRequestError } from '../nodes/index.js';
import { statusOf } from './error-status.js';

/**
 * The one HTTP error type: a status, a stable code, a message; turned into a
 * response in one place (`sendError`). Its status is that of its code in
 * `HTTP_STATUS` (a test holds every use to it).
 *
 * @example
 * throw new HttpError(404, 'NOT_FOUND', `Nothing at ${path}`);
 */
export class HttpError extends WobserverError {
  readonly status: number;
  /** Headers the answer carries besides the usual ones (a 401's challenge). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(code, message);
    this.status = status;
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

/** `{ error: { code, message } }` with the error's status (another node's errors keep theirs, other errors that of their code in `HTTP_STATUS`); anything else is a 500 without internals. */
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
  const status = tableStatus(err);
  if (status !== undefined) {
    sendJson(res, status, { error: { code: (err as WobserverError).code, message: (err as WobserverError).message } });
    return;
  }
  sendJson(res, 500, { error: { code: 'INTERNAL', message: 'wobserver failed to answer this request' } });
}

/** The status of a wobserver error whose code is in `HTTP_STATUS`, else undefined. */
function tableStatus(err: unknown): number | undefined {
  return err instanceof WobserverError ? statusOf(err.code) : undefined;
}

/** The status `sendError` would answer `err` with: its own (HttpError, another node's), its code's, else 500. */
export function errorStatus(err: unknown): number {
  if (err instanceof HttpError || err instanceof NodeRequestError) return err.status;
  return tableStatus(err) ?? 500;
}
