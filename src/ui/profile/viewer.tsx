// The profile viewer, loaded on demand (diagnostics.tsx imports it with
// import() when a profile is opened, so it stays out of the first page).
import { useMemo, useState } from 'preact/hooks';
import { type Column, DataTable } from '../components/table.js';
import { bytes, ms } from '../format.js';
import { FlameGraph, type Formatter } from './flame-graph.js';
import { type ProfileTree, buildTree } from './model.js';
import { type FunctionRow, functionTable, matchFunctions, matchedTotal, place } from './queries.js';

/** How the tree's unit reads: CPU microseconds as ms, heap sizes as bytes. */
export function formatter(t: ProfileTree): Formatter {
  return t.unit === 'us' ? (v) => (v === 0 ? '0 ms' : ms(v / 1000)) : (v) => bytes(v);
}

const share = (v: number, whole: number): string => `${((v / (whole || 1)) * 100).toFixed(1)} %`;

function columns(t: ProfileTree, fmt: Formatter): Column<FunctionRow>[] {
  const whole = t.total[0]!;
  const what = t.unit === 'us' ? 'time' : 'bytes';
  return [
    { key: 'name', title: 'Function' },
    { key: 'place', title: 'Location', value: (r) => place(r), priority: 2 },
    { key: 'self', title: `Self ${what}`, align: 'right', render: (r) => fmt(r.self) },
    { key: 'selfShare', title: 'Self %', align: 'right', value: (r) => r.self, render: (r) => share(r.self, whole), priority: 3 },
    { key: 'total', title: `Total ${what}`, align: 'right', render: (r) => fmt(r.total) },
    { key: 'totalShare', title: 'Total %', align: 'right', value: (r) => r.total, render: (r) => share(r.total, whole), priority: 3 },
  ];
}

/**
 * A profile (the parsed JSON of a `.cpuprofile` or `.heapprofile`) as a flame
 * graph with a search and zoom history, above the table of functions by self
 * time (or bytes); a row highlights its function in the graph. A profile that
 * is neither format shows the error instead.
 */
export function ProfileViewer(props: { profile: unknown; title: string }): preact.JSX.Element {
  const built = useMemo(() => {
    try {
      return { tree: buildTree(props.profile) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [props.profile]);
  if (built.tree === undefined) {
    return (
      <p class="error" role="alert">
        Cannot show this profile: {built.error}
      </p>
    );
  }
  return <Loaded tree={built.tree} title={props.title} />;
}

function Loaded(props: { tree: ProfileTree; title: string }): preact.JSX.Element {
  const { tree } = props;
  const fmt = useMemo(() => formatter(tree), [tree]);
  const rows = useMemo(() => functionTable(tree).filter((r) => r.total > 0), [tree]);
  const cols = useMemo(() => columns(tree, fmt), [tree, fmt]);
  const [history, setHistory] = useState<number[]>([0]);
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const zoom = history[history.length - 1]!;
  const highlight = useMemo(() => {
    if (picked !== undefined) {
      const h = new Uint8Array(tree.functions.length);
      h[picked] = 1;
      return h;
    }
    return search.trim() === '' ? null : matchFunctions(tree, search);
  }, [tree, search, picked]);
  const matched = highlight === null ? undefined : matchedTotal(tree, highlight);
  const onZoom = (i: number): void => setHistory((h) => (h[h.length - 1] === i ? h : i === 0 ? [0] : [...h, i]));
  const onBack = (): void => setHistory((h) => (h.length > 1 ? h.slice(0, -1) : h));
  const zoomed = tree.functions[tree.fn[zoom]!]!;
  const pickedName = picked === undefined ? undefined : tree.functions[picked]!.name;

  return (
    <section class="profile-viewer" aria-label={`Profile ${props.title}`} data-kind={tree.kind}>
      <div class="toolbar flame-toolbar">
        <input
          type="search"
          placeholder="Search functions or files"
          aria-label="Search the flame graph"
          value={search}
          onInput={(e) => {
            setPicked(undefined);
            setSearch((e.target as HTMLInputElement).value);
          }}
        />
        {matched !== undefined && (
          <span class="muted" data-testid="flame-matched" role="status">
            {pickedName !== undefined ? `${pickedName}: ` : 'matched: '}
            {fmt(matched)}, {share(matched, tree.total[0]!)} of the total
          </span>
        )}
        {picked !== undefined && (
          <button type="button" onClick={() => setPicked(undefined)}>
            Clear highlight
          </button>
        )}
        <button type="button" disabled={history.length <= 1} onClick={onBack}>
          Back
        </button>
        <button type="button" disabled={zoom === 0} onClick={() => setHistory([0])}>
          Reset zoom
        </button>
        <span class="muted flame-where" data-testid="flame-zoom">
          {zoom === 0 ? `${tree.count.toLocaleString('en-US')} frames, ${fmt(tree.total[0]!)} in all` : `zoomed into ${zoomed.name} (${share(tree.total[zoom]!, tree.total[0]!)})`}
        </span>
      </div>
      <FlameGraph tree={tree} fmt={fmt} zoom={zoom} onZoom={onZoom} onBack={onBack} highlight={highlight} />
      <h3 class="flame-table-title">Functions by {tree.unit === 'us' ? 'self time' : 'self bytes'}</h3>
      <DataTable
        rows={rows}
        columns={cols}
        label="functions"
        rowKey={(r) => String(r.fn)}
        defaultSort={{ key: 'self', desc: true }}
        selected={picked === undefined ? undefined : String(picked)}
        onRow={(r) => setPicked((p) => (p === r.fn ? undefined : r.fn))}
        height={360}
      />
    </section>
  );
}
