// The Diagnostics page's clocks: the elapsed time of a profile and the wait
// before the next heap snapshot (shared by the page and src/ui/heap/).

/** Seconds to wait: the Retry-After header, else the "try again in N s" of the message (an answer relayed from another node), else a minute. */
export function retryAfter(header: string | null, message: string): number {
  const n = Number(header ?? /try again in (\d+) s/.exec(message)?.[1] ?? 60);
  return Number.isFinite(n) && n >= 0 ? n : 60;
}

/** m:ss (or h:mm:ss) of a duration in ms. */
export function clock(msLeft: number): string {
  const s = Math.max(0, Math.floor(msLeft / 1000));
  const p = (x: number): string => String(x).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}` : `${Math.floor(s / 60)}:${p(s % 60)}`;
}
