import { Fields } from '../components/fields.js';
import type { ProcessDetail as Detail } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { ms } from '../format.js';

/** What a request's state reads as: `in flight`, `finished 3.2 s ago`, `aborted 1 min 4 s ago`. */
function requestState(d: Detail & { kind: 'request' }): string {
  return d.state === 'in flight' || d.endedAgoMs === null ? 'in flight' : `${d.state} ${ms(d.endedAgoMs)} ago`;
}

const KIND = { main: 'main thread', worker: 'worker thread', child: 'child process', 'cluster-worker': 'cluster worker', request: 'HTTP request' } as const;

/**
 * One row's detail, formatted (durations, percentages, bytes, headings in
 * words, nested objects folded as their own rows). A request that ended keeps
 * its last state, marked finished; a unit that is gone keeps the last state
 * read, marked as such, rather than turning into an error.
 */
export function ProcessDetail(props: { id: string; node: string | undefined; every: number }): preact.JSX.Element {
  const { data, error } = useTopic('processes', { params: { id: props.id }, every: props.every, node: props.node });
  if (!data) return error ? <p class="error">{error.code}: {error.message}</p> : <p class="muted">Loading…</p>;
  const ended = data.kind === 'request' && data.state !== 'in flight';
  return (
    <>
      {data.kind === 'request' && (
        <p class={`proc-state${ended ? ' ended' : ''}`} role="status" data-testid="request-state">
          {requestState(data)}
          {data.statusCode !== null ? ` · status ${data.statusCode}` : ''}
        </p>
      )}
      {error && (
        <p class="proc-state ended" role="status">
          {error.code === 'PROCESS_NOT_FOUND' ? 'Gone: the last state read is shown.' : `${error.code}: ${error.message}`}
        </p>
      )}
      <Fields
        label="Process details"
        value={data as unknown as Record<string, unknown>}
        skip={['id', 'ageExact', ...(data.kind === 'request' ? ['state', 'endedAgoMs', 'statusCode'] : [])]}
        open={['resourceLimits', 'headers']}
        render={{
          kind: (k) => KIND[k as keyof typeof KIND] ?? String(k),
          ageMs: (v) => `${ms(v as number)}${data.kind === 'request' && !data.ageExact ? ' (since first seen)' : ''}`,
        }}
      />
    </>
  );
}
