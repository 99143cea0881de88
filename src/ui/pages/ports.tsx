import { DataTable, type Column } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes, cell } from '../format.js';
import { Card, Page } from './common.js';

type Handle = Record<string, unknown>;
interface PortsInfo {
  source: string;
  handles: Handle[];
  total: number;
  truncated: boolean;
  counts: Record<string, number>;
  fds: { fd: number; target: string }[];
  fdsTruncated: boolean;
}

const FIRST = ['type', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'active', 'referenced'];

/** Columns for every key the rows have, the usual ones first. */
function columnsOf(rows: Handle[]): Column<Handle>[] {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 500)) for (const k of Object.keys(r)) keys.add(k);
  const ordered = [...FIRST.filter((k) => keys.has(k)), ...[...keys].filter((k) => !FIRST.includes(k)).sort()];
  return ordered.map((k) => ({ key: k, title: k, align: /bytes|port|fd/i.test(k) ? 'right' : undefined, render: /bytes/i.test(k) ? (r: Handle) => bytes(r[k] as number) : (r: Handle) => cell(r[k]) }));
}

export function PortsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('ports', 4000);
  const { data: p, error } = useTopic<PortsInfo>('ports', { every, node: props.node });
  return (
    <Page title="Ports" controls={refresh} error={error} loading={p === undefined}>
      {p && (
        <>
          <p class="muted">
            {p.total} handles{p.truncated ? ' (list truncated)' : ''}: {Object.entries(p.counts).map(([k, v]) => `${v} ${k}`).join(', ')}. Source: {p.source}.
          </p>
          <Card title="Handles and sockets" wide>
            <DataTable label="handles" rows={p.handles} rowKey={(_r, i) => String(i)} columns={columnsOf(p.handles)} />
          </Card>
          <Card title={`File descriptors${p.fdsTruncated ? ' (truncated)' : ''}`} wide>
            <DataTable label="file descriptors" rows={p.fds} rowKey={(f) => String(f.fd)} columns={[{ key: 'fd', title: 'fd', align: 'right' }, { key: 'target', title: 'Target' }]} />
          </Card>
        </>
      )}
    </Page>
  );
}
