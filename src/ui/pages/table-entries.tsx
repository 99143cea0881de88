import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Preview, TablePage } from '../../protocol/index.js';
import { cell, words } from '../format.js';

type Entry = TablePage['entries'][number];

/** Rows are one line each, so that only the rows in view need to be in the page. */
const ROW = 28;
/** Rows rendered beyond the view on each side, so that a fast scroll does not show a gap. */
const OVERSCAN = 8;
const MAX_HEIGHT = 600;

function isObject(v: Preview): v is { [key: string]: Preview } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One column of the entries: the key, a field of object values, or the whole value. */
interface Col {
  /** What the server sorts on: `key`, `value`, `value.<field>`. */
  sort: string;
  title: string;
  show: (e: Entry) => string;
  priority: 1 | 2 | 3;
}

function columns(page: TablePage, entries: readonly Entry[]): Col[] {
  const cols: Col[] = [{ sort: 'key', title: 'Key', show: (e) => cell(e.key), priority: 1 }];
  page.fields.forEach((f, i) => {
    cols.push({ sort: `value.${f}`, title: words(f), show: (e) => (isObject(e.value) ? cell(e.value[f]) : ''), priority: i < 2 ? 1 : i < 4 ? 2 : 3 });
  });
  // Values that are not objects (or a table of scalars) keep a Value column.
  if (page.fields.length === 0 || entries.some((e) => !isObject(e.value))) {
    cols.push({ sort: 'value', title: 'Value', show: (e) => (page.fields.length > 0 && isObject(e.value) ? '' : cell(e.value)), priority: 1 });
  }
  return cols;
}

/**
 * A page of a table's entries: object values as columns (the page's `fields`),
 * headings that ask the server to sort, rows that open their detail (click or
 * Enter), and only the rows in view in the page (a 1,000-row page stays light).
 */
export function EntriesGrid(props: {
  name: string;
  page: TablePage;
  sort: string | undefined;
  order: 'asc' | 'desc';
  busy: boolean;
  onSort: (sort: string) => void;
  onOpen: (e: Entry) => void;
}): preact.JSX.Element {
  const entries = props.page.entries;
  const cols = columns(props.page, entries);
  const [scroll, setScroll] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  // A new page starts at its top: before it is painted, so that a scroll made after it shows is kept.
  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setScroll(0);
  }, [props.page.page, props.page.pageSize, props.sort, props.order]);
  const height = Math.min(MAX_HEIGHT, (entries.length + 1) * ROW + 2);
  const first = Math.max(0, Math.floor(scroll / ROW) - OVERSCAN);
  const last = Math.min(entries.length, Math.ceil((scroll + height) / ROW) + OVERSCAN);
  return (
    <div class="table-scroll entries-scroll" ref={box} style={{ height: `${height}px` }} onScroll={(e) => setScroll((e.target as HTMLDivElement).scrollTop)}>
      <table class="data entries" aria-label={`entries of ${props.name}`} aria-busy={props.busy} aria-rowcount={entries.length + 1}>
        <thead>
          <tr>
            {cols.map((c) => (
              <th class={c.priority > 1 ? `prio-${c.priority}` : undefined} aria-sort={props.sort === c.sort ? (props.order === 'desc' ? 'descending' : 'ascending') : 'none'}>
                <button type="button" class="sort" onClick={() => props.onSort(c.sort)}>
                  {c.title}
                  {props.sort === c.sort ? (props.order === 'desc' ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr class="spacer" style={{ height: `${first * ROW}px` }} aria-hidden="true" />}
          {entries.slice(first, last).map((e, i) => (
            <tr
              key={first + i}
              class="clickable"
              tabIndex={0}
              aria-rowindex={first + i + 2}
              onClick={() => props.onOpen(e)}
              onKeyDown={(ev) => {
                if (ev.key === 'Enter') props.onOpen(e);
              }}
            >
              {cols.map((c) => (
                <td class={c.priority > 1 ? `prio-${c.priority}` : undefined}>{c.show(e)}</td>
              ))}
            </tr>
          ))}
          {last < entries.length && <tr class="spacer" style={{ height: `${(entries.length - last) * ROW}px` }} aria-hidden="true" />}
        </tbody>
      </table>
      {entries.length === 0 && <p class="muted empty">No entries.</p>}
    </div>
  );
}

/** Previous, next, first, last, and a page number to jump to; shown above and below the entries. */
export function Pager(props: { page: number; pages: number; where: 'top' | 'bottom'; onGo: (page: number) => void }): preact.JSX.Element {
  const [text, setText] = useState(String(props.page + 1));
  useEffect(() => setText(String(props.page + 1)), [props.page]);
  const go = (p: number): void => {
    const to = Math.max(0, Math.min(props.pages - 1, p));
    setText(String(to + 1));
    if (to !== props.page) props.onGo(to);
  };
  const jump = (): void => {
    const n = Number(text);
    if (Number.isInteger(n)) go(n - 1);
    else setText(String(props.page + 1));
  };
  return (
    <div class="pager" role="group" aria-label={`Paging, ${props.where}`}>
      <button type="button" disabled={props.page <= 0} onClick={() => go(0)} aria-label="First page">
        «
      </button>
      <button type="button" disabled={props.page <= 0} onClick={() => go(props.page - 1)}>
        ‹ Prev
      </button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          jump();
        }}
      >
        <label>
          Page{' '}
          <input type="number" inputMode="numeric" min={1} max={props.pages} value={text} aria-label="Go to page" onInput={(e) => setText((e.target as HTMLInputElement).value)} onBlur={jump} />
        </label>{' '}
        <span data-testid={props.where === 'top' ? 'table-pages' : undefined}>of {props.pages.toLocaleString('en-US')}</span>
      </form>
      <button type="button" disabled={props.page + 1 >= props.pages} onClick={() => go(props.page + 1)}>
        Next ›
      </button>
      <button type="button" disabled={props.page + 1 >= props.pages} onClick={() => go(props.pages - 1)} aria-label="Last page">
        »
      </button>
    </div>
  );
}

/** A value as a key/value tree: objects and arrays nest, everything else is its text. */
export function Tree(props: { value: Preview }): preact.JSX.Element {
  const v = props.value;
  if (typeof v !== 'object' || v === null) return <span class={`leaf ${typeof v}`}>{cell(v)}</span>;
  const items = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  if (items.length === 0) return <span class="muted">{Array.isArray(v) ? 'empty list' : 'empty object'}</span>;
  return (
    <dl class="entry-tree">
      {items.map(([k, x]) => (
        <div>
          <dt>{k}</dt>
          <dd>
            <Tree value={x} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** An entry's detail, in a modal dialog: its key and its value as a tree. Escape or Close closes it, and focus goes back to the row. */
export function EntryDetail(props: { entry: Entry; onClose: () => void }): preact.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="entry-detail" aria-labelledby="entry-detail-title" onClose={props.onClose}>
      <header>
        <h2 id="entry-detail-title">{cell(props.entry.key)}</h2>
        <button type="button" onClick={() => ref.current?.close()}>
          Close
        </button>
      </header>
      <Tree value={props.entry.value} />
    </dialog>
  );
}
