import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { PortKind, PortRow, PortsInfo } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { plain } from '../format.js';
import { Card, Page } from './common.js';
import { fdKind, GROUP_TABLES, KINDS, kindName } from './port-columns.js';
import { type Handle, PortDetail } from './port-detail.js';
import './ports.css';

/** Each row with an id that survives a refresh: its kind and descriptor, or its place among its kind and type. */
function withIds(rows: readonly PortRow[]): Handle[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    if (row.fd !== undefined) return { id: `${row.kind}:fd${row.fd}`, row };
    const base = `${row.kind}:${row.type}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { id: `${base}#${n}`, row };
  });
}

/** "31 handles: 3 servers + 11 sockets + 17 libuv internals": every group with any, so the parts add up to the total. */
function Summary(props: { p: PortsInfo }): preact.JSX.Element {
  const parts = (Object.keys(KINDS) as PortKind[]).filter((k) => props.p.kinds[k] > 0);
  return (
    <p class="ports-summary" data-testid="ports-summary">
      <strong data-testid="ports-total">{props.p.total}</strong> {props.p.total === 1 ? 'handle' : 'handles'}
      {parts.length > 0 ? ': ' : ''}
      {parts.map((k, i) => (
        <>
          {i > 0 ? ' + ' : ''}
          <span class="ports-part" data-kind={k} data-count={props.p.kinds[k]}>
            {props.p.kinds[k]} {kindName(k, props.p.kinds[k])}
          </span>
        </>
      ))}
      .{props.p.truncated ? ` The first ${props.p.handles.length} are listed.` : ''} Source: {props.p.source === 'report' ? 'process.report (every libuv handle)' : 'the cheap path (tracked sockets and referenced handles)'}.
      {props.p.fds !== null ? ` ${props.p.fds.length}${props.p.fdsTruncated ? '+' : ''} file descriptors.` : ''}
    </p>
  );
}

/** Its children folded away behind "Show …" when `fold`, else as they are. */
function Fold(props: { fold: boolean; what: string; children: ComponentChildren }): preact.JSX.Element {
  if (!props.fold) return <>{props.children}</>;
  return (
    <details class="ports-fold">
      <summary>Show {props.what}</summary>
      {props.children}
    </details>
  );
}

/**
 * The Ports page: the process's libuv handles grouped by kind (servers with
 * the connections they accepted, sockets, timers, pipes, watchers, child
 * processes, signals, libuv internals, other), each group with its own
 * columns, a summary whose parts add up to the total, a detail per row, and
 * the file descriptors.
 */
export function PortsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('ports', 4000);
  const { data: p, error } = useTopic('ports', { every, node: props.node });
  const handles = useMemo(() => withIds(p?.handles ?? []), [p]);
  const groups = useMemo(() => {
    const by = new Map<PortKind, Handle[]>();
    for (const h of handles) by.set(h.row.kind, [...(by.get(h.row.kind) ?? []), h]);
    return (Object.keys(KINDS) as PortKind[]).filter((k) => by.has(k)).map((k) => ({ kind: k, rows: by.get(k)! }));
  }, [handles]);
  const [selected, setSelected] = useState<Handle | undefined>(undefined);
  const current = selected === undefined ? undefined : handles.find((h) => h.id === selected.id);
  const detail = useRef<HTMLDivElement>(null);
  useEffect(() => detail.current?.scrollIntoView?.({ block: 'nearest' }), [selected?.id]);
  const select = (id: string): void => setSelected(handles.find((h) => h.id === id));
  return (
    <Page title="Ports" controls={refresh} error={error} loading={p === undefined}>
      {p && (
        <>
          <Summary p={p} />
          <div class="split ports-page">
            <div class="ports-groups">
              {groups.map((g) => (
                <Card title={`${KINDS[g.kind][1].replace(/^./, (c) => c.toUpperCase())} (${p.kinds[g.kind]})`} wide>
                  <Fold fold={g.kind === 'internal'} what={`the ${p.kinds[g.kind]} handles libuv keeps for itself`}>
                  <DataTable
                    label={KINDS[g.kind][1]}
                    rows={g.rows}
                    rowKey={(h) => h.id}
                    selected={selected?.id}
                    onRow={(h) => setSelected(h)}
                    defaultSort={GROUP_TABLES[g.kind].sort}
                    columns={GROUP_TABLES[g.kind].columns.map((c) => ({
                      ...c,
                      value: (h: Handle) => (c.value ? c.value(h.row) : (h.row as unknown as Record<string, unknown>)[c.key]),
                      render: c.render ? (h: Handle) => c.render!(h.row) : undefined,
                    }))}
                  />
                  </Fold>
                </Card>
              ))}
              <Card title={`File descriptors (${p.fds === null ? 'not on this OS' : `${p.fds.length}${p.fdsTruncated ? '+' : ''}`})`} wide>
                <DataTable
                  label="file descriptors"
                  rows={p.fds ?? []}
                  rowKey={(f) => String(f.fd)}
                  defaultSort={{ key: 'fd' }}
                  columns={[
                    { key: 'fd', title: 'fd', align: 'right', render: (f) => plain(f.fd) },
                    { key: 'what', title: 'What', priority: 2, value: (f) => fdKind(f.target) },
                    { key: 'target', title: 'Target' },
                  ]}
                />
              </Card>
            </div>
            <div class="side" ref={detail}>
              <Card title="Handle details">
                {selected === undefined ? (
                  <p class="muted">Click a row for all it has: addresses, buffers, bytes, the connections a server accepted.</p>
                ) : (
                  <PortDetail handle={current ?? selected} all={handles} gone={current === undefined} onSelect={select} />
                )}
              </Card>
            </div>
          </div>
        </>
      )}
    </Page>
  );
}
