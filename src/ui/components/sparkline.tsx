import './sparkline.css';

/**
 * A small inline chart of the last values, as SVG (cheap enough for hundreds
 * on a page). With `scale`, its lowest and highest values are printed beside
 * it, formatted by `scale`, so that its height reads as a range.
 */
export function Sparkline(props: { values: readonly number[]; width?: number; height?: number; label?: string; scale?: (v: number) => string }): preact.JSX.Element {
  const w = props.width ?? 120;
  const h = props.height ?? 24;
  const vs = props.values.filter((v) => Number.isFinite(v));
  const svg = (points?: string) => (
    <svg class="spark" width={w} height={h} role="img" aria-label={props.label ?? 'recent values'}>
      {points !== undefined && <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />}
    </svg>
  );
  if (vs.length < 2) return svg();
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  const span = max - min || 1;
  const points = vs.map((v, i) => `${((i / (vs.length - 1)) * (w - 2) + 1).toFixed(1)},${(h - 1 - ((v - min) / span) * (h - 2)).toFixed(1)}`).join(' ');
  if (props.scale === undefined) return svg(points);
  return (
    <span class="spark-with-scale">
      {svg(points)}
      <span class="spark-scale" data-testid="spark-scale">
        <span>{props.scale(max)}</span>
        <span>{props.scale(min)}</span>
      </span>
    </span>
  );
}
