import type { ComponentChildren } from 'preact';

/** A page's frame: its title, its controls, an error or a loading line, then its content. */
export function Page(props: { title: string; controls?: ComponentChildren; error?: { code: string; message: string } | undefined; loading?: boolean; children?: ComponentChildren }): preact.JSX.Element {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{props.title}</h1>
        <div class="controls">{props.controls}</div>
      </header>
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
