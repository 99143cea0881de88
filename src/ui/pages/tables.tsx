import { useEffect, useState } from 'preact/hooks';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { TopicParams } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { bytes, cell } from '../format.js';
import { href, setQuery } from '../router.js';
import { Card, Page } from './common.js';

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

/** One table, paged on the server: sort and search go to the server, so a million entries stay cheap here. */
function TableEntries(props: { name: string; node: string | undefined; every: number; query: URLSearchParams }): preact.JSX.Element {
  const page = Number(props.query.get('page') ?? 0);
  const sort = props.query.get('sort') ?? undefined;
  const order = props.query.get('order') ?? 'asc';
  const pageSize = props.query.get('pageSize') ?? '100';
  const [search, setSearch] = useState(props.query.get('search') ?? '');
  useEffect(() => {
    const t = setTimeout(() => setQuery('search', search || undefined), 250);
    return () => clearTimeout(t);
  }, [search]);
  const params: TopicParams<'tables'> & { name: string } = { name: props.name, page: String(page), pageSize, order: order === 'desc' ? 'desc' : 'asc' };
  if (sort === 'key' || sort === 'value') params.sort = sort;
  const q = props.query.get('search');
  if (q) params.search = q;
  const { data, error } = useTopic('tables', { params, every: props.every, node: props.node });
  const pages = data ? Math.max(1, Math.ceil(data.matched / data.pageSize)) : 1;
  const sortBy = (k: string): void => {
    setQuery('order', sort === k && order === 'asc' ? 'desc' : 'asc');
    setQuery('sort', k);
  };
  return (
    <Card title={props.name} wide>
      <div class="toolbar">
        <a href={href('tables')}>← all tables</a>
        <input type="search" placeholder="Search keys and values" aria-label="Search entries" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        <button disabled={page <= 0} onClick={() => setQuery('page', String(page - 1))}>
          ‹ Prev
        </button>
        <span data-testid="table-page">
          page {page + 1} of {pages}
        </span>
        <button disabled={page + 1 >= pages} onClick={() => setQuery('page', String(page + 1))}>
          Next ›
        </button>
        <label>
          Rows{' '}
          <select
            aria-label="Entries per page"
            value={pageSize}
            onChange={(e) => {
              setQuery('page', undefined);
              setQuery('pageSize', (e.target as HTMLSelectElement).value);
            }}
          >
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
      </div>
      {error && <p class="error">{error.code}: {error.message}</p>}
      <table class="data" aria-label={`entries of ${props.name}`}>
        <thead>
          <tr>
            {(['key', 'value'] as const).map((k) => (
              <th aria-sort={sort === k ? (order === 'desc' ? 'descending' : 'ascending') : 'none'} onClick={() => sortBy(k)}>
                {k === 'key' ? 'Key' : 'Value'}
                {sort === k ? (order === 'desc' ? ' ▼' : ' ▲') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(data?.entries ?? []).map((e) => (
            <tr>
              <td>{cell(e.key)}</td>
              <td class="value">{cell(e.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
