import { useMemo, useRef, useState } from 'preact/hooks';

export interface GraphNode {
  id: string;
  label: string;
}

/**
 * A dependency diagram: nodes in columns by their distance from the root,
 * edges as curves; drag to pan, wheel to zoom, click a node to select it.
 */
export function Graph(props: {
  nodes: GraphNode[];
  edges: [string, string][];
  root: string | undefined;
  selected: string | undefined;
  highlight: (id: string) => boolean;
  onSelect: (id: string) => void;
}): preact.JSX.Element {
  const layout = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const [a, b] of props.edges) out.set(a, [...(out.get(a) ?? []), b]);
    const depth = new Map<string, number>();
    const start = props.root !== undefined && props.nodes.some((n) => n.id === props.root) ? [props.root] : [];
    // Roots: the application, then anything nothing depends on.
    const targets = new Set(props.edges.map((e) => e[1]));
    for (const n of props.nodes) if (!targets.has(n.id) && !start.includes(n.id)) start.push(n.id);
    const queue = start.map((id) => [id, 0] as [string, number]);
    for (const [id, d] of queue) {
      if (depth.has(id)) continue;
      depth.set(id, d);
      for (const next of out.get(id) ?? []) if (!depth.has(next)) queue.push([next, d + 1]);
    }
    for (const n of props.nodes) if (!depth.has(n.id)) depth.set(n.id, 0);
    const columns = new Map<number, GraphNode[]>();
    for (const n of props.nodes) columns.set(depth.get(n.id)!, [...(columns.get(depth.get(n.id)!) ?? []), n]);
    const pos = new Map<string, { x: number; y: number }>();
    for (const [d, ns] of columns) {
      ns.sort((a, b) => a.label.localeCompare(b.label));
      ns.forEach((n, i) => pos.set(n.id, { x: 20 + d * 240, y: 20 + i * 34 }));
    }
    const width = 260 + Math.max(0, ...columns.keys()) * 240;
    const height = 40 + Math.max(1, ...[...columns.values()].map((c) => c.length)) * 34;
    return { pos, width, height };
  }, [props.nodes, props.edges, props.root]);

  const [view, setView] = useState({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  return (
    <svg
      class="graph"
      role="img"
      aria-label="Dependency diagram"
      viewBox={`0 0 ${Math.max(600, layout.width)} ${Math.min(Math.max(300, layout.height), 2000)}`}
      onPointerDown={(e) => {
        // A press on a package is a click on it, not the start of a pan.
        if ((e.target as Element).closest('g.node') !== null) return;
        drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
        (e.currentTarget as Element).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d !== null) setView({ ...view, x: d.vx + (e.clientX - d.x), y: d.vy + (e.clientY - d.y) });
      }}
      onPointerUp={() => (drag.current = null)}
      onWheel={(e) => {
        e.preventDefault();
        const k = Math.min(4, Math.max(0.2, view.k * (e.deltaY < 0 ? 1.15 : 1 / 1.15)));
        setView({ ...view, k });
      }}
    >
      <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
        {props.edges.map(([a, b]) => {
          const p = layout.pos.get(a);
          const q = layout.pos.get(b);
          if (p === undefined || q === undefined) return null;
          const x1 = p.x + 200;
          const y1 = p.y + 12;
          const x2 = q.x;
          const y2 = q.y + 12;
          const mid = (x1 + x2) / 2;
          return <path class="edge" d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`} />;
        })}
        {props.nodes.map((n) => {
          const p = layout.pos.get(n.id)!;
          const cls = `node${props.selected === n.id ? ' selected' : ''}${props.highlight(n.id) ? ' match' : ''}${n.id === props.root ? ' root' : ''}`;
          return (
            <g class={cls} transform={`translate(${p.x} ${p.y})`} onClick={() => props.onSelect(n.id)} data-id={n.id}>
              <rect width="200" height="24" rx="4" />
              <text x="8" y="16">
                {n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
