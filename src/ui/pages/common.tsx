import type { ComponentChildren } from 'preact';
import { date } from '../format.js';
import { type Staleness, useViewing } from '../viewing.js';

function StaleMark(props: { stale: Staleness }): preact.JSX.Element {
  return (
    <p class="stale-mark" role="status" data-testid="stale">
      stale — {props.stale.reason}
      {props.stale.since !== undefined && <span class="muted"> (since {date(props.stale.since)})</span>}
    </p>
  );
}

/**
 * A page's frame: its title and the node it shows, its controls, an error or a
 * loading line, then its content. While the connection or the node is down the
 * content is dimmed and marked stale (the shell says so through `useViewing`).
 */
export function Page(props: { title: string; controls?: ComponentChildren; error?: { code: string; message: string } | undefined; loading?: boolean; children?: ComponentChildren }): preact.JSX.Element {
  const { nodeName, stale } = useViewing();
  return (
    <section class={`page${stale ? ' stale' : ''}`} aria-labelledby="page-title">
      <header class="page-head">
        <div class="page-titles">
          <h1 id="page-title">{props.title}</h1>
          {nodeName !== undefined && (
            <p class="node-name" data-testid="node-name">
              on <strong>{nodeName}</strong>
            </p>
          )}
        </div>
        <div class="controls">{props.controls}</div>
      </header>
      {stale && <StaleMark stale={stale} />}
      {props.error && (
        <p class="error" role="alert">
          {props.error.code}: {props.error.message}
        </p>
      )}
      {props.loading && !props.error ? <p class="muted loading">Loading…</p> : props.children}
    </section>
  );
}

export function Card(props: { title: string; children?: ComponentChildren; wide?: boolean }): preact.JSX.Element {
  return (
    <div class={`card${props.wide ? ' wide' : ''}`}>
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

/** A bar that fills to `fraction`, turning to a warning colour past `warnAt`. */
export function Meter(props: { fraction: number; warnAt?: number; label: string }): preact.JSX.Element {
  const f = Math.max(0, Math.min(1, Number.isFinite(props.fraction) ? props.fraction : 0));
  return (
    <div class={`meter${f >= (props.warnAt ?? 0.85) ? ' warn' : ''}`} role="meter" aria-valuenow={f} aria-valuemin={0} aria-valuemax={1} aria-label={props.label}>
      <div style={{ width: `${(f * 100).toFixed(1)}%` }} />
    </div>
  );
}
