/** What an error code must look like to be kept as a label value: `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
const CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  cause?: unknown;
}

/**
 * The code an outbound failure is counted under: `ETIMEDOUT` for a timeout
 * signal (`AbortSignal.timeout()` gives fetch a `TimeoutError` and
 * `http.request` an `AbortError` caused by one), else the error's own code
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, undici's `UND_ERR_*`), else its
 * cause's (fetch wraps the socket's error), `ABORT_ERR` for an abort, and
 * `UNKNOWN` for anything else. Only upper-case codes of up to 40 characters
 * pass, so that a label value stays a code.
 */
export function errorCode(err: unknown): string {
  if (err === null || typeof err !== 'object') return 'UNKNOWN';
  const e = err as ErrorLike;
  const cause = (e.cause !== null && typeof e.cause === 'object' ? e.cause : {}) as ErrorLike;
  if (e.name === 'TimeoutError' || cause.name === 'TimeoutError') return 'ETIMEDOUT';
  if (typeof e.code === 'string' && CODE.test(e.code)) return e.code;
  if (typeof cause.code === 'string' && CODE.test(cause.code)) return cause.code;
  if (e.name === 'AbortError') return 'ABORT_ERR';
  return 'UNKNOWN';
}
