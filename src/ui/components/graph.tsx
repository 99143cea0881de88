import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Layout, type RoutedEdge, layeredLayout } from './layered-layout.js';
import { type Box, FONT, MAX_CHARS, type View, boxFor, fitAll, focusOn, initialView, overlaps, truncate, visibleWindow, zoomAt } from './graph-view.js';
import './graph.css';

export interface GraphNode {
  id: string;
  label: string;
}

function pathOf(e: RoutedEdge): string {
  const [first, ...rest] = e.points;
  if (first === undefined) return '';
  let d = `M${first.x},${first.y}`;
  let prev = first;
  for (const p of rest) {
    // Straight along a row; a curve across the gap between columns.
    if (p.y === prev.y) d += `H${p.x}`;
    else {
      const mx = (prev.x + p.x) / 2;
      d += `C${mx},${prev.y} ${mx},${p.y} ${p.x},${p.y}`;
    }
    prev = p;
  }
  return d;
}

/**
 * A dependency diagram, laid out in layers from the root (left) to the
 * leaves (right), arrows pointing at the dependency. It opens at a scale
 * where labels are readable (at least 10 px), around the root when the whole
 * does not fit; drag or arrow keys pan, the wheel, the buttons and +/− zoom,
 * 0 or "Fit" shows the whole. `focus` (with a new `focusSeq` for each
 * request) brings a node into view.
 */
export function Graph(props: {
  nodes: GraphNode[];
  edges: [string, string][];
  root: string | undefined;
  selected: string | undefined;
  matches: ReadonlySet<string>;
  focus: string | undefined;
  focusSeq: number;
  onSelect: (id: string) => void;
}): preact.JSX.Element {
  // When the diagram began: its first render is timed from here to the first frame painted with the view (data-first-render-ms).
  const born = useRef(performance.now());
  // The data refreshes every few seconds with new arrays: lay out again only when the graph changed.
  const signature = `${props.root}\n${props.nodes.map((n) => n.label).join('\n')}\n${props.edges.map((e) => e.join(' ')).join('\n')}`;
  const layout: Layout = useMemo(
    () =>
      layeredLayout(
        props.nodes.map((n) => boxFor(n.id, n.label)),
        props.edges,
        props.root,
      ),
    [signature],
  );
  const svg = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | undefined>(undefined);
  const [view, setView] = useState<View | undefined>(undefined);
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  useLayoutEffect(() => {
    const el = svg.current;
    if (el === null) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // The first view once the size is known; later refreshes keep the user's.
  useLayoutEffect(() => {
    if (size !== undefined && view === undefined) setView(initialView(layout, size, props.root));
  }, [size, layout, view, props.root]);
  useEffect(() => {
    const el = svg.current;
    if (view === undefined || el === null || el.dataset.firstRenderMs !== undefined) return;
    requestAnimationFrame(() => {
      el.dataset.firstRenderMs = (performance.now() - born.current).toFixed(1);
    });
  }, [view]);
  useEffect(() => {
    if (size === undefined || props.focus === undefined) return;
    const node = layout.nodes.get(props.focus);
    if (node !== undefined) setView((v) => focusOn(node, size, v));
  }, [props.focusSeq]);

  // Each edge's bounding box, to leave out of the page what is far from view.
  const edgeBoxes: Box[] = useMemo(
    () =>
      layout.edges.map((e) => {
        const xs = e.points.map((p) => p.x);
        const ys = e.points.map((p) => p.y);
        return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
      }),
    [layout],
  );
  const win = view !== undefined && size !== undefined ? visibleWindow(view, size) : undefined;
  const tiny = view !== undefined && view.k * FONT < 4;

  // Boxes and edges near the view, built again only when they or the (snapped) window change, not on every pan step.
  const content = useMemo(() => {
    if (win === undefined) return null;
    const labels = new Map(props.nodes.map((x) => [x.id, x.label]));
    const near = (e: RoutedEdge) => props.selected !== undefined && (e.from === props.selected || e.to === props.selected);
    return (
      <>
        {layout.edges.map((e, i) =>
          overlaps(edgeBoxes[i]!, win) ? <path class={`edge${e.back ? ' back' : ''}${near(e) ? ' near' : ''}`} d={pathOf(e)} marker-end="url(#graph-arrow)" /> : null,
        )}
        {[...layout.nodes.values()].map((n) => {
          if (!overlaps({ x0: n.x, y0: n.y, x1: n.x + n.width, y1: n.y + n.height }, win)) return null;
          const label = labels.get(n.id) ?? n.id;
          const cls = `node${props.selected === n.id ? ' selected' : ''}${props.matches.has(n.id) ? ' match' : ''}${props.focus === n.id ? ' current' : ''}${n.id === props.root ? ' root' : ''}`;
          return (
            <g class={cls} transform={`translate(${n.x} ${n.y})`} onClick={() => props.onSelect(n.id)} data-id={n.id}>
              {label.length > MAX_CHARS && <title>{label}</title>}
              <rect width={n.width} height={n.height} rx="4" />
              {/* Labels too small to read are left out (and the boxes show the shape). */}
              {!tiny && (
                <text x="8" y={n.height / 2 + FONT * 0.35}>
                  {truncate(label)}
                </text>
              )}
            </g>
          );
        })}
      </>
    );
  }, [layout, edgeBoxes, win?.x0, win?.y0, win?.x1, win?.y1, tiny, props.selected, props.matches, props.focus, props.root, props.nodes, props.onSelect]);

  const v = view ?? { x: 0, y: 0, k: 1 };
  const zoom = (factor: number) => size && setView(zoomAt(v, factor, size.w / 2, size.h / 2));
  const fit = () => size && setView(fitAll(layout, size));
  const pan = (dx: number, dy: number) => setView({ ...v, x: v.x + dx, y: v.y + dy });
  return (
    <div class="graph-frame">
      <div class="graph-tools" role="toolbar" aria-label="Diagram view">
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <button type="button" onClick={fit} title="Show the whole diagram (0)">
          Fit
        </button>
        <span class="muted graph-scale">{Math.round(v.k * 100)} %</span>
      </div>
      <div
        class="graph-view"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the diagram takes keys to pan and zoom
        tabIndex={0}
        role="group"
        aria-label="Dependency diagram: arrow keys pan, + and − zoom, 0 fits"
        onKeyDown={(e) => {
          const step = 80;
          const keys: Record<string, () => void> = {
            '+': () => zoom(1.25),
            '=': () => zoom(1.25),
            '-': () => zoom(0.8),
            '0': fit,
            ArrowLeft: () => pan(step, 0),
            ArrowRight: () => pan(-step, 0),
            ArrowUp: () => pan(0, step),
            ArrowDown: () => pan(0, -step),
          };
          const act = keys[e.key];
          if (act !== undefined) {
            e.preventDefault();
            act();
          }
        }}
      >
        <svg
          ref={svg}
          class="graph"
          role="img"
          aria-label={`Dependency diagram of ${layout.nodes.size} packages`}
          onPointerDown={(e) => {
            // A press on a package is a click on it, not the start of a pan.
            if ((e.target as Element).closest('g.node') !== null) return;
            drag.current = { x: e.clientX, y: e.clientY, vx: v.x, vy: v.y };
            (e.currentTarget as Element).setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            if (d !== null) setView({ ...v, x: d.vx + (e.clientX - d.x), y: d.vy + (e.clientY - d.y) });
          }}
          onPointerUp={() => (drag.current = null)}
          onWheel={(e) => {
            e.preventDefault();
            const r = (e.currentTarget as Element).getBoundingClientRect();
            setView(zoomAt(v, e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top));
          }}
        >
          <defs>
            <marker id="graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" />
            </marker>
          </defs>
          <g class="viewport" transform={`translate(${v.x} ${v.y}) scale(${v.k})`}>
            {content}
          </g>
        </svg>
      </div>
    </div>
  );
}
