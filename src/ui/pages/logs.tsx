import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LogLevel, LogLine } from '../../client/index.js';
import { bytes, date, num } from '../format.js';
import { href } from '../router.js';
import { Page } from './common.js';
import { TAIL_KEEP, useLogTail } from './log-tail.js';
import './logs.css';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const clock = (t: number): string => {
  const d = new Date(t);
  return `${date(t).slice(11)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** One line: time, level, source, message, and its fields (pino's, winston's) as JSON, folded when long. */
export function LogRow(props: { line: LogLine }): preact.JSX.Element {
  const l = props.line;
  const fields = l.fields === null ? '' : JSON.stringify(l.fields);
  return (
    <div class={`lg-line lv-${l.level ?? 'none'}`} data-seq={l.seq}>
      <span class="lg-time" title={date(l.time)}>
        {clock(l.time)}
      </span>
      <span class="lg-level">{l.level ?? '–'}</span>
      <span class="lg-source">{l.source}</span>
      <span class="lg-message">
        {l.message}
        {l.truncated && <span class="muted"> (cut)</span>}
        {fields !== '' &&
          (fields.length > 160 ? (
            <details class="lg-fields">
              <summary>{fields.slice(0, 120)}…</summary>
              <pre>{JSON.stringify(l.fields, null, 2)}</pre>
            </details>
          ) : (
            <code class="lg-fields"> {fields}</code>
          ))}
      </span>
    </div>
  );
}

/**
 * The Logs page: a live tail of the node's captured lines (console, stdout,
 * stderr, pino, winston), a level filter and a search (both read on the
 * node), pause, and what was dropped: by the node's ring when it was full,
 * and by this page past its own 2,000 lines. Follows the end unless scrolled up.
 */
export function LogsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [level, setLevel] = useState<LogLevel | undefined>(undefined);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  // The search is asked of the node once typing rests.
  useEffect(() => {
    const t = setTimeout(() => setSearch(typed.trim()), 300);
    return () => clearTimeout(t);
  }, [typed]);
  const tail = useLogTail(props.node, level, search, paused);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el !== null && follow.current) el.scrollTop = el.scrollHeight;
  }, [tail.lines]);
  const ring = tail.info?.ring;
  const controls = (
    <div class="lg-controls">
      <label>
        Level{' '}
        <select aria-label="Level" value={level ?? ''} onChange={(e) => setLevel(((e.target as HTMLSelectElement).value || undefined) as LogLevel | undefined)}>
          <option value="">all</option>
          {LEVELS.map((l) => (
            <option value={l}>{l} and above</option>
          ))}
        </select>
      </label>
      <input type="search" placeholder="Search messages and fields" aria-label="Search logs" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
      <button type="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)} data-testid="lg-pause">
        {paused ? 'Resume' : 'Pause'}
      </button>
    </div>
  );
  return (
    <Page title="Logs" controls={controls} error={tail.error} loading={tail.info === undefined && tail.error === undefined}>
      {tail.info && ring && (
        <>
          {!tail.info.capturing && (
            <div class="card notice" data-testid="lg-off">
              <strong>Logs are not captured on this node</strong>: the option <code>logs</code> is false (or the capture was closed).
            </div>
          )}
          <p class="muted lg-state" data-testid="lg-state">
            {paused ? 'Paused. ' : 'Live. '}
            {num(tail.lines.length)} lines shown; the node keeps {num(ring.lines)} of {num(ring.maxLines)} ({bytes(ring.bytes)} of {bytes(ring.maxBytes)}) from {tail.info.sources.join(', ')}.
            {ring.droppedLines > 0 && (
              <span class="error" data-testid="lg-dropped">
                {' '}
                {num(ring.droppedLines)} older lines dropped by the node's ring ({bytes(ring.droppedBytes)}).
              </span>
            )}
            {tail.missed > 0 && <span class="error"> {num(tail.missed)} lines were dropped before this page read them.</span>}
            {tail.trimmed > 0 && ` ${num(tail.trimmed)} older lines left this page (it keeps ${num(TAIL_KEEP)}).`} To see what one request logged, use the <a href={href('requestlog')}>request logger</a>.
          </p>
          <div
            class="card lg-box"
            ref={box}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard to scroll it (WCAG 2.1.1, axe's scrollable-region-focusable)
            tabIndex={0}
            role="log"
            aria-label="Log lines"
            data-testid="lg-lines"
            onScroll={(e) => {
              const el = e.currentTarget as HTMLDivElement;
              follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
            }}
          >
            {tail.lines.length === 0 ? (
              <p class="muted">{level !== undefined || search !== '' ? 'No line matches yet.' : 'No line captured yet.'}</p>
            ) : (
              tail.lines.map((l) => <LogRow key={l.seq} line={l} />)
            )}
          </div>
        </>
      )}
    </Page>
  );
}
