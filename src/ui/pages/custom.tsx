import { DataTable, type Column } from '../components/table.js';
import { Kv } from '../components/kv.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { cell, words } from '../format.js';
import { Card, Page } from './common.js';

function columnsOf(rows: Record<string, unknown>[]): Column<Record<string, unknown>>[] {
  const keys: string[] = [];
  for (const r of rows.slice(0, 200)) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return keys.map((k) => ({ key: k, title: words(k), align: typeof rows[0]?.[k] === 'number' ? 'right' : undefined }));
}

/** The Elixir wobserver's rules: a map is a key-value table, a list of maps a table, a map of those several tables. */
function Shape(props: { shape: string; data: unknown; title: string }): preact.JSX.Element {
  if (props.shape === 'map') return <Kv label={props.title} rows={Object.entries(props.data as Record<string, unknown>).map(([k, v]) => [words(k), cell(v)])} />;
  if (props.shape === 'table') {
    const rows = props.data as Record<string, unknown>[];
    return <DataTable label={props.title} rows={rows} rowKey={(_r, i) => String(i)} columns={columnsOf(rows)} />;
  }
  return (
    <div class="cards">
      {Object.entries(props.data as Record<string, unknown>).map(([name, part]) => (
        <Card title={name} wide={Array.isArray(part)}>
          <Shape shape={Array.isArray(part) ? 'table' : 'map'} data={part} title={name} />
        </Card>
      ))}
    </div>
  );
}

/** `refresh`: the page's own, in seconds; undefined until the menu's list is known (the page then waits for it). */
export function CustomPage(props: { command: string; refresh: number | undefined; node: string | undefined }): preact.JSX.Element {
  // The page's own refresh is the default; the control overrides it.
  const [every, refresh] = useRefresh(`page.${props.command}`, (props.refresh ?? 0) * 1000);
  const { data, error } = useTopic('pages', { params: { command: props.command }, every, node: props.node, skip: props.refresh === undefined });
  const failure = error ?? (data && !data.ok ? data.error : undefined);
  return (
    <Page title={data?.title ?? props.command} error={failure} loading={data === undefined && error === undefined} controls={refresh}>
      {data?.ok && <Shape shape={data.shape} data={data.data} title={data.title} />}
    </Page>
  );
}
