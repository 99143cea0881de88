import type { ComponentChildren } from 'preact';
import { cell } from '../format.js';

/** A key-value table: the Elixir wobserver's rendering of a map. */
export function Kv(props: { rows: [string, ComponentChildren | unknown][]; label?: string }): preact.JSX.Element {
  return (
    <table class="kv" aria-label={props.label}>
      <tbody>
        {props.rows.map(([k, v]) => (
          <tr>
            <th scope="row">{k}</th>
            <td>{isNode(v) ? (v as ComponentChildren) : cell(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function isNode(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'type' in v && 'props' in v;
}
