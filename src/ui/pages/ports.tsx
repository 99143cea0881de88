import { DataTable, type Column } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { PortRow } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { bytes, cell } from '../format.js';
import { Card, Page } from './common.js';

/** A handle with every field it has: the columns are those its rows carry. */
type Handle = PortRow & Record<string, unknown>;

function asHandles(rows: readonly PortRow[]): Handle[] {
  return rows as Handle[];
}
const FIRST = ['type', 'state', 'local', 'remote', 'bytesRead', 'bytesWritten', 'fd', 'active', 'referenced', 'internal'];

/** An address as `host:port`. */
function address(v: unknown): string {
  if (v === null || v === undefined) return '–';
  const a = v as { address?: string; port?: number };
  return a.port === undefined ? cell(v) : `${a.address?.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
}

/** Columns for every key the rows have, the usual ones first. */
function columnsOf(rows: Handle[]): Column<Handle>[] {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 500)) for (const k of Object.keys(r)) keys.add(k);
  const ordered = [...FIRST.filter((k) => keys.has(k)), ...[...keys].filter((k) => !FIRST.includes(k)).sort()];
  return ordered.map((k): Column<Handle> => {
    if (k === 'local' || k === 'remote') return { key: k, title: k, value: (r) => address(r[k]) };
    if (/bytes|size/i.test(k)) return { key: k, title: k, align: 'right', render: (r) => bytes(r[k] as number) };
    // Identifiers, not quantities: no thousands separators.
    if (k === 'fd' || k === 'pid') return { key: k, title: k, align: 'right', render: (r) => (r[k] === undefined || r[k] === null ? '–' : String(r[k])) };
    return { key: k, title: k, render: (r) => cell(r[k]) };
  });
}

export function PortsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('ports', 4000);
  const { data: p, error } = useTopic('ports', { every, node: props.node });
  return (
    <Page title="Ports" controls={refresh} error={error} loading={p === undefined}>
      {p && (
        <>
          <p class="muted">
            {p.total} handles{p.truncated ? ' (list truncated)' : ''}: {Object.entries(p.counts).map(([k, v]) => `${v} ${k}`).join(', ')}. Source: {p.source}.
          </p>
          <Card title="Handles and sockets" wide>
            <DataTable label="handles" rows={asHandles(p.handles)} rowKey={(_r, i) => String(i)} columns={columnsOf(asHandles(p.handles))} defaultSort={{ key: 'internal' }} />
          </Card>
          <Card title={`File descriptors${p.fdsTruncated ? ' (truncated)' : ''}`} wide>
            <DataTable label="file descriptors" rows={p.fds ?? []} rowKey={(f) => String(f.fd)} columns={[{ key: 'fd', title: 'fd', align: 'right' }, { key: 'target', title: 'Target' }]} />
          </Card>
        </>
      )}
    </Page>
  );
}
