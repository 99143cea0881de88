import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `fn` every 100 ms until `ok` holds for its value; fails, naming `what`, after `timeoutMs`. */
export async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out: ${what}: ${JSON.stringify(v)?.slice(0, 500)}`);
    await sleep(100);
  }
}

/** Waits until `check` is true. */
export function untilTrue(check: () => boolean, what: string, timeoutMs = 20_000): Promise<boolean> {
  return until(check, (v) => v, what, timeoutMs);
}
