import { useEffect, useRef, useState } from 'preact/hooks';
import type { BlockEvent, EventLoopInfo, ThreadRef } from '../../client/index.js';
import { COLORS } from '../components/chart.js';
import { axisTicks } from '../components/ticks.js';
import { date, ms } from '../format.js';
import { barsOf } from './eventloop-bars.js';
import { durationOf, eventWhat } from './eventloop-words.js';

const HEIGHT = 180;
const PAD = { left: 46, right: 10, top: 22, bottom: 22 };
/** The timeline spans at least this much time, so that a lone block does not fill it. */
const MIN_SPAN_MS = 60_000;
/** Steps of the time axis, ms: the first that leaves at most about one label per 90 px. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000);

/** A thread's colour: by its place among the watched threads (then among the events' threads), the same in the legend and the bars. */
export function threadColors(threads: readonly ThreadRef[], events: readonly BlockEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of [...threads, ...events.map((e) => e.thread)]) if (!out.has(t.id)) out.set(t.id, COLORS[out.size % COLORS.length]!);
  return out;
}

function clockText(t: number, stepMs: number): string {
  const text = date(t).slice(11);
  return stepMs >= 60_000 ? text.slice(0, 5) : text;
}

/** Watches an element's width (the SVG is drawn in pixels, so its text is not stretched). */
function useWidth(): [preact.RefObject<HTMLDivElement>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    setWidth(el.clientWidth);
    const r = new ResizeObserver(() => setWidth(el.clientWidth));
    r.observe(el);
    return () => r.disconnect();
  }, []);
  return [box, width];
}

/**
 * The timeline of blocks: one bar per block at its start, as high and as wide
 * as it lasted, coloured by thread, a still-running block striped; the
 * threshold dashed. Hover a bar, or focus the chart and move with ← → (Home,
 * End), to read the block (its top frame, or why it has none) in the line
 * below; a click or Enter opens it.
 */
export function BlockTimeline(props: { info: EventLoopInfo; now: number; onOpen: (e: BlockEvent) => void }): preact.JSX.Element {
  const { events, threads, thresholdMs, limits } = props.info;
  const [box, width] = useWidth();
  const [active, setActive] = useState<number | undefined>(undefined);
  const now = Math.max(props.now, ...events.map((e) => e.startedAt + durationOf(e, props.now)));
  const from = Math.min(now - MIN_SPAN_MS, ...events.map((e) => e.startedAt - 1000));
  const plotW = Math.max(50, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number): number => PAD.left + ((t - from) / (now - from)) * plotW;
  const longest = Math.max(thresholdMs * 1.5, ...events.map((e) => durationOf(e, props.now)));
  const yAxis = axisTicks(0, longest, 'ms', 4);
  const top = yAxis.values[yAxis.values.length - 1] ?? longest;
  const y = (v: number): number => PAD.top + plotH - (v / top) * plotH;
  const step = TIME_STEPS.find((s) => (plotW / (now - from)) * s >= 90) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= now; t += step) ticks.push(t);
  const colors = threadColors(threads, events);
  const index = active !== undefined && active < events.length ? active : undefined;
  const shown = index === undefined ? undefined : events[index];
  const bars = barsOf(events, props.now, x, index);

  const nearest = (clientX: number, svg: SVGSVGElement): number | undefined => {
    const px = clientX - svg.getBoundingClientRect().left;
    let best: number | undefined;
    let dist = 8;
    events.forEach((e, i) => {
      const a = x(e.startedAt);
      const b = Math.max(a + 3, x(e.startedAt + durationOf(e, props.now)));
      const d = px < a ? a - px : px > b ? px - b : 0;
      if (d <= dist) (best = i), (dist = d);
    });
    return best;
  };
  const onKey = (e: KeyboardEvent): void => {
    if (events.length === 0) return;
    const last = events.length - 1;
    const moves: Record<string, number> = { ArrowRight: Math.min(last, (index ?? -1) + 1), ArrowLeft: Math.max(0, (index ?? last + 1) - 1), Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      setActive(moves[e.key]);
    } else if ((e.key === 'Enter' || e.key === ' ') && shown !== undefined) {
      e.preventDefault();
      props.onOpen(shown);
    }
  };

  return (
    <div class="el-timeline" ref={box}>
      <div
        class="el-plot"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the chart takes the focus so that its blocks can be read and opened by keyboard (← → Enter)
        tabIndex={0}
        role="group"
        aria-label={`Timeline of ${events.length} blocks: arrow keys move between them, Enter opens one`}
        aria-describedby="el-caption"
        onKeyDown={onKey}
        onFocus={() => index === undefined && events.length > 0 && setActive(events.length - 1)}
      >
        <svg
          width={width}
          height={HEIGHT}
          aria-hidden="true"
          onMouseMove={(e) => {
            const i = nearest(e.clientX, e.currentTarget);
            if (i !== undefined) setActive(i);
          }}
          onClick={(e) => {
            const i = nearest(e.clientX, e.currentTarget);
            if (i !== undefined) props.onOpen(events[i]!);
          }}
        >
          <defs>
            <pattern id="el-stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="3" height="6" fill="var(--warn)" />
            </pattern>
          </defs>
          {yAxis.values.map((v) => (
            <g class="el-grid">
              <line x1={PAD.left} x2={PAD.left + plotW} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
                {yAxis.label(v)}
              </text>
            </g>
          ))}
          <text class="el-unit" x={PAD.left - 6} y={10} text-anchor="end">
            {yAxis.unit}
          </text>
          {ticks.map((t) => (
            <text class="el-tick" x={x(t)} y={HEIGHT - 6} text-anchor="middle">
              {clockText(t, step)}
            </text>
          ))}
          <line class="el-threshold" x1={PAD.left} x2={PAD.left + plotW} y1={y(thresholdMs)} y2={y(thresholdMs)} />
          {bars.map((b) => (
            <rect
              class={`el-bar${b.e.durationMs === null ? ' ongoing' : ''}${b.i === index ? ' active' : ''}`}
              x={b.x}
              y={y(b.d)}
              width={b.w}
              height={Math.max(1, y(0) - y(b.d))}
              fill={b.e.durationMs === null ? 'url(#el-stripes)' : colors.get(b.e.thread.id)}
              data-id={b.e.id}
            />
          ))}
        </svg>
      </div>
      <p id="el-caption" class="el-caption" aria-live="polite" data-testid="timeline-caption">
        {shown === undefined ? (
          <span class="muted">{events.length === 0 ? 'No blocks in the ring.' : 'Hover a bar, or focus the chart and use ← →, to read a block.'}</span>
        ) : (
          <>
            <strong>
              #{shown.id} {shown.thread.name}
            </strong>{' '}
            · {date(shown.startedAt)} · {shown.durationMs === null ? `blocked for ${ms(durationOf(shown, props.now))} so far` : ms(shown.durationMs)} · <code>{eventWhat(shown, limits)}</code>
          </>
        )}
      </p>
      <ul class="el-legend" aria-label="Threads">
        {[...colors].map(([id, color]) => {
          const t = threads.find((x) => x.id === id) ?? events.find((e) => e.thread.id === id)?.thread;
          return (
            <li>
              <span class="el-swatch" style={{ background: color }} aria-hidden="true" />
              {t?.name ?? `thread ${id}`}
            </li>
          );
        })}
        <li>
          <span class="el-swatch el-threshold-swatch" aria-hidden="true" />
          threshold {ms(thresholdMs)}
        </li>
      </ul>
    </div>
  );
}
