import { WobserverError } from '../metrics/errors.js';

/** Base of the runtime layer's errors: a {@link WobserverError} whose `code` type each subclass narrows to its own. */
export class RuntimeError<C extends string> extends WobserverError {
  declare readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
