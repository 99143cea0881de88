/**
 * The one table from an error's `code` to the HTTP status a client gets. A
 * code missing here is not meant for clients: its error is answered as a 500
 * `INTERNAL` without its message. `HttpError` keeps the status it is given
 * (its constructor takes one), and a test checks every `new HttpError(status,
 * code, …)` in the source against this table.
 */
export const HTTP_STATUS: Readonly<Record<string, number>> = Object.freeze({
  // Requests the server refuses.
  BAD_PARAMETER: 400,
  BAD_MESSAGE: 400,
  BAD_PATH: 400,
  UNKNOWN_COMMAND: 400,
  UNKNOWN_TOPIC: 400,
  UNKNOWN_FORMAT: 400,
  UNAUTHORIZED: 401,
  HOST_NOT_ALLOWED: 403,
  CROSS_SITE: 403,
  PROXY_DISABLED: 403,
  DIAGNOSTICS_DISABLED: 403,
  NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  PROCESS_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  NOT_SUBSCRIBED: 404,
  METHOD_NOT_ALLOWED: 405,
  DUPLICATE_ID: 409,
  NO_AUTH: 409,
  BODY_TOO_LARGE: 413,
  UPGRADE_REQUIRED: 426,
  RATE_LIMITED: 429,
  TOO_MANY_SUBSCRIPTIONS: 429,
  TOO_MANY_CLIENTS: 503,
  // Requests between nodes (signing.ts's verdicts).
  NODE_UNSIGNED: 401,
  NODE_SIGNATURE_INVALID: 401,
  NODE_CLOCK_SKEW: 401,
  NODE_REPLAY: 401,
  NODE_BODY_NOT_ALLOWED: 400,
  NODE_MISDIRECTED: 421,
  NODE_BUSY: 503,
  // Another node that could not be reached or believed (NodeRequestError; one relaying another node's answer keeps that node's status).
  NODE_UNREACHABLE: 502,
  NODE_BAD_ANSWER: 502,
  NODE_ANSWER_TOO_LARGE: 502,
  NODE_ANSWER_INVALID: 502,
  NODE_ANSWER_UNSIGNED: 502,
  NODE_METRICS_INVALID: 502,
  NODE_TIMEOUT: 504,
  // The application's tables (TableError): `_FAILED` is the application's table failing, not the request.
  TABLE_EXISTS: 400,
  TABLE_INVALID: 400,
  TABLE_QUERY_INVALID: 400,
  TABLE_NOT_FOUND: 404,
  TABLE_FAILED: 500,
  // Custom pages (CustomPageError).
  PAGE_INVALID: 400,
  PAGE_EXISTS: 400,
  PAGE_NOT_FOUND: 404,
  // Diagnostics (DiagnosticsError): `_FAILED` is the inspector failing.
  DIAGNOSTICS_INVALID: 400,
  DIAGNOSTICS_NOT_RUNNING: 404,
  DIAGNOSTICS_THREAD_NOT_FOUND: 404,
  DIAGNOSTICS_BUSY: 409,
  DIAGNOSTICS_NO_HEADROOM: 409,
  DIAGNOSTICS_FAILED: 500,
});

/** The status of a code a client may see, or undefined for one it may not. */
export function statusOf(code: string): number | undefined {
  return Object.hasOwn(HTTP_STATUS, code) ? HTTP_STATUS[code] : undefined;
}
