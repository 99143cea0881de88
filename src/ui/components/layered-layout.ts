// A layered (Sugiyama-style) layout for dependency diagrams, left to right:
// cycles broken by a depth-first search from the root, layers by the longest
// path from the root, long edges split by dummy points (one per layer they
// cross), crossings reduced by barycenter sweeps, rows placed by isotonic
// regression towards their neighbours. Pure: no DOM, so a benchmark and unit
// tests run it in Node.

/** A box to place: its size in layout units. */
export interface LayoutInputNode {
  id: string;
  width: number;
  height: number;
}

/** Where a box went: `x`, `y` its top left corner; `layer` its column (0 = the root's). */
export interface PlacedNode extends LayoutInputNode {
  x: number;
  y: number;
  layer: number;
}

/**
 * An edge as points: consecutive points at the same height are a straight
 * run along a box's or a dummy's row; the others are joined by a curve that
 * stays in the gap between two columns. The last point is the target's side.
 */
export interface RoutedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
  /** Drawn against the layers' direction: the edge closed a cycle. */
  back: boolean;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  edges: RoutedEdge[];
  /** The real nodes of each column, top to bottom. */
  layers: string[][];
  width: number;
  height: number;
  /** Edge crossings between adjacent columns in the input's order and in the final one. */
  crossings: { initial: number; final: number };
}

export interface LayoutOptions {
  /** Horizontal room between columns, where edges curve (default 64). */
  layerGap?: number;
  /** Vertical room between boxes of a column (default 10). */
  nodeGap?: number;
  /** Barycenter sweeps, each down then up (default 4: on the 500-package fixture the count of crossings settles after two). */
  sweeps?: number;
}

const DUMMY_HEIGHT = 2;
const DUMMY_GAP = 4;
const MARGIN = 16;

/**
 * The real nodes and the dummies, as parallel arrays (the layout runs on
 * thousands of dummies; typed arrays keep it well under the 500 ms budget).
 * Neighbours in compressed rows: item i's upper ones are
 * `upList[upStart[i] .. upStart[i + 1]]`, its lower ones likewise.
 */
interface Items {
  count: number;
  /** Index of the real node, or -1 for a dummy. */
  node: Int32Array;
  layer: Int32Array;
  height: Float64Array;
  /** Position within its layer. */
  pos: Float64Array;
  /** The centre's y. */
  y: Float64Array;
  upStart: Int32Array;
  upList: Int32Array;
  downStart: Int32Array;
  downList: Int32Array;
}

type Side = 'up' | 'down';

/**
 * Lays out `nodes` and `edges` ([from, to] ids; unknown ids and self-loops are
 * ignored, duplicates drawn once) in columns, the root's first.
 * @example layeredLayout([{ id: 'a', width: 80, height: 24 }, { id: 'b', width: 80, height: 24 }], [['a', 'b']], 'a')
 */
export function layeredLayout(nodes: readonly LayoutInputNode[], edges: readonly (readonly [string, string])[], root?: string, options: LayoutOptions = {}): Layout {
  const layerGap = options.layerGap ?? 64;
  const nodeGap = options.nodeGap ?? 10;
  const sweeps = options.sweeps ?? 4;
  const n = nodes.length;
  const index = new Map<string, number>();
  nodes.forEach((node, i) => index.set(node.id, i));
  const out: number[][] = nodes.map(() => []);
  const pairs: [number, number][] = [];
  const seen = new Set<string>();
  for (const [a, b] of edges) {
    const u = index.get(a);
    const v = index.get(b);
    const key = `${a}\u0000${b}`;
    if (u === undefined || v === undefined || u === v || seen.has(key)) continue;
    seen.add(key);
    out[u]!.push(v);
    pairs.push([u, v]);
  }
  const back = backEdges(n, out, index.get(root ?? ''), pairs);
  const layerOf = longestPathLayers(n, pairs, back);
  const layerCount = Math.max(0, ...layerOf) + 1;

  // Chains: every edge in the layers' direction, through a dummy for every layer it crosses.
  let count = n;
  const chains = pairs.map(([u, v], e) => {
    const isBack = back.has(e);
    const [s, t] = isBack ? [v, u] : [u, v];
    const path = [s];
    for (let l = layerOf[s]! + 1; l < layerOf[t]!; l++) path.push(count++);
    path.push(t);
    return { from: u, to: v, back: isBack, path };
  });
  const items = buildItems(nodes, layerOf, count, chains);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < count; i++) layers[items.layer[i]!]!.push(i);
  for (const layer of layers) layer.forEach((it, p) => (items.pos[it] = p));
  const initial = totalCrossings(layers, items);
  const best = orderByBarycenters(layers, items, sweeps, initial);

  // Columns: as wide as their widest box.
  const colX: number[] = [];
  const colW: number[] = [];
  let x = MARGIN;
  for (let l = 0; l < layerCount; l++) {
    colX.push(x);
    let w = 0;
    for (const it of layers[l]!) if (items.node[it]! >= 0) w = Math.max(w, nodes[items.node[it]!]!.width);
    colW.push(w);
    x += w + layerGap;
  }
  placeRows(layers, items, nodeGap);

  const placed = new Map<string, PlacedNode>();
  let height = 0;
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    placed.set(node.id, { ...node, x: colX[items.layer[i]!]!, y: items.y[i]! - node.height / 2, layer: items.layer[i]! });
    height = Math.max(height, items.y[i]! + node.height / 2);
  }
  const routed: RoutedEdge[] = chains.map((c) => {
    const points: { x: number; y: number }[] = [];
    c.path.forEach((it, i) => {
      const l = items.layer[it]!;
      const y = items.y[it]!;
      const left = colX[l]!;
      const right = it < n ? left + nodes[it]!.width : left + colW[l]!;
      if (i > 0) points.push({ x: left, y });
      // Along its own row to the column's edge, so that the curve starts in the gap.
      if (i < c.path.length - 1) points.push({ x: right, y }, { x: left + colW[l]!, y });
    });
    const deduped = points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y);
    return { from: nodes[c.from]!.id, to: nodes[c.to]!.id, points: c.back ? deduped.reverse() : deduped, back: c.back };
  });
  return {
    nodes: placed,
    edges: routed,
    layers: layers.map((l) => l.filter((it) => it < n).map((it) => nodes[it]!.id)),
    width: x - layerGap + MARGIN,
    height: height + MARGIN,
    crossings: { initial, final: best },
  };
}

function buildItems(nodes: readonly LayoutInputNode[], layerOf: number[], count: number, chains: { path: number[] }[]): Items {
  const n = nodes.length;
  const node = new Int32Array(count).fill(-1);
  const layer = new Int32Array(count);
  const height = new Float64Array(count).fill(DUMMY_HEIGHT);
  for (let i = 0; i < n; i++) {
    node[i] = i;
    layer[i] = layerOf[i]!;
    height[i] = nodes[i]!.height;
  }
  const upCount = new Int32Array(count + 1);
  const downCount = new Int32Array(count + 1);
  for (const { path } of chains) {
    for (let i = 1; i < path.length; i++) {
      if (path[i]! >= n) layer[path[i]!] = layer[path[i - 1]!]! + 1;
      downCount[path[i - 1]! + 1]!++;
      upCount[path[i]! + 1]!++;
    }
  }
  for (let i = 0; i < count; i++) {
    upCount[i + 1]! += upCount[i]!;
    downCount[i + 1]! += downCount[i]!;
  }
  const upStart = upCount.slice();
  const downStart = downCount.slice();
  const upList = new Int32Array(upStart[count]!);
  const downList = new Int32Array(downStart[count]!);
  for (const { path } of chains) {
    for (let i = 1; i < path.length; i++) {
      downList[downCount[path[i - 1]!]!++] = path[i]!;
      upList[upCount[path[i]!]!++] = path[i - 1]!;
    }
  }
  return { count, node, layer, height, pos: new Float64Array(count), y: new Float64Array(count), upStart, upList, downStart, downList };
}

/** The mean of `values` over the item's neighbours on one side, or `fallback` when it has none. */
function meanOver(items: Items, it: number, side: Side, values: Float64Array, fallback: number): number {
  const start = side === 'up' ? items.upStart : items.downStart;
  const list = side === 'up' ? items.upList : items.downList;
  const a = start[it]!;
  const b = start[it + 1]!;
  if (a === b) return fallback;
  let sum = 0;
  for (let k = a; k < b; k++) sum += values[list[k]!]!;
  return sum / (b - a);
}

/** Indexes (into `pairs`) of the edges that close a cycle, found by a depth-first search from the root, then from every other node. */
function backEdges(n: number, out: number[][], root: number | undefined, pairs: [number, number][]): Set<number> {
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const closing = new Set<string>();
  const visit = (start: number): void => {
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [u, i] = top;
      if (i < out[u]!.length) {
        top[1]++;
        const v = out[u]![i]!;
        if (state[v] === 1 || v === root) closing.add(`${u} ${v}`);
        else if (state[v] === 0) {
          state[v] = 1;
          stack.push([v, 0]);
        }
      } else {
        state[u] = 2;
        stack.pop();
      }
    }
  };
  if (root !== undefined) visit(root);
  const hasIn = new Uint8Array(n);
  for (const [, v] of pairs) hasIn[v] = 1;
  for (let i = 0; i < n; i++) if (state[i] === 0 && hasIn[i] === 0) visit(i);
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
  const found = new Set<number>();
  pairs.forEach(([u, v], e) => closing.has(`${u} ${v}`) && found.add(e));
  return found;
}

/** Each node's layer: the longest path to it over the edges with the back edges reversed (Kahn's order). */
function longestPathLayers(n: number, pairs: [number, number][], back: Set<number>): number[] {
  const succ: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Uint32Array(n);
  pairs.forEach(([u, v], e) => {
    const [s, t] = back.has(e) ? [v, u] : [u, v];
    succ[s]!.push(t);
    indeg[t]!++;
  });
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    for (const v of succ[u]!) {
      layer[v] = Math.max(layer[v]!, layer[u]! + 1);
      if (--indeg[v]! === 0) queue.push(v);
    }
  }
  return layer;
}

/** Sorts each layer by the mean position of its neighbours, down then up, `sweeps` times; keeps the order with the fewest crossings and returns that count. */
function orderByBarycenters(layers: number[][], items: Items, sweeps: number, initial: number): number {
  let best = initial;
  let bestOrder = layers.map((l) => [...l]);
  const bary = new Float64Array(items.count);
  const pos = items.pos;
  const sortBy = (layer: number[], side: Side): void => {
    // A node without neighbours on that side keeps its place.
    for (const it of layer) bary[it] = meanOver(items, it, side, pos, pos[it]!);
    layer.sort((a, b) => bary[a]! - bary[b]! || pos[a]! - pos[b]!);
    for (let p = 0; p < layer.length; p++) pos[layer[p]!] = p;
  };
  for (let s = 0; s < sweeps; s++) {
    for (let l = 1; l < layers.length; l++) sortBy(layers[l]!, 'up');
    for (let l = layers.length - 2; l >= 0; l--) sortBy(layers[l]!, 'down');
    const c = totalCrossings(layers, items);
    if (c < best) {
      best = c;
      bestOrder = layers.map((l) => [...l]);
    }
  }
  bestOrder.forEach((order, l) => {
    layers[l] = order;
    order.forEach((it, p) => (pos[it] = p));
  });
  return best;
}

/** Crossings between every pair of adjacent layers, counted as inversions with a Fenwick tree. */
function totalCrossings(layers: number[][], items: Items): number {
  const { pos, downStart, downList } = items;
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const size = layers[l + 1]!.length;
    let count = 0;
    for (const it of layers[l]!) count += downStart[it + 1]! - downStart[it]!;
    // Each edge as one number, its top end's position then its bottom end's, sorted as such.
    const ends = new Float64Array(count);
    let k = 0;
    for (const it of layers[l]!) for (let j = downStart[it]!; j < downStart[it + 1]!; j++) ends[k++] = pos[it]! * size + pos[downList[j]!]!;
    ends.sort();
    const tree = new Uint32Array(size + 1);
    let seen = 0;
    for (const e of ends) {
      const q = e % size;
      // Edges already seen that end below q cross this one.
      let below = 0;
      for (let i = q + 1; i > 0; i -= i & -i) below += tree[i]!;
      total += seen - below;
      for (let i = q + 1; i <= size; i += i & -i) tree[i]!++;
      seen++;
    }
  }
  return total;
}

/**
 * Each item's centre y: first packed, then pulled towards the mean of its
 * neighbours, down and up a few times, keeping the order and the gaps
 * (least squares under order constraints: pool adjacent violators).
 */
function placeRows(layers: number[][], items: Items, nodeGap: number): void {
  const { node, height, y } = items;
  const gapOf = (a: number, b: number): number => (height[a]! + height[b]!) / 2 + (node[a]! < 0 || node[b]! < 0 ? DUMMY_GAP : nodeGap);
  const size = Math.max(0, ...layers.map((l) => l.length));
  const want = new Float64Array(size);
  const weight = new Float64Array(size);
  const offset = new Float64Array(size);
  const fit = new Float64Array(size);
  for (const layer of layers) {
    for (let i = 0; i < layer.length; i++) y[layer[i]!] = i === 0 ? MARGIN + height[layer[0]!]! / 2 : y[layer[i - 1]!]! + gapOf(layer[i - 1]!, layer[i]!);
  }
  const settle = (layer: number[], side: Side): void => {
    const start = side === 'up' ? items.upStart : items.downStart;
    // Offsets that the gaps force, then the wanted positions less those offsets, made non-decreasing.
    for (let i = 0; i < layer.length; i++) {
      const it = layer[i]!;
      offset[i] = i === 0 ? 0 : offset[i - 1]! + gapOf(layer[i - 1]!, it);
      want[i] = meanOver(items, it, side, y, y[it]!) - offset[i]!;
      // Boxes weigh more than dummies; an item with no neighbours on that side hardly pulls.
      weight[i] = start[it] === start[it + 1] ? 0.2 : node[it]! >= 0 ? 2 : 1;
    }
    isotonic(want, weight, layer.length, fit);
    for (let i = 0; i < layer.length; i++) y[layer[i]!] = fit[i]! + offset[i]!;
  };
  // Ending with the sweep towards the root keeps each package near what uses it: the root's neighbourhood, where the diagram opens, stays together.
  for (let round = 0; round < 4; round++) {
    for (let l = layers.length - 2; l >= 0; l--) settle(layers[l]!, 'down');
    for (let l = 1; l < layers.length; l++) settle(layers[l]!, 'up');
  }
  let top = Number.POSITIVE_INFINITY;
  for (let i = 0; i < items.count; i++) top = Math.min(top, y[i]! - height[i]! / 2);
  if (Number.isFinite(top)) for (let i = 0; i < items.count; i++) y[i]! += MARGIN - top;
}

/**
 * Writes into `out` the non-decreasing sequence nearest to the first `n`
 * `values` (weighted least squares), by pooling adjacent violators.
 */
export function isotonic(values: ArrayLike<number>, weights: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  // Blocks as a stack: their weighted sums, weights and lengths.
  const sum = new Float64Array(n);
  const w = new Float64Array(n);
  const len = new Uint32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    top++;
    sum[top] = values[i]! * weights[i]!;
    w[top] = weights[i]!;
    len[top] = 1;
    while (top > 0 && sum[top - 1]! / w[top - 1]! > sum[top]! / w[top]!) {
      sum[top - 1]! += sum[top]!;
      w[top - 1]! += w[top]!;
      len[top - 1]! += len[top]!;
      top--;
    }
  }
  let i = 0;
  for (let b = 0; b <= top; b++) for (let k = 0; k < len[b]!; k++) out[i++] = sum[b]! / w[b]!;
}
