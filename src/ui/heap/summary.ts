// The summary by constructor, as DevTools' Summary view: per class, how many
// objects, their own (shallow) size, and what they keep alive (retained size,
// counting an object once even when another object of its class dominates it).
import { type Dominance, dominators } from './dominators.js';
import type { HeapGraph } from './parse.js';
import type { Work } from './slices.js';

/** One constructor (class) of a snapshot. */
export interface ClassRow {
  /** The constructor's name for objects; `(string)`, `(closure)`, `(compiled code)`, `(system)`, … for the rest. */
  name: string;
  count: number;
  /** Bytes of the objects themselves. */
  shallow: number;
  /** Bytes they keep alive: the retained sizes of those not dominated by another of the same class. */
  retained: number;
}

/**
 * What is kept of an analysed snapshot to compare it with another: 12 bytes a
 * node (id, class, size), the graph itself is let go.
 */
export interface KeptNodes {
  /** Class names, indexed by `classOf`. */
  classes: readonly string[];
  id: Uint32Array;
  classOf: Uint32Array;
  selfSize: Float64Array;
}

/** A snapshot's summary: its classes, the total size, and what a comparison needs. */
export interface HeapSummary {
  rows: ClassRow[];
  /** Bytes of every object of the snapshot. */
  totalSize: number;
  nodeCount: number;
  edgeCount: number;
  kept: KeptNodes;
}

/** The summary with the graph and its dominance, for callers that look at single objects (tests). */
export interface HeapAnalysis extends HeapSummary {
  graph: HeapGraph;
  dominance: Dominance;
}

const STEP = 1 << 12;

/** The class of each node, DevTools' way: objects and native objects by name, the rest by type in parentheses. Synthetic nodes get none (`NO_CLASS`). */
export const NO_CLASS = 0xffffffff;

function* classify(g: HeapGraph): Work<{ classes: string[]; classOf: Uint32Array }> {
  const classes: string[] = [];
  const index = new Map<string, number>();
  const byType = g.nodeTypes.map((t) => (t === 'hidden' ? '(system)' : t === 'code' ? '(compiled code)' : `(${t})`));
  const object = g.nodeTypes.indexOf('object');
  const native = g.nodeTypes.indexOf('native');
  const synthetic = g.nodeTypes.indexOf('synthetic');
  const classOf = new Uint32Array(g.nodeCount);
  for (let n = 0; n < g.nodeCount; n++) {
    if (n % STEP === 0) yield { phase: 'classes', done: n, total: g.nodeCount };
    const t = g.type[n]!;
    if (t === synthetic) {
      classOf[n] = NO_CLASS;
      continue;
    }
    const name = t === object || t === native ? (g.strings.get(g.name[n]!) ?? '(unnamed)') : (byType[t] ?? '(unknown)');
    let c = index.get(name);
    if (c === undefined) {
      c = classes.length;
      classes.push(name);
      index.set(name, c);
    }
    classOf[n] = c;
  }
  return { classes, classOf };
}

/** Sums the retained sizes of a class's objects along the dominator tree, skipping those with an ancestor of the same class. */
function* classRetained(g: HeapGraph, d: Dominance, classOf: Uint32Array, classCount: number): Work<Float64Array> {
  const n = g.nodeCount;
  const firstChild = new Uint32Array(n + 1);
  for (let v = 1; v < n; v++) {
    if ((v & (STEP - 1)) === 0) yield { phase: 'dominator tree', done: v >> 1, total: n };
    firstChild[d.idom[v]! + 1]!++;
  }
  for (let v = 0; v < n; v++) firstChild[v + 1]! += firstChild[v]!;
  yield { phase: 'dominator tree', done: n >> 1, total: n };
  const children = new Uint32Array(Math.max(0, n - 1));
  const fill = firstChild.slice(0, n);
  for (let v = 1; v < n; v++) {
    if ((v & (STEP - 1)) === 0) yield { phase: 'dominator tree', done: (n + v) >> 1, total: n };
    children[fill[d.idom[v]!]!++] = v;
  }
  const out = new Float64Array(classCount);
  const open = new Uint32Array(classCount);
  const stack = new Uint32Array(n);
  const cursor = new Uint32Array(n);
  let top = 0;
  stack[0] = 0;
  cursor[0] = firstChild[0]!;
  let steps = 0;
  while (top >= 0) {
    if (++steps % STEP === 0) yield { phase: 'retained by class', done: steps >> 1, total: n };
    const v = stack[top]!;
    const k = cursor[top]!;
    if (k < firstChild[v + 1]!) {
      cursor[top] = k + 1;
      const child = children[k]!;
      const c = classOf[child]!;
      if (c !== NO_CLASS && open[c]!++ === 0) out[c]! += d.retained[child]!;
      stack[++top] = child;
      cursor[top] = firstChild[child]!;
      continue;
    }
    const c = classOf[v]!;
    if (v !== 0 && c !== NO_CLASS) open[c]!--;
    top--;
  }
  return out;
}

/**
 * Analyses a parsed snapshot: dominators, retained sizes, and the rows by
 * constructor, in steps that yield (run it with `runSliced` in the browser,
 * `runSync` in Node).
 */
export function* analyse(g: HeapGraph): Work<HeapAnalysis> {
  const dominance = yield* dominators(g);
  const { classes, classOf } = yield* classify(g);
  const retained = yield* classRetained(g, dominance, classOf, classes.length);
  const count = new Float64Array(classes.length);
  const shallow = new Float64Array(classes.length);
  let totalSize = 0;
  for (let v = 0; v < g.nodeCount; v++) {
    if (v % STEP === 0) yield { phase: 'totals', done: v, total: g.nodeCount };
    const c = classOf[v]!;
    totalSize += g.selfSize[v]!;
    if (c === NO_CLASS) continue;
    count[c]!++;
    shallow[c]! += g.selfSize[v]!;
  }
  const rows = classes.map((name, c) => ({ name, count: count[c]!, shallow: shallow[c]!, retained: retained[c]! }));
  rows.sort((a, b) => b.retained - a.retained);
  return { rows, totalSize, nodeCount: g.nodeCount, edgeCount: g.edgeCount, kept: { classes, id: g.id, classOf, selfSize: g.selfSize }, graph: g, dominance };
}

/** The summary alone, letting go of the graph (what the page keeps). */
export function summaryOf(a: HeapAnalysis): HeapSummary {
  return { rows: a.rows, totalSize: a.totalSize, nodeCount: a.nodeCount, edgeCount: a.edgeCount, kept: a.kept };
}
