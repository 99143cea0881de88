import { WobserverError } from '../metrics/errors.js';

/** An error another node answered, or why it could not be reached or believed. */
export class NodeRequestError extends WobserverError {
  /** The status to answer with: another node's own (its code is relayed as it came), or 502/504 when it could not be reached or believed. */
  readonly status: number;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
