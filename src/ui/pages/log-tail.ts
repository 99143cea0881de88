import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogLevel, LogLine, LogsInfo } from '../../client/index.js';
import { connection } from '../conn.js';

/** Lines the page keeps while open; older ones leave it (the node's ring keeps its own). */
export const TAIL_KEEP = 2000;
/** Lines asked per read. */
const PAGE = 500;
/** Between reads when nothing more is waiting. */
const POLL_MS = 1000;

export interface TailState {
  lines: LogLine[];
  /** The latest answer's ring state and sources; undefined before the first. */
  info: Omit<LogsInfo, 'lines'> | undefined;
  /** Lines the node's ring dropped before this page read them (it fell behind, or was paused). */
  missed: number;
  /** Lines that left this page to stay within TAIL_KEEP. */
  trimmed: number;
  error: { code: string; message: string } | undefined;
}

/**
 * A live tail of a node's `logs` topic: the newest lines first, then what
 * came after them, read again at once while more is waiting and every second
 * otherwise. Each read asks `since` the previous answer's `next`, so nothing
 * is read twice and a gap the ring made is counted (`missed`). Paused, it
 * stops reading; resumed, it goes on from where it stopped. A change of
 * level, search or node starts again from the newest lines.
 */
export function useLogTail(node: string | undefined, level: LogLevel | undefined, search: string, paused: boolean): TailState {
  const [state, setState] = useState<TailState>({ lines: [], info: undefined, missed: 0, trimmed: 0, error: undefined });
  const next = useRef<number | undefined>(undefined);
  const key = JSON.stringify([node, level, search]);
  const lastKey = useRef(key);
  if (lastKey.current !== key) {
    lastKey.current = key;
    next.current = undefined;
  }
  useEffect(() => {
    setState({ lines: [], info: undefined, missed: 0, trimmed: 0, error: undefined });
  }, [key]);
  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const read = (): void => {
      const params: Record<string, string | number> = { limit: PAGE };
      if (next.current !== undefined) params.since = next.current;
      if (level !== undefined) params.level = level;
      if (search !== '') params.search = search;
      let answered = false;
      unsubscribe = connection().subscribe<LogsInfo>(
        'logs',
        { params, every: 0, node },
        (page) => {
          if (answered || stopped) return;
          answered = true;
          unsubscribe?.();
          const { lines, ...info } = page;
          next.current = page.next;
          setState((s) => {
            const all = lines.length === 0 ? s.lines : [...s.lines, ...lines];
            const cut = Math.max(0, all.length - TAIL_KEEP);
            return { lines: cut > 0 ? all.slice(cut) : all, info, missed: s.missed + page.missed, trimmed: s.trimmed + cut, error: undefined };
          });
          timer = setTimeout(read, page.more ? 0 : POLL_MS);
        },
        (e) => {
          if (answered || stopped) return;
          answered = true;
          unsubscribe?.();
          setState((s) => ({ ...s, error: { code: e.code, message: e.message } }));
          timer = setTimeout(read, POLL_MS * 5);
        },
      );
    };
    read();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
    };
  }, [key, paused]);
  return state;
}
