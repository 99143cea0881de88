/** Base of the runtime layer's errors: a message and a stable, machine-readable `code`. */
export class RuntimeError<C extends string> extends Error {
  readonly code: C;

  constructor(code: C, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}
