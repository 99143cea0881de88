import { address } from '../components/field-text.js';
import { Fields } from '../components/fields.js';
import type { PortRow } from '../../client/index.js';
import { bytes, ms } from '../format.js';
import { ends, firesIn, kindName } from './port-columns.js';

/** A row shown with a stable id (its kind and descriptor, or its place among its kind). */
export interface Handle {
  id: string;
  row: PortRow;
}

/** The sockets a server accepted: those on its port, inbound. */
export function connectionsOf(server: PortRow, all: readonly Handle[]): Handle[] {
  const port = server.local?.port;
  if (port === undefined || port === 0) return [];
  return all.filter((h) => h.row.kind === 'socket' && h.row.direction === 'inbound' && h.row.local?.port === port);
}

/**
 * One handle's every field, formatted; a server lists its connections, each a
 * link to its own detail. `gone`: the handle closed since, its last state shown.
 */
export function PortDetail(props: { handle: Handle; all: readonly Handle[]; gone: boolean; onSelect: (id: string) => void }): preact.JSX.Element {
  const r = props.handle.row;
  const conns = r.kind === 'server' ? connectionsOf(r, props.all) : [];
  return (
    <div class="port-detail">
      <p class="muted">
        {kindName(r.kind, 1)} ({r.type}){props.gone ? ' — closed since; its last state is shown' : ''}
      </p>
      <Fields
        label="Handle details"
        value={r as unknown as Record<string, unknown>}
        skip={['kind', 'internal']}
        render={{
          local: (v) => address(v as PortRow['local']),
          remote: (v) => address(v as PortRow['remote']),
          firesInMs: () => firesIn(r),
          repeatMs: (v) => (v ? `every ${ms(v as number)}` : 'once'),
        }}
      />
      {r.kind === 'server' && (
        <>
          <h3>Connections ({conns.length})</h3>
          {conns.length === 0 ? (
            <p class="muted">None open now.</p>
          ) : (
            <ul class="port-conns">
              {conns.map((c) => (
                <li>
                  <button type="button" class="link" onClick={() => props.onSelect(c.id)}>
                    {ends(c.row)}
                  </button>{' '}
                  <span class="muted">
                    {bytes(c.row.bytesRead)} read, {bytes(c.row.bytesWritten)} written
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
