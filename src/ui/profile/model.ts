// The profile model: a Chrome DevTools `.cpuprofile` or sampling `.heapprofile`
// turned into one call tree, flattened into typed arrays in preorder (so that a
// renderer walks 100,000 frames without allocating and skips a whole subtree by
// jumping to its `end`), and the table of functions aggregated from it. Pure: no DOM.

/** A V8 call frame, as both profile formats write it (0-based line and column). */
export interface CallFrame {
  functionName: string;
  scriptId?: string | number;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A `.cpuprofile` (`Profiler.stop`'s `profile`). */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A node of a sampling `.heapprofile` (`HeapProfiler.stopSampling`'s `profile.head`). */
export interface HeapProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  id?: number;
  children?: HeapProfileNode[];
}

/** A `.heapprofile`. */
export interface HeapProfile {
  head: HeapProfileNode;
  samples?: unknown[];
}

/** One function: what the table's rows and the frames' labels name. */
export interface FunctionInfo {
  name: string;
  url: string;
  /** 1-based; 0 when unknown. */
  line: number;
}

/**
 * A call tree in preorder: node `i`'s children are `i + 1 …` up to `end[i]`,
 * largest first. `start[i]` is where it begins along the x axis, in the tree's
 * unit (µs for CPU, bytes for heap), so the root spans `[0, total[0])`.
 * Identical calls under one parent are merged.
 */
export interface ProfileTree {
  kind: 'cpu' | 'heap';
  /** What self and total count: microseconds of CPU, or bytes allocated. */
  unit: 'us' | 'bytes';
  count: number;
  /** Index into `functions`. */
  fn: Int32Array;
  /** -1 for the root. */
  parent: Int32Array;
  depth: Int32Array;
  /** Index just past the node's last descendant. */
  end: Int32Array;
  self: Float64Array;
  total: Float64Array;
  start: Float64Array;
  maxDepth: number;
  functions: FunctionInfo[];
}

/** A row of the function table: self and total summed over every call of the function, total counted once per stack. */
export interface FunctionRow extends FunctionInfo {
  fn: number;
  self: number;
  total: number;
}

/** Thrown when the JSON is neither profile format; `code` is stable. */
export class ProfileFormatError extends Error {
  readonly code = 'PROFILE_FORMAT';
}

interface Raw {
  fn: number;
  self: number;
  children: Raw[];
}

/** Interns functions by name, url and line (the column is not part of a function's identity in the table). */
class Functions {
  readonly list: FunctionInfo[] = [];
  readonly #ids = new Map<string, number>();
  id(f: CallFrame): number {
    const name = f.functionName || '(anonymous)';
    const line = f.lineNumber >= 0 ? f.lineNumber + 1 : 0;
    const key = `${name}\u0000${f.url}\u0000${line}`;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.list.push({ name, url: f.url, line });
      this.#ids.set(key, id);
    }
    return id;
  }
}

function isCpu(p: unknown): p is CpuProfile {
  return typeof p === 'object' && p !== null && Array.isArray((p as CpuProfile).nodes);
}

function isHeap(p: unknown): p is HeapProfile {
  return typeof p === 'object' && p !== null && typeof (p as HeapProfile).head === 'object' && (p as HeapProfile).head !== null;
}

/** Each sample lasts until the next one (the last until endTime); a negative delta (V8 reorders a few) counts as none. */
function cpuRaw(p: CpuProfile, fns: Functions): Raw {
  const byId = new Map<number, { raw: Raw; children: number[] }>();
  for (const n of p.nodes) byId.set(n.id, { raw: { fn: fns.id(n.callFrame), self: 0, children: [] }, children: n.children ?? [] });
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  if (samples.length > 0) {
    let t = p.startTime;
    const times = new Float64Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      t += Math.max(0, deltas[i] ?? 0);
      times[i] = t;
    }
    for (let i = 0; i < samples.length; i++) {
      const next = i + 1 < samples.length ? times[i + 1]! : Math.max(times[i]!, p.endTime);
      const node = byId.get(samples[i]!);
      if (node !== undefined) node.raw.self += next - times[i]!;
    }
  } else {
    // No samples kept: spread the profile's length over the hit counts.
    const hits = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const each = hits > 0 ? (p.endTime - p.startTime) / hits : 0;
    for (const n of p.nodes) byId.get(n.id)!.raw.self = (n.hitCount ?? 0) * each;
  }
  const isChild = new Set<number>();
  for (const { raw, children } of byId.values()) {
    for (const c of children) {
      const child = byId.get(c);
      if (child !== undefined) {
        raw.children.push(child.raw);
        isChild.add(c);
      }
    }
  }
  const root = p.nodes.find((n) => !isChild.has(n.id));
  if (root === undefined) throw new ProfileFormatError('a .cpuprofile without a root node');
  return byId.get(root.id)!.raw;
}

function heapRaw(head: HeapProfileNode, fns: Functions): Raw {
  const root: Raw = { fn: fns.id(head.callFrame), self: head.selfSize, children: [] };
  const stack: [HeapProfileNode, Raw][] = [[head, root]];
  while (stack.length > 0) {
    const [n, r] = stack.pop()!;
    for (const c of n.children ?? []) {
      const child: Raw = { fn: fns.id(c.callFrame), self: c.selfSize, children: [] };
      r.children.push(child);
      stack.push([c, child]);
    }
  }
  return root;
}

interface Merged {
  fn: number;
  self: number;
  total: number;
  children: Map<number, Merged>;
}

/** Merges children that call the same function, sums totals; iterative (a deep stack must not overflow ours). */
function merge(root: Raw): { tree: Merged; count: number } {
  const top: Merged = { fn: root.fn, self: 0, total: 0, children: new Map() };
  const work: [Raw, Merged][] = [[root, top]];
  while (work.length > 0) {
    const [r, m] = work.pop()!;
    m.self += r.self;
    for (const c of r.children) {
      let mc = m.children.get(c.fn);
      if (mc === undefined) {
        mc = { fn: c.fn, self: 0, total: 0, children: new Map() };
        m.children.set(c.fn, mc);
      }
      work.push([c, mc]);
    }
  }
  // Totals in postorder.
  const order: Merged[] = [];
  const walk: Merged[] = [top];
  while (walk.length > 0) {
    const m = walk.pop()!;
    order.push(m);
    for (const c of m.children.values()) walk.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const m = order[i]!;
    m.total = m.self;
    for (const c of m.children.values()) m.total += c.total;
  }
  return { tree: top, count: order.length };
}

function flatten(top: Merged, count: number, kind: ProfileTree['kind'], functions: FunctionInfo[]): ProfileTree {
  const t: ProfileTree = {
    kind,
    unit: kind === 'cpu' ? 'us' : 'bytes',
    count,
    fn: new Int32Array(count),
    parent: new Int32Array(count),
    depth: new Int32Array(count),
    end: new Int32Array(count),
    self: new Float64Array(count),
    total: new Float64Array(count),
    start: new Float64Array(count),
    maxDepth: 0,
    functions,
  };
  let next = 0;
  // A node's `end` is known once the next node at its depth or above is written.
  const stack: { m: Merged; parent: number; depth: number; start: number }[] = [{ m: top, parent: -1, depth: 0, start: 0 }];
  const open: number[] = [];
  while (stack.length > 0) {
    const f = stack.pop()!;
    const i = next++;
    while (open.length > 0 && t.depth[open[open.length - 1]!]! >= f.depth) t.end[open.pop()!] = i;
    t.fn[i] = f.m.fn;
    t.parent[i] = f.parent;
    t.depth[i] = f.depth;
    t.self[i] = f.m.self;
    t.total[i] = f.m.total;
    t.start[i] = f.start;
    if (f.depth > t.maxDepth) t.maxDepth = f.depth;
    open.push(i);
    const kids = [...f.m.children.values()].sort((a, b) => b.total - a.total || functions[a.fn]!.name.localeCompare(functions[b.fn]!.name));
    // Pushed in reverse so that the largest comes out first; x offsets from the left.
    let x = f.start;
    const starts = kids.map((k) => {
      const s = x;
      x += k.total;
      return s;
    });
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ m: kids[k]!, parent: i, depth: f.depth + 1, start: starts[k]! });
  }
  for (const i of open) t.end[i] = count;
  return t;
}

/**
 * The call tree of a parsed `.cpuprofile` (time in µs: each sample lasts until
 * the next) or `.heapprofile` (bytes allocated and still live when sampled).
 * Throws ProfileFormatError for anything else.
 *
 * @example buildTree(JSON.parse(text)).total[0] // the whole profile's µs or bytes
 */
export function buildTree(profile: unknown): ProfileTree {
  const fns = new Functions();
  let raw: Raw;
  let kind: ProfileTree['kind'];
  if (isCpu(profile)) {
    raw = cpuRaw(profile, fns);
    kind = 'cpu';
  } else if (isHeap(profile)) {
    raw = heapRaw(profile.head, fns);
    kind = 'heap';
  } else {
    throw new ProfileFormatError('neither a .cpuprofile (nodes) nor a .heapprofile (head)');
  }
  const { tree, count } = merge(raw);
  return flatten(tree, count, kind, fns.list);
}

/**
 * The function table: per function (name, url, line), its self time (or
 * bytes) summed over every call, and its total counted once per stack, so a
 * recursive function's total never exceeds the profile's. Unordered.
 */
export function functionTable(t: ProfileTree): FunctionRow[] {
  const n = t.functions.length;
  const self = new Float64Array(n);
  const total = new Float64Array(n);
  const onStack = new Int32Array(n);
  const stack: number[] = [];
  for (let i = 0; i < t.count; i++) {
    while (stack.length > 0 && t.end[stack[stack.length - 1]!]! <= i) onStack[t.fn[stack.pop()!]!]!--;
    const f = t.fn[i]!;
    self[f]! += t.self[i]!;
    if (onStack[f] === 0) total[f]! += t.total[i]!;
    onStack[f]!++;
    stack.push(i);
  }
  return t.functions.map((info, fn) => ({ ...info, fn, self: self[fn]!, total: total[fn]! }));
}

/** Which functions a search matches: the query, case-insensitive, in the name or the url; an empty query matches none. */
export function matchFunctions(t: ProfileTree, query: string): Uint8Array {
  const out = new Uint8Array(t.functions.length);
  const q = query.trim().toLowerCase();
  if (q === '') return out;
  t.functions.forEach((f, i) => {
    if (f.name.toLowerCase().includes(q) || f.url.toLowerCase().includes(q)) out[i] = 1;
  });
  return out;
}

/** What the matched functions account for, counted once per stack (a match under a match is already in it). */
export function matchedTotal(t: ProfileTree, matched: Uint8Array): number {
  let sum = 0;
  let i = 0;
  while (i < t.count) {
    if (matched[t.fn[i]!] === 1) {
      sum += t.total[i]!;
      i = t.end[i]!;
    } else {
      i++;
    }
  }
  return sum;
}

/** The node's next sibling, or -1. */
export function nextSibling(t: ProfileTree, i: number): number {
  const p = t.parent[i]!;
  const n = t.end[i]!;
  return p >= 0 && n < t.end[p]! ? n : -1;
}

/** The node's previous sibling, or -1. */
export function previousSibling(t: ProfileTree, i: number): number {
  const p = t.parent[i]!;
  if (p < 0) return -1;
  let prev = -1;
  for (let c = p + 1; c < i; c = t.end[c]!) prev = c;
  return prev;
}

/** The node's largest child, or -1. */
export function firstChild(t: ProfileTree, i: number): number {
  return t.end[i]! > i + 1 ? i + 1 : -1;
}

/** "file.js:12" of a function: the url's last path segment, or "" when it has none. */
export function place(f: FunctionInfo): string {
  if (f.url === '') return '';
  const file = f.url.slice(f.url.lastIndexOf('/') + 1) || f.url;
  return f.line > 0 ? `${file}:${f.line}` : file;
}
