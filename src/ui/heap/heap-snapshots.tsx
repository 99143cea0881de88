import { useEffect, useRef, useState } from 'preact/hooks';
import { WRITE_HEADERS } from '../conn.js';
import { bytes, date, ms, num, percent } from '../format.js';
import { Card } from '../pages/common.js';
import { clock, retryAfter } from '../pages/countdown.js';
import type { Comparison } from './compare.js';
import { GrowthTable, SummaryTable } from './heap-tables.js';
import type { Progress } from './slices.js';
import type { TakenSnapshot } from './take.js';
import './heap.css';

/** How many snapshots the page keeps in memory: the latest and the one before, to compare. */
export const KEPT_SNAPSHOTS = 2;

interface Kept extends TakenSnapshot {
  /** 1, 2, 3… in the order taken on this page. */
  no: number;
}

type View = { kind: 'summary'; no: number } | { kind: 'growth'; from: number; to: number };

/** What the analysis is doing, in words. */
function progressText(p: Progress): string {
  switch (p.phase) {
    case 'taking':
      return 'Taking the snapshot… the process is paused meanwhile.';
    case 'reading':
      return `Reading the snapshot: ${bytes(p.done)}${p.total > 0 ? ` of ${bytes(p.total)}` : ''}…`;
    default:
      return `Analysing: ${p.phase}${p.total > 0 ? ` ${percent(Math.min(1, p.done / p.total), 0)}` : ''}…`;
  }
}

/** Bytes the page holds for a kept snapshot: the file, and 16 bytes an object to compare it. */
function heldBytes(k: Kept): number {
  return k.blob.size + k.summary.nodeCount * 16;
}

function save(k: { blob: Blob; filename: string }): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(k.blob);
  a.download = k.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Re-renders every 250 ms while `on`. */
function useTicking(on: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setTick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [on]);
}

/**
 * The Diagnostics page's heap snapshots: takes one from the observed process
 * (`POST api/[<node>/]diagnostics/heap-snapshot`), reads and analyses it in
 * this tab in slices that keep the tab responsive, and shows the summary by
 * constructor; with two, "Compare with previous" shows what grew. Keeps the
 * last {@link KEPT_SNAPSHOTS} in memory (each also saved as a file on
 * request) and lets them go when the page is left. `disabled` while another
 * diagnostic runs.
 */
export function HeapSnapshots(props: { node: string | undefined; disabled?: boolean }): preact.JSX.Element {
  const [kept, setKept] = useState<Kept[]>([]);
  const [progress, setProgress] = useState<Progress | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [retryAt, setRetryAt] = useState(0);
  const [view, setView] = useState<View | undefined>(undefined);
  const [growth, setGrowth] = useState<{ from: number; to: number; result: Comparison } | undefined>(undefined);
  const abort = useRef<AbortController | undefined>(undefined);
  const counter = useRef(0);
  useEffect(() => () => abort.current?.abort(), []);
  const wait = retryAt - Date.now();
  useTicking(wait > 0);
  const busy = progress !== undefined;

  const take = async (): Promise<void> => {
    const controller = new AbortController();
    abort.current = controller;
    setError(undefined);
    setProgress({ phase: 'taking', done: 0, total: 0 });
    let engine: typeof import('./take.js') | undefined;
    try {
      engine = await import('./take.js');
      const prefix = props.node ? `${encodeURIComponent(props.node)}/` : '';
      const taken = await engine.takeSnapshot(`api/${prefix}diagnostics/heap-snapshot`, WRITE_HEADERS, { signal: controller.signal, onProgress: setProgress });
      const no = ++counter.current;
      setKept((k) => [...k, { ...taken, no }].slice(-KEPT_SNAPSHOTS));
      setView({ kind: 'summary', no });
    } catch (e) {
      if (controller.signal.aborted) return;
      if (engine && e instanceof engine.SnapshotTooLargeError) {
        save(e);
        setError(`${e.code}: ${e.message}`);
      } else if (engine && e instanceof engine.SnapshotRequestError) {
        setError(`${e.code}: ${e.message}`);
        if (e.retryAfterSeconds !== undefined) setRetryAt(Date.now() + retryAfter(Number.isFinite(e.retryAfterSeconds) ? String(e.retryAfterSeconds) : null, e.message) * 1000);
      } else setError(`${(e as { code?: string }).code ?? 'FAILED'}: ${(e as Error).message}`);
    } finally {
      if (!controller.signal.aborted) setProgress(undefined);
    }
  };

  const compareLatest = async (): Promise<void> => {
    const [a, b] = kept.slice(-2);
    if (a === undefined || b === undefined) return;
    setView({ kind: 'growth', from: a.no, to: b.no });
    if (growth?.from === a.no && growth.to === b.no) return;
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ phase: 'comparing', done: 0, total: 0 });
    try {
      const { compareSnapshots } = await import('./take.js');
      const result = await compareSnapshots(a.summary, b.summary, { signal: controller.signal, onProgress: setProgress });
      setGrowth({ from: a.no, to: b.no, result });
    } catch (e) {
      if (!controller.signal.aborted) setError(`FAILED: ${(e as Error).message}`);
    } finally {
      if (!controller.signal.aborted) setProgress(undefined);
    }
  };

  const shown = view?.kind === 'summary' ? kept.find((k) => k.no === view.no) : undefined;
  const held = kept.reduce((s, k) => s + heldBytes(k), 0);
  return (
    <Card title="Heap snapshot" wide>
      <p>
        Every object on the heap, written to a file and streamed; at most one a minute. Read in this tab: the objects by constructor, with their shallow and retained sizes; with two, what grew between them. Each can be saved as a
        .heapsnapshot for Chrome DevTools.
      </p>
      <div class="heap-actions">
        <button type="button" disabled={props.disabled || busy || wait > 0} onClick={() => void take()}>
          Take heap snapshot
        </button>
        <button type="button" disabled={busy || kept.length < 2} onClick={() => void compareLatest()}>
          Compare with previous
        </button>
      </div>
      {progress && (
        <p class="elapsed" role="status" data-testid="heap-progress">
          {progressText(progress)}
        </p>
      )}
      {wait > 0 && (
        <p class="elapsed" data-testid="snapshot-countdown" role="timer">
          Next snapshot allowed in {clock(Math.ceil(wait / 1000) * 1000)}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {kept.length > 0 && (
        <>
          <p class="muted" data-testid="heap-kept">
            This tab keeps the last {KEPT_SNAPSHOTS} snapshots in memory ({bytes(held)}) and lets them go when you leave this page.
          </p>
          <ul class="heap-list" aria-label="Snapshots kept">
            {kept.map((k) => (
              <li key={k.no} class={shown?.no === k.no ? 'current' : undefined}>
                <span class="heap-name">Snapshot {k.no}</span>
                <span class="muted">
                  {date(k.takenAt)} · {bytes(k.blob.size)} · {num(k.summary.nodeCount)} objects, {bytes(k.summary.totalSize)} · read in {ms(k.totalMs)}
                </span>
                <button type="button" aria-label={`Summary of snapshot ${k.no}`} aria-pressed={shown?.no === k.no} onClick={() => setView({ kind: 'summary', no: k.no })}>
                  Summary
                </button>
                <button type="button" aria-label={`Save .heapsnapshot of snapshot ${k.no}`} onClick={() => save(k)}>
                  Save .heapsnapshot
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {shown && (
        <section aria-label={`Snapshot ${shown.no} by constructor`}>
          <h3>Snapshot {shown.no} by constructor</h3>
          <SummaryTable summary={shown.summary} label="heap summary" />
        </section>
      )}
      {view?.kind === 'growth' && growth?.from === view.from && growth.to === view.to && (
        <section aria-label="What grew">
          <h3>
            What grew from snapshot {growth.from} to snapshot {growth.to}
          </h3>
          <p class="muted">By constructor, the most grown in shallow size first; new and deleted objects by their ids, which hold between snapshots of one process.</p>
          {growth.result.idsReset && (
            <p class="notice" role="note" data-testid="ids-reset">
              The object ids do not match between these snapshots ({percent(growth.result.mismatched / growth.result.common, 0)} of the shared ids changed constructor): the heap profiler was reset in between (a sampling heap profile stopped,
              or the process restarted). New and deleted objects mean nothing here; the changes in objects and size still hold.
            </p>
          )}
          <GrowthTable rows={growth.result.rows} />
        </section>
      )}
    </Card>
  );
}
