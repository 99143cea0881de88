// Long computations in the browser run as generators that yield now and then;
// a driver runs them in slices of a few milliseconds and lets the tab paint
// and answer input between slices. Tests run the same generators to the end.

/** Where a long computation is: its phase, and how far it got (`done` of `total`, in the phase's own unit). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
}

/** A computation that yields its progress now and then and returns `T`. */
export type Work<T> = Generator<Progress, T, void>;

/** Runs `work` to its end at once (tests, Node). */
export function runSync<T>(work: Work<T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/**
 * Resolves in a new task, after the browser had its chance to paint and to
 * handle input. A MessageChannel, not `setTimeout(0)`, whose nested calls are
 * clamped to 4 ms.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A thrown `AbortError` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Runs a slice at most this long (ms) before yielding to the browser. Default of {@link runSliced}. */
export const SLICE_MS = 12;

/**
 * Runs `work` in slices of about `sliceMs` (default {@link SLICE_MS}) and
 * yields to the browser between them, reporting progress after each slice;
 * stops with an AbortError once `signal` is aborted.
 */
export async function runSliced<T>(work: Work<T>, options: { sliceMs?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  let start = performance.now();
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    if (performance.now() - start < sliceMs) continue;
    options.onProgress?.(r.value);
    await nextTask();
    throwIfAborted(options.signal);
    start = performance.now();
  }
}
