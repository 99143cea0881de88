// biome-ignore lint/complexity/noBannedTypes: any method of any object is wrapped
type Method = Function;

/** A method replaced by `wrapMethod()`. */
export interface Wrapped {
  /** False once restored: the wrapper, if still called (someone wrapped it after us), only passes the call on. */
  readonly active: boolean;
  /**
   * Puts back exactly what was there (an own property as it was, or none, so
   * that the prototype's method shows again). When someone replaced the
   * method after us, theirs stays: ours, under it, stops capturing and passes
   * calls on. Idempotent.
   */
  restore(): void;
}

/**
 * Replaces `target[key]` with `make(original, state)`, which must pass every
 * call on to `original` and capture only while `state.active`. Returns
 * undefined, touching nothing, when the property is not a plain, writable
 * function (a getter, a frozen object).
 *
 * ```ts
 * const w = wrapMethod(console, 'log', (orig, state) => function (...args) { if (state.active) seen(args); return orig.apply(this, args); });
 * w?.restore();
 * ```
 */
export function wrapMethod(target: object, key: string, make: (original: Method, state: { readonly active: boolean }) => Method): Wrapped | undefined {
  const own = Object.getOwnPropertyDescriptor(target, key);
  const original = (target as Record<string, unknown>)[key];
  if (typeof original !== 'function') return undefined;
  if (own !== undefined && (!('value' in own) || own.writable !== true || own.configurable !== true)) return undefined;
  if (own === undefined && Object.isExtensible(target) === false) return undefined;
  const state = { active: true };
  const wrapper = make(original, state);
  Object.defineProperty(target, key, { value: wrapper, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
  return {
    get active() {
      return state.active;
    },
    restore() {
      if (!state.active) return;
      state.active = false;
      if ((target as Record<string, unknown>)[key] !== wrapper) return;
      if (own !== undefined) Object.defineProperty(target, key, own);
      else delete (target as Record<string, unknown>)[key];
    },
  };
}
