import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { cell } from '../format.js';

export interface Column<T> {
  key: string;
  title: string;
  /** The value sorted and searched on; default: `row[key]`. */
  value?: (row: T) => unknown;
  /** What the cell shows; default: the value as text. */
  render?: (row: T) => ComponentChildren;
  align?: 'right';
  width?: string;
  /**
   * How much the column matters when the screen is narrow: 1 (default) always
   * shown, 2 hidden below 900 px, 3 hidden below 600 px. The row's detail
   * shows every field, so nothing is lost.
   */
  priority?: 1 | 2 | 3;
}

function cellClass<T>(c: Column<T>): string | undefined {
  const cls = [c.align === 'right' ? 'right' : '', c.priority && c.priority > 1 ? `prio-${c.priority}` : ''].filter(Boolean).join(' ');
  return cls || undefined;
}

const ROW_HEIGHT = 28;
const LIMITS = [100, 1000, 10_000, 100_000];

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Arrow keys move between a table's rows, Enter and Space open one. */
function onRowKey(e: KeyboardEvent, open: () => void): void {
  const row = e.currentTarget as HTMLTableRowElement;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
    return;
  }
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  let next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
  // Skip the spacer rows of virtual scrolling.
  while (next !== null && !(next as HTMLElement).hasAttribute('tabindex')) next = e.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling;
  if (next === null) return;
  e.preventDefault();
  (next as HTMLElement).focus();
  (next as HTMLElement).scrollIntoView({ block: 'nearest' });
}

/**
 * A table: sortable columns (a heading is a button: click or Enter sorts,
 * again reverses), a search box over every column, a row limit, and virtual
 * scrolling (only the rows in view are in the page), so that 10,000 rows stay
 * smooth. `onRow` makes rows clickable and reachable by keyboard (Tab to a
 * row, arrows between rows, Enter or Space opens it). The scrolling box is
 * focusable and named, so it scrolls by keyboard too.
 */
export function DataTable<T>(props: {
  rows: readonly T[];
  columns: Column<T>[];
  label: string;
  rowKey: (row: T, i: number) => string;
  onRow?: (row: T) => void;
  selected?: string;
  defaultSort?: { key: string; desc?: boolean };
  height?: number;
  toolbar?: ComponentChildren;
}): preact.JSX.Element {
  const [sort, setSort] = useState(props.defaultSort ?? { key: '', desc: false });
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(10_000);
  const [scroll, setScroll] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const valueOf = (c: Column<T>, r: T): unknown => (c.value ? c.value(r) : (r as Record<string, unknown>)[c.key]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const out = needle === '' ? [...props.rows] : props.rows.filter((r) => props.columns.some((c) => cell(valueOf(c, r)).toLowerCase().includes(needle)));
    const col = props.columns.find((c) => c.key === sort.key);
    if (col !== undefined) {
      out.sort((a, b) => compare(valueOf(col, a), valueOf(col, b)) * (sort.desc ? -1 : 1));
    }
    return out;
  }, [props.rows, props.columns, search, sort.key, sort.desc]);
  const limited = shown.length > limit ? shown.slice(0, limit) : shown;

  const height = props.height ?? Math.min(600, Math.max(ROW_HEIGHT * 4, (limited.length + 1) * ROW_HEIGHT + 2));
  const first = Math.max(0, Math.floor(scroll / ROW_HEIGHT) - 10);
  const last = Math.min(limited.length, Math.ceil((scroll + height) / ROW_HEIGHT) + 10);

  return (
    <div class="table-wrap">
      <div class="toolbar">
        <input type="search" placeholder={`Search ${props.label}`} aria-label={`Search ${props.label}`} value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        <label>
          Rows{' '}
          <select aria-label="Row limit" value={String(limit)} onChange={(e) => setLimit(Number((e.target as HTMLSelectElement).value))}>
            {LIMITS.map((l) => (
              <option value={String(l)}>{l.toLocaleString('en-US')}</option>
            ))}
          </select>
        </label>
        <span class="muted" data-testid="row-count">
          {limited.length.toLocaleString('en-US')} of {props.rows.length.toLocaleString('en-US')}
        </span>
        {props.toolbar}
      </div>
      <div
        class="table-scroll"
        ref={box}
        role="region"
        aria-label={`${props.label}, scrollable`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard to scroll it (WCAG 2.1.1, axe's scrollable-region-focusable)
        tabIndex={0}
        style={{ height: `${height}px` }}
        onScroll={(e) => setScroll((e.target as HTMLDivElement).scrollTop)}
      >
        <table class="data" aria-label={props.label}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th class={cellClass(c)} scope="col" style={c.width ? { width: c.width } : undefined} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" class="sort" onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : false }))}>
                    {c.title}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr style={{ height: `${first * ROW_HEIGHT}px` }} aria-hidden="true" />}
            {limited.slice(first, last).map((r, i) => {
              const key = props.rowKey(r, first + i);
              const open = props.onRow ? () => props.onRow!(r) : undefined;
              return (
                <tr
                  key={key}
                  class={`${open ? 'clickable' : ''} ${props.selected === key ? 'selected' : ''}`}
                  tabIndex={open ? 0 : undefined}
                  aria-current={props.selected === key ? 'true' : undefined}
                  onClick={open}
                  onKeyDown={open ? (e) => onRowKey(e, open) : undefined}
                >
                  {props.columns.map((c) => (
                    <td class={cellClass(c)}>{c.render ? c.render(r) : cell(valueOf(c, r))}</td>
                  ))}
                </tr>
              );
            })}
            {last < limited.length && <tr style={{ height: `${(limited.length - last) * ROW_HEIGHT}px` }} aria-hidden="true" />}
          </tbody>
        </table>
        {limited.length === 0 && <p class="muted empty">Nothing to show.</p>}
      </div>
    </div>
  );
}
