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

const INTERNAL = { code: 'INTERNAL', message: 'wobserver failed to answer this request' } as const;

/**
 * What a client is told of `err`, over HTTP, the WebSocket and the cluster's
 * IPC alike: an HttpError and another node's error (NodeRequestError) keep
 * their status, code and message; a wobserver error whose code is in
 * `HTTP_STATUS` gets that status; anything else is a 500 `INTERNAL` without
 * its message (which may hold paths or internals).
 */
export function errorAnswer(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof HttpError || err instanceof NodeRequestError) return { status: err.status, code: err.code, message: err.message };
  const status = err instanceof WobserverError ? statusOf(err.code) : undefined;
  if (status !== undefined) return { status, code: (err as WobserverError).code, message: (err as WobserverError).message };
  return { status: 500, ...INTERNAL };
}

/** The status `sendError` answers `err` with (see `errorAnswer`). */
export function errorStatus(err: unknown): number {
  return errorAnswer(err).status;
}

/** `{ error: { code, message } }` with the status of `errorAnswer`; a 401 carries the challenge. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, code, message } = errorAnswer(err);
  const extra = err instanceof HttpError ? err.headers : undefined;
  sendJson(res, status, { error: { code, message } }, status === 401 ? { 'www-authenticate': 'Bearer, Basic realm="wobserver"', ...extra } : { ...extra });
}
