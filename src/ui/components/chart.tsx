import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  color: string;
}

/**
 * A time chart drawn by uPlot from columns: `timestamps` (ms since the epoch)
 * and one array per series. Hovering shows each series' value in the legend.
 */
export function LineChart(props: {
  title: string;
  timestamps: readonly number[];
  series: ChartSeries[];
  format?: (v: number) => string;
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

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const fg = getComputedStyle(el).getPropertyValue('--fg').trim() || '#222';
    const grid = getComputedStyle(el).getPropertyValue('--grid').trim() || '#ddd';
    const fmt = props.format ?? ((v: number) => String(Math.round(v * 100) / 100));
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const u = new uPlot(
      {
        title: props.title,
        width: Math.max(200, el.clientWidth),
        height: props.height ?? 180,
        cursor: { drag: { x: false, y: false } },
        // The x axis spans the whole window chosen, also before it has filled.
        scales: { x: { time: true, range: (_u, min, max) => (windowRef.current === undefined ? [min, max] : [max - windowRef.current, max]) } },
        axes: [axis, { ...axis, size: 70, values: (_u, vals) => vals.map((v) => fmt(v)) }],
        series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmt(v)) }))],
      },
      data(),
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [labels, props.title]);

  useEffect(() => {
    plot.current?.setData(data());
  }, [props.timestamps, props.series, props.windowSeconds]);

  return <div class="chart" ref={box} data-testid={`chart-${props.title}`} />;
}
