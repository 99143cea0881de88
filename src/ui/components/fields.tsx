import type { ComponentChildren } from 'preact';
import { fieldText, heading } from './field-text.js';
import { Kv } from './kv.js';
import './fields.css';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('address' in v && 'port' in v);
}

/**
 * A record as key/value rows: headings in words, values by `fieldText`, nested
 * objects as their own rows folded under their name (open when `open` names
 * them), lists of strings in code. `render` overrides a field's cell.
 */
export function Fields(props: {
  value: Record<string, unknown>;
  label: string;
  skip?: readonly string[];
  open?: readonly string[];
  render?: Readonly<Record<string, (v: unknown) => ComponentChildren>>;
}): preact.JSX.Element {
  const rows: [string, ComponentChildren][] = [];
  for (const [k, v] of Object.entries(props.value)) {
    if (props.skip?.includes(k)) continue;
    const custom = props.render?.[k];
    if (custom !== undefined) rows.push([heading(k), custom(v)]);
    else if (isPlainObject(v)) {
      const n = Object.keys(v).length;
      rows.push([
        heading(k),
        n === 0 ? (
          '–'
        ) : (
          <details class="fields-nested" open={props.open?.includes(k)}>
            <summary>
              {n} {n === 1 ? 'entry' : 'entries'}
            </summary>
            <Fields value={v} label={heading(k)} />
          </details>
        ),
      ]);
    } else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) rows.push([heading(k), <code class="fields-argv">{v.join(' ')}</code>]);
    else rows.push([heading(k), <span>{fieldText(k, v)}</span>]);
  }
  return <Kv label={props.label} rows={rows} />;
}
