import { RuntimeError } from '../errors.js';

export type DiagnosticsErrorCode =
  | 'DIAGNOSTICS_BUSY'
  | 'DIAGNOSTICS_NOT_RUNNING'
  | 'DIAGNOSTICS_NO_HEADROOM'
  | 'DIAGNOSTICS_FAILED'
  | 'DIAGNOSTICS_INVALID'
  /** No thread of that id to profile (gone, never was, or one of wobserver's own). */
  | 'DIAGNOSTICS_THREAD_NOT_FOUND';

/** A diagnostics action refused or failed, with a stable `code` (its HTTP status is in server/error-status.ts). */
export class DiagnosticsError extends RuntimeError<DiagnosticsErrorCode> {}
