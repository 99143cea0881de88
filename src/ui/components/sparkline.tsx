/** A small inline chart of the last values, as SVG (cheap enough for hundreds on a page). */
export function Sparkline(props: { values: readonly number[]; width?: number; height?: number; label?: string }): preact.JSX.Element {
  const w = props.width ?? 120;
  const h = props.height ?? 24;
  const vs = props.values.filter((v) => Number.isFinite(v));
  if (vs.length < 2) return <svg class="spark" width={w} height={h} aria-label={props.label} />;
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  const span = max - min || 1;
  const points = vs.map((v, i) => `${((i / (vs.length - 1)) * (w - 2) + 1).toFixed(1)},${(h - 1 - ((v - min) / span) * (h - 2)).toFixed(1)}`).join(' ');
  return (
    <svg class="spark" width={w} height={h} aria-label={props.label}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
