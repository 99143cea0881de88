import { useEffect, useRef, useState } from 'preact/hooks';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { TopicParams } from '../../client/index.js';
import { useTopic } from '../conn.js';
import type { TablePage, TableQuery } from '../../protocol/index.js';
import { bytes } from '../format.js';
import { href, setQueries } from '../router.js';
import { Card, Page } from './common.js';
import { EntriesGrid, EntryDetail, Pager } from './table-entries.js';
import './tables.css';

function TableList(props: { node: string | undefined; every: number }): preact.JSX.Element {
  const { data, error } = useTopic('tables', { every: props.every, node: props.node });
  if (error) return <p class="error">{error.code}: {error.message}</p>;
  return (
    <DataTable
      label="tables"
      rows={data ?? []}
      rowKey={(t) => t.name}
      onRow={(t) => (location.hash = href('tables', t.name))}
      columns={[
        { key: 'name', title: 'Table', render: (t) => <a href={href('tables', t.name)}>{t.name}</a> },
        { key: 'kind', title: 'Kind' },
        { key: 'size', title: 'Entries', align: 'right' },
        { key: 'estimatedBytes', title: 'Memory (est.)', align: 'right', render: (t) => bytes(t.estimatedBytes) },
        { key: 'description', title: 'Description' },
        { key: 'owner', title: 'Registered by' },
      ]}
    />
  );
}

/**
 * One table, paged on the server: sort and search go to the server, so a
 * million entries stay cheap here. The last page stays shown until the next
 * one arrives, so paging, sorting and searching never blank the table.
 */
function TableEntries(props: { name: string; node: string | undefined; every: number; query: URLSearchParams }): preact.JSX.Element {
  const page = Math.max(0, Math.floor(Number(props.query.get('page') ?? 0)) || 0);
  const sort = props.query.get('sort') ?? undefined;
  const order = props.query.get('order') === 'desc' ? 'desc' : 'asc';
  const pageSize = props.query.get('pageSize') ?? '100';
  const q = props.query.get('search') ?? '';
  const [search, setSearch] = useState(q);
  const [open, setOpen] = useState<TablePage['entries'][number] | undefined>(undefined);
  useEffect(() => {
    // A new search starts at its first page.
    const t = setTimeout(() => search !== q && setQueries({ search: search || undefined, page: undefined }), 250);
    return () => clearTimeout(t);
  }, [search]);
  const params: TopicParams<'tables'> & { name: string } = { name: props.name, page: String(page), pageSize, order };
  if (sort !== undefined) params.sort = sort as TableQuery['sort'];
  if (q) params.search = q;
  const want = JSON.stringify([props.node, params]);
  // Which request the rows shown answer: set by each subscription's own pushes.
  const shownFor = useRef('');
  const { data, error } = useTopic('tables', { params, every: props.every, node: props.node, keep: true }, () => void (shownFor.current = want));
  const pages = data ? Math.max(1, Math.ceil(data.matched / data.pageSize)) : 1;
  const busy = shownFor.current !== want;
  const sortBy = (k: string): void => setQueries({ sort: k, order: sort === k && order === 'asc' ? 'desc' : 'asc', page: undefined });
  const go = (p: number): void => setQueries({ page: p === 0 ? undefined : String(p) });
  return (
    <Card title={props.name} wide>
      <div class="toolbar">
        <a href={href('tables')}>← all tables</a>
        <input type="search" placeholder="Search keys and values" aria-label="Search entries" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        <label>
          Rows{' '}
          <select aria-label="Entries per page" value={pageSize} onChange={(e) => setQueries({ page: undefined, pageSize: (e.target as HTMLSelectElement).value })}>
            {['50', '100', '500', '1000'].map((n) => (
              <option value={n}>{n}</option>
            ))}
          </select>
        </label>
        {data && (
          <span class="muted">
            {data.matched.toLocaleString('en-US')} matching of {data.size.toLocaleString('en-US')}
          </span>
        )}
        <span class="muted" role="status">
          {busy && data ? 'Loading…' : ''}
        </span>
      </div>
      <Pager page={page} pages={pages} where="top" onGo={go} />
      {error && (
        <p class="error" role="alert">
          {error.code}: {error.message}
        </p>
      )}
      {data && !error && <EntriesGrid name={props.name} page={data} sort={sort} order={order} busy={busy} onSort={sortBy} onOpen={setOpen} />}
      {!data && !error && <p class="muted loading">Loading…</p>}
      <Pager page={page} pages={pages} where="bottom" onGo={go} />
      {open && <EntryDetail entry={open} onClose={() => setOpen(undefined)} />}
    </Card>
  );
}

export function TablesPage(props: { node: string | undefined; name: string | undefined; query: URLSearchParams }): preact.JSX.Element {
  const [every, refresh] = useRefresh('tables', 5000);
  return (
    <Page title="Tables" controls={refresh}>
      {props.name === undefined ? <TableList node={props.node} every={every} /> : <TableEntries name={props.name} node={props.node} every={every} query={props.query} />}
    </Page>
  );
}
