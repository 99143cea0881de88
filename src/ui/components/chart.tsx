import { useEffect, useRef, useState } from 'preact/hooks';
import { THEME_EVENT } from '../theme.js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type AxisKind, axisTicks } from './ticks.js';

/** Series colours, in order: distinct on both themes' panels. */
export const COLORS = ['#2f7ed8', '#e4572e', '#17a398', '#f2a541', '#8e5ea2', '#5c6b73'];

export interface ChartSeries {
  label: string;
  values: readonly number[];
  color: string;
  /** Drawn against the right axis (its own unit, `rightKind`). */
  right?: boolean;
}

/**
 * A time chart drawn by uPlot from columns: `timestamps` (ms since the epoch)
 * and one array per series. Hovering shows each series' value in the legend.
 * With `kind`, the left axis has one unit, written once beside it, and round
 * ticks (see ticks.ts); the labels drawn are also in the element's
 * `data-ticks` (`MiB: 0 16 32 48`), which a test can read (uPlot draws in a canvas).
 */
export function LineChart(props: {
  title: string;
  timestamps: readonly number[];
  series: ChartSeries[];
  format?: (v: number) => string;
  kind?: AxisKind;
  rightKind?: AxisKind;
  rightFormat?: (v: number) => string;
  /** Show only the last this many seconds. */
  windowSeconds?: number;
  height?: number;
}): preact.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = props.series.map((s) => s.label).join('|');
  const windowRef = useRef(props.windowSeconds);
  windowRef.current = props.windowSeconds;

  const data = (): uPlot.AlignedData => {
    const xs = props.timestamps.map((t) => t / 1000);
    let from = 0;
    if (props.windowSeconds !== undefined && xs.length > 0) {
      const start = xs[xs.length - 1]! - props.windowSeconds;
      while (from < xs.length && xs[from]! < start) from++;
    }
    return [xs.slice(from), ...props.series.map((s) => s.values.slice(from) as number[])];
  };

  // uPlot draws in a canvas with the colours read when it is made: a change of theme makes it again.
  const [theme, setThemeTick] = useState(0);
  useEffect(() => {
    const on = (): void => setThemeTick((n) => n + 1);
    addEventListener(THEME_EVENT, on);
    return () => removeEventListener(THEME_EVENT, on);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    // Which theme's colours this drawing has (the browser tests read it).
    el.dataset.drawnFor = document.documentElement.dataset.theme ?? '';
    const fg = getComputedStyle(el).getPropertyValue('--fg').trim() || '#222';
    const grid = getComputedStyle(el).getPropertyValue('--grid').trim() || '#ddd';
    const fmt = props.format ?? ((v: number) => String(Math.round(v * 100) / 100));
    const height = props.height ?? 180;
    const most = Math.max(2, Math.round(height / 45));
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const drawn: Record<string, string> = {};
    const valueAxis = (scale: string, kind: AxisKind | undefined, side: 1 | 3, format: (v: number) => string): uPlot.Axis => {
      if (kind === undefined) return { ...axis, scale, side, size: 70, values: (_u, vals) => vals.map((v) => format(v)) };
      return {
        ...axis,
        scale,
        side,
        size: 50,
        label: (u) => axisTicks(u.scales[scale]?.min ?? 0, u.scales[scale]?.max ?? 0, kind, most).unit,
        labelSize: 18,
        splits: (_u, _i, min, max) => axisTicks(min, max, kind, most).values,
        values: (_u, splits) => {
          const a = axisTicks(splits[0] ?? 0, splits[splits.length - 1] ?? 1, kind, most);
          const out = splits.map((v) => a.label(v));
          drawn[scale] = `${a.unit}: ${out.join(' ')}`;
          el.dataset.ticks = Object.values(drawn).join(' | ');
          return out;
        },
      };
    };
    const range = (kind: AxisKind | undefined): uPlot.Scale['range'] =>
      kind === undefined
        ? undefined
        : (_u, min, max) => {
            const v = axisTicks(min ?? 0, max ?? 0, kind, most).values;
            return [v[0]!, v[v.length - 1]!];
          };
    const hasRight = props.series.some((s) => s.right);
    const rightFmt = props.rightFormat ?? fmt;
    const u = new uPlot(
      {
        title: props.title,
        width: Math.max(200, el.clientWidth),
        height,
        cursor: { drag: { x: false, y: false } },
        scales: {
          // The x axis spans the whole window chosen, also before it has filled.
          x: { time: true, range: (_u, min, max) => (windowRef.current === undefined ? [min, max] : [max - windowRef.current, max]) },
          y: { range: range(props.kind) },
          ...(hasRight ? { r: { range: range(props.rightKind) } } : {}),
        },
        axes: [axis, valueAxis('y', props.kind, 3, fmt), ...(hasRight ? [{ ...valueAxis('r', props.rightKind, 1, rightFmt), grid: { show: false } }] : [])],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            scale: s.right ? 'r' : 'y',
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : (s.right ? rightFmt : fmt)(v)),
          })),
        ],
      },
      data(),
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [labels, props.title, props.kind, props.rightKind, theme]);

  useEffect(() => {
    plot.current?.setData(data());
  }, [props.timestamps, props.series, props.windowSeconds]);

  return <div class="chart" ref={box} data-testid={`chart-${props.title}`} />;
}
