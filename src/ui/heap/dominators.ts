// Who keeps what alive: the dominator tree of the heap graph from its
// synthetic root, and every node's retained size (its own size plus the sizes
// of all it dominates). Weak edges keep nothing alive and the root's shortcut
// edges only mark user roots, so both are left out, as Chrome DevTools does.
// Nodes that only weak edges reach hang from the root. The algorithm is
// Cooper, Harvey and Kennedy's iterative one ("A Simple, Fast Dominance
// Algorithm", 2001) over a depth-first post-order, the one DevTools uses.
import type { HeapGraph } from './parse.js';
import type { Work } from './slices.js';

/** The dominator tree: `idom[n]` is the ordinal of the node that dominates `n` (the root dominates itself). */
export interface Dominance {
  idom: Uint32Array;
  /** Bytes each node keeps alive. */
  retained: Float64Array;
}

const NONE = 0xffffffff;
/** How many steps between two yields. */
const STEP = 1 << 12;

/** The dominator tree and the retained sizes of `g`, computed in steps that yield. */
export function* dominators(g: HeapGraph): Work<Dominance> {
  const n = g.nodeCount;
  // An edge keeps its target alive unless it is weak, or a shortcut from the root.
  const weak = g.edgeTypes.indexOf('weak');
  const shortcut = g.edgeTypes.indexOf('shortcut');
  const { edgeType, edgeTo, firstEdge } = g;
  // 1. Post-order of a depth-first walk from the root; nodes it does not reach are walked from the root too.
  const order = new Uint32Array(n); // post-order index → ordinal
  const post = new Uint32Array(n); // ordinal → post-order index
  const orphan = new Uint8Array(n);
  const seen = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const cursor = new Uint32Array(n);
  let top = 0;
  let next = 0;
  let nextOrphan = 1;
  stack[0] = 0;
  cursor[0] = g.firstEdge[0]!;
  seen[0] = 1;
  let steps = 0;
  while (top >= 0) {
    if ((++steps & (STEP - 1)) === 0) yield { phase: 'ordering', done: next, total: n };
    const v = stack[top]!;
    const e = cursor[top]!;
    if (e < firstEdge[v + 1]!) {
      cursor[top] = e + 1;
      const to = edgeTo[e]!;
      const t = edgeType[e];
      if (seen[to] === 0 && t !== weak && (v !== 0 || t !== shortcut)) {
        seen[to] = 1;
        stack[++top] = to;
        cursor[top] = g.firstEdge[to]!;
      }
      continue;
    }
    if (v === 0) {
      while (nextOrphan < n && seen[nextOrphan] === 1) nextOrphan++;
      if (nextOrphan < n) {
        seen[nextOrphan] = 1;
        orphan[nextOrphan] = 1;
        stack[++top] = nextOrphan;
        cursor[top] = g.firstEdge[nextOrphan]!;
        continue;
      }
    }
    order[next] = v;
    post[v] = next++;
    top--;
  }
  const root = n - 1; // the root's post-order index
  // 2. Who retains whom, by post-order index, over the edges that keep alive.
  // Steps are counted by edge, so that a node with a million edges (a big array) yields too.
  const firstPred = new Uint32Array(n + 1);
  let work = 0;
  for (let v = 0; v < n; v++) {
    for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
      if ((++work & (STEP - 1)) === 0) yield { phase: 'retainers', done: v, total: 2 * n };
      const t = edgeType[e];
      if (t !== weak && (v !== 0 || t !== shortcut)) firstPred[post[edgeTo[e]!]! + 1]!++;
    }
  }
  for (let p = 0; p < n; p++) firstPred[p + 1]! += firstPred[p]!;
  yield { phase: 'retainers', done: n, total: 2 * n };
  const pred = new Uint32Array(firstPred[n]!);
  const fill = firstPred.slice(0, n);
  for (let v = 0; v < n; v++) {
    const pv = post[v]!;
    for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
      if ((++work & (STEP - 1)) === 0) yield { phase: 'retainers', done: n + v, total: 2 * n };
      const t = edgeType[e];
      if (t !== weak && (v !== 0 || t !== shortcut)) pred[fill[post[edgeTo[e]!]!]!++] = pv;
    }
  }
  // 3. Immediate dominators, by post-order index, until nothing changes.
  const dom = new Uint32Array(n).fill(NONE);
  dom[root] = root;
  for (let pass = 1, changed = true; changed; pass++) {
    changed = false;
    for (let p = root - 1; p >= 0; p--) {
      work += firstPred[p + 1]! - firstPred[p]! + 1;
      if (work >= STEP) {
        work = 0;
        yield { phase: `dominators (pass ${pass})`, done: root - p, total: n };
      }
      let d = NONE;
      if (orphan[order[p]!] === 1) d = root;
      else {
        for (let k = firstPred[p]!; k < firstPred[p + 1]!; k++) {
          let a = pred[k]!;
          if (dom[a] === NONE) continue;
          if (d === NONE) {
            d = a;
            continue;
          }
          let b = d;
          while (a !== b) {
            while (a < b) a = dom[a]!;
            while (b < a) b = dom[b]!;
          }
          d = a;
        }
      }
      if (d !== dom[p]) {
        dom[p] = d;
        changed = true;
      }
    }
  }
  // 4. Retained sizes, children before their dominator (a dominator comes later in post-order).
  const idom = new Uint32Array(n);
  const retained = Float64Array.from(g.selfSize);
  for (let p = 0; p < root; p++) {
    if (p % STEP === 0) yield { phase: 'retained sizes', done: p, total: n };
    const v = order[p]!;
    const d = order[dom[p] === NONE ? root : dom[p]!]!;
    idom[v] = d;
    retained[d]! += retained[v]!;
  }
  return { idom, retained };
}
