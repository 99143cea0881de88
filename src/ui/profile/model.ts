// The profile model: a Chrome DevTools `.cpuprofile` or sampling `.heapprofile`
// turned into one call tree, flattened into typed arrays in preorder (so that a
// renderer walks 100,000 frames without allocating and skips a whole subtree by
// jumping to its `end`). Pure: no DOM. What is read from the tree (the function
// table, search, neighbours) is in queries.ts.

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

/** Thrown when the JSON is neither profile format; `code` is stable. */
export class ProfileFormatError extends Error {
  readonly code = 'PROFILE_FORMAT';
}

/**
 * The raw tree before merging: per node its function and self value, its
 * children as ids, and `index` from an id to the node's place (ids are dense in
 * V8's profiles, so a table serves).
 */
interface Raw {
  fn: Int32Array;
  self: Float64Array;
  children: (readonly number[] | undefined)[];
  index: Int32Array;
  root: number;
}

/** Interns functions by name, url and line (the column is not part of a function's identity in the table). */
class Functions {
  readonly list: FunctionInfo[] = [];
  // By url, then name, then line: no key string is built per node.
  readonly #byUrl = new Map<string, Map<string, Map<number, number>>>();
  id(f: CallFrame): number {
    const name = f.functionName || '(anonymous)';
    const line = f.lineNumber >= 0 ? f.lineNumber + 1 : 0;
    let names = this.#byUrl.get(f.url);
    if (names === undefined) this.#byUrl.set(f.url, (names = new Map()));
    let lines = names.get(name);
    if (lines === undefined) names.set(name, (lines = new Map()));
    let id = lines.get(line);
    if (id === undefined) {
      id = this.list.length;
      this.list.push({ name, url: f.url, line });
      lines.set(line, id);
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

/** An id → place table; ids that are not small non-negative integers are renumbered through a map. */
function indexIds(p: CpuProfile): { index: Int32Array; children: (readonly number[] | undefined)[]; samples: readonly number[] } {
  const n = p.nodes.length;
  let maxId = -1;
  let dense = true;
  for (const node of p.nodes) {
    if (!Number.isInteger(node.id) || node.id < 0) dense = false;
    else if (node.id > maxId) maxId = node.id;
  }
  if (dense && maxId <= 4 * n + 16) {
    const index = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < n; i++) index[p.nodes[i]!.id] = i;
    return { index, children: p.nodes.map((node) => node.children), samples: p.samples ?? [] };
  }
  const map = new Map<number, number>();
  p.nodes.forEach((node, i) => map.set(node.id, i));
  const at = (id: number): number => map.get(id) ?? -1;
  return {
    index: Int32Array.from({ length: n }, (_, i) => i),
    children: p.nodes.map((node) => node.children?.map(at).filter((i) => i >= 0)),
    samples: (p.samples ?? []).map(at),
  };
}

/** Each sample lasts until the next one (the last until endTime); a negative delta (V8 reorders a few) counts as none. */
function cpuRaw(p: CpuProfile, fns: Functions): Raw {
  const n = p.nodes.length;
  const { index, children, samples } = indexIds(p);
  const fn = new Int32Array(n);
  const self = new Float64Array(n);
  const isChild = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    fn[i] = fns.id(p.nodes[i]!.callFrame);
    const kids = children[i];
    if (kids !== undefined) for (let k = 0; k < kids.length; k++) isChild[index[kids[k]!] ?? 0] = 1;
  }
  const deltas = p.timeDeltas ?? [];
  if (samples.length > 0) {
    let t = p.startTime + Math.max(0, deltas[0] ?? 0);
    for (let i = 0; i < samples.length; i++) {
      const next = i + 1 < samples.length ? t + Math.max(0, deltas[i + 1] ?? 0) : Math.max(t, p.endTime);
      const k = index[samples[i]!] ?? -1;
      if (k >= 0) self[k]! += next - t;
      t = next;
    }
  } else {
    // No samples kept: spread the profile's length over the hit counts.
    const hits = p.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const each = hits > 0 ? (p.endTime - p.startTime) / hits : 0;
    p.nodes.forEach((node, i) => void (self[i] = (node.hitCount ?? 0) * each));
  }
  const root = isChild.indexOf(0);
  if (root < 0) throw new ProfileFormatError('a .cpuprofile without a root node');
  return { fn, self, children, index, root };
}

function heapRaw(head: HeapProfileNode, fns: Functions): Raw {
  const fn: number[] = [];
  const self: number[] = [];
  const children: number[][] = [];
  const add = (node: HeapProfileNode): number => {
    fn.push(fns.id(node.callFrame));
    self.push(node.selfSize);
    children.push([]);
    return fn.length - 1;
  };
  const stack: [HeapProfileNode, number][] = [[head, add(head)]];
  while (stack.length > 0) {
    const [node, i] = stack.pop()!;
    for (const c of node.children ?? []) {
      const k = add(c);
      children[i]!.push(k);
      stack.push([c, k]);
    }
  }
  return { fn: Int32Array.from(fn), self: Float64Array.from(self), children, index: Int32Array.from(fn, (_, i) => i), root: 0 };
}

/**
 * Merges the children that call the same function under one parent, then
 * writes the tree in preorder with each node's children largest first.
 * Iterative throughout: a deep stack must not overflow ours.
 */
function mergeAndFlatten(raw: Raw, kind: ProfileTree['kind'], functions: FunctionInfo[]): ProfileTree {
  const n = raw.fn.length;
  // Merged nodes, in creation order (a parent before its children).
  const mFn = new Int32Array(n);
  const mParent = new Int32Array(n);
  const mSelf = new Float64Array(n);
  const mKids: (number[] | undefined)[] = [undefined];
  // A child is found by a scan of its parent's few children; a parent with many gets a map.
  const many = new Map<number, Map<number, number>>();
  const mapped = new Uint8Array(n);
  let count = 1;
  mFn[0] = raw.fn[raw.root]!;
  mParent[0] = -1;
  const work: number[] = [raw.root, 0];
  // A cycle in a malformed profile must not loop for ever: each raw node is visited once.
  const seen = new Uint8Array(n);
  while (work.length > 0) {
    const m = work.pop()!;
    const r = work.pop()!;
    if (seen[r] === 1) continue;
    seen[r] = 1;
    mSelf[m]! += raw.self[r]!;
    const ids = raw.children[r];
    if (ids === undefined || ids.length === 0) continue;
    let kids = mKids[m];
    if (kids === undefined) mKids[m] = kids = [];
    for (let j = 0; j < ids.length; j++) {
      const c = raw.index[ids[j]!] ?? -1;
      if (c < 0) continue;
      const f = raw.fn[c]!;
      let mc = -1;
      const map = mapped[m] === 1 ? many.get(m) : undefined;
      if (map !== undefined) mc = map.get(f) ?? -1;
      else for (let k = 0; k < kids.length; k++) if (mFn[kids[k]!] === f) mc = kids[k]!;
      if (mc < 0) {
        mc = count++;
        mFn[mc] = f;
        mParent[mc] = m;
        mKids.push(undefined);
        kids.push(mc);
        if (map !== undefined) map.set(f, mc);
        else if (kids.length > 8) {
          many.set(m, new Map(kids.map((k) => [mFn[k]!, k])));
          mapped[m] = 1;
        }
      }
      work.push(c, mc);
    }
  }
  const mTotal = mSelf.slice(0, count);
  for (let i = count - 1; i > 0; i--) mTotal[mParent[i]!]! += mTotal[i]!;

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
  // Preorder: a stack of [merged node, parent index, depth, x start]; a node's end is its index plus its subtree's size.
  const size = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) size[mParent[i]!]! += size[i]!;
  const stack: number[] = [0, -1, 0, 0];
  let next = 0;
  while (stack.length > 0) {
    const x = stack.pop()!;
    const depth = stack.pop()!;
    const parent = stack.pop()!;
    const m = stack.pop()!;
    const i = next++;
    t.fn[i] = mFn[m]!;
    t.parent[i] = parent;
    t.depth[i] = depth;
    t.end[i] = i + size[m]!;
    t.self[i] = mSelf[m]!;
    t.total[i] = mTotal[m]!;
    t.start[i] = x;
    if (depth > t.maxDepth) t.maxDepth = depth;
    const kids = mKids[m];
    if (kids === undefined) continue;
    if (kids.length > 1) kids.sort((a, b) => mTotal[b]! - mTotal[a]! || mFn[a]! - mFn[b]!);
    let at = x + mTotal[m]! - mSelf[m]!;
    // Pushed right to left, so that the largest comes out first.
    for (let k = kids.length - 1; k >= 0; k--) {
      at -= mTotal[kids[k]!]!;
      stack.push(kids[k]!, i, depth + 1, at);
    }
  }
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
  if (isCpu(profile)) return mergeAndFlatten(cpuRaw(profile, fns), 'cpu', fns.list);
  if (isHeap(profile)) return mergeAndFlatten(heapRaw(profile.head, fns), 'heap', fns.list);
  throw new ProfileFormatError('neither a .cpuprofile (nodes) nor a .heapprofile (head)');
}
