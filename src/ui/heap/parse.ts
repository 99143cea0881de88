// A streaming parser of V8's .heapsnapshot format: text goes in chunk by chunk
// as it arrives; nodes and edges go straight into typed arrays (no array of
// millions of JavaScript numbers), and of the strings only the names the
// summary needs are kept. The format: a header `snapshot.meta` naming the
// fields of a node and of an edge and their types, then flat arrays `nodes`,
// `edges`, a few trace arrays, and `strings`.

/** A problem with a snapshot's text; `code` is stable. */
export class HeapSnapshotError extends Error {
  readonly code: 'HEAP_SNAPSHOT_FORMAT' | 'HEAP_SNAPSHOT_TRUNCATED';
  constructor(code: HeapSnapshotError['code'], message: string) {
    super(message);
    this.name = 'HeapSnapshotError';
    this.code = code;
  }
}

/**
 * The graph of a snapshot, by node ordinal (0 is the synthetic root).
 * Edges of node `n` are `firstEdge[n]` to `firstEdge[n + 1]`, their targets
 * ordinals too. About 21 bytes a node and 5 an edge.
 */
export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  /** Names of node types (`object`, `closure`, `string`, `hidden`, …), indexed by `type`. */
  nodeTypes: readonly string[];
  /** Names of edge types (`property`, `element`, `weak`, `shortcut`, …), indexed by `edgeType`. */
  edgeTypes: readonly string[];
  type: Uint8Array;
  /** Index into `strings`. */
  name: Uint32Array;
  /** The object's id, stable across snapshots of one process. */
  id: Uint32Array;
  selfSize: Float64Array;
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  edgeTo: Uint32Array;
  /** The strings kept: the names of `object` and `native` nodes (the constructors); others are absent. */
  strings: Map<number, string>;
}

type Phase = 'head' | 'seek' | 'nodes' | 'edges' | 'skip' | 'strings' | 'done';

const HEAD_LIMIT = 1 << 20;
const NODES_KEY = /"nodes"\s*:\s*\[/;
const NEXT_KEY = /"(\w+)"\s*:\s*\[/;

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

function field(fields: string[], name: string): number {
  const i = fields.indexOf(name);
  if (i < 0) throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', `Not a heap snapshot: no "${name}" in its fields (${fields.join(', ')})`);
  return i;
}

/**
 * Parses a .heapsnapshot from its text, given in pieces of any size cut
 * anywhere. `feed()` each piece, then `end()` for the graph.
 *
 * @example
 * const p = new SnapshotParser();
 * for (const chunk of chunks) p.feed(chunk);
 * const graph = p.end();
 */
export class SnapshotParser {
  #phase: Phase = 'head';
  #pending = '';
  /** Characters consumed so far. */
  chars = 0;
  #g: HeapGraph | undefined;
  #nodeFields = 0;
  #edgeFields = 0;
  #f = { type: 0, name: 0, id: 0, size: 0, edges: 0, edgeType: 0, edgeTo: 0 };
  // Number scanning: the value so far, whether it has digits, how many values were read.
  #num = 0;
  #digits = false;
  #count = 0;
  #depth = 0;
  // String scanning.
  #inString = false;
  #escapeNext = false;
  #escaped = false;
  #piece = '';
  #stringIndex = 0;
  /** The strings to keep: names of `object` and `native` nodes. */
  readonly #needed = new Set<number>();
  #object = -1;
  #native = -1;

  /** Parses the next piece of the text. */
  feed(text: string): void {
    this.chars += text.length;
    let at = 0;
    while (at < text.length && this.#phase !== 'done') {
      switch (this.#phase) {
        case 'head':
        case 'seek':
          at = this.#seek(text, at);
          break;
        case 'nodes':
        case 'edges':
          at = this.#numbers(text, at);
          break;
        case 'skip':
          at = this.#skip(text, at);
          break;
        case 'strings':
          at = this.#strings(text, at);
          break;
      }
    }
  }

  /** The graph; throws when the text stopped before the strings ended. */
  end(): HeapGraph {
    if (this.#g === undefined || (this.#phase !== 'done' && !(this.#phase === 'seek' && this.#stringIndex > 0))) {
      throw new HeapSnapshotError('HEAP_SNAPSHOT_TRUNCATED', `The snapshot ended early (while reading ${this.#phase}, after ${this.chars} characters)`);
    }
    return this.#g;
  }

  /** Finds the header's end (`"nodes":[`) or the next array's key; returns where to go on. */
  #seek(text: string, at: number): number {
    this.#pending += at === 0 ? text : text.slice(at);
    const m = (this.#phase === 'head' ? NODES_KEY : NEXT_KEY).exec(this.#pending);
    if (m === null) {
      if (this.#phase === 'head' && this.#pending.length > HEAD_LIMIT) throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', 'Not a heap snapshot: no "nodes" array in its first MB');
      if (this.#phase === 'seek' && /^\s*\}\s*$/.test(this.#pending)) this.#phase = 'done';
      // Keep only what could still start a key.
      if (this.#phase === 'seek' && this.#pending.length > 256) this.#pending = this.#pending.slice(-64);
      return text.length;
    }
    const after = m.index + m[0].length;
    const rest = this.#pending.length - after;
    if (this.#phase === 'head') this.#header(this.#pending.slice(0, m.index));
    else this.#open(m[1]!);
    this.#pending = '';
    return text.length - rest;
  }

  #header(head: string): void {
    let snapshot: { meta: Meta; node_count: number; edge_count: number };
    try {
      snapshot = (JSON.parse(`${head.replace(/,\s*$/, '')}}`) as { snapshot: typeof snapshot }).snapshot;
    } catch (e) {
      throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', `Not a heap snapshot: its header is not JSON (${String(e)})`);
    }
    const meta = snapshot?.meta;
    if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields) || !Number.isInteger(snapshot.node_count) || !Number.isInteger(snapshot.edge_count)) {
      throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', 'Not a heap snapshot: its header has no meta, node_count or edge_count');
    }
    const nf = meta.node_fields;
    const ef = meta.edge_fields;
    this.#f = { type: field(nf, 'type'), name: field(nf, 'name'), id: field(nf, 'id'), size: field(nf, 'self_size'), edges: field(nf, 'edge_count'), edgeType: field(ef, 'type'), edgeTo: field(ef, 'to_node') };
    this.#nodeFields = nf.length;
    this.#edgeFields = ef.length;
    const n = snapshot.node_count;
    const e = snapshot.edge_count;
    this.#object = meta.node_types[0].indexOf('object');
    this.#native = meta.node_types[0].indexOf('native');
    this.#g = {
      nodeCount: n,
      edgeCount: e,
      nodeTypes: meta.node_types[0],
      edgeTypes: meta.edge_types[0],
      type: new Uint8Array(n),
      name: new Uint32Array(n),
      id: new Uint32Array(n),
      selfSize: new Float64Array(n),
      firstEdge: new Uint32Array(n + 1),
      edgeType: new Uint8Array(e),
      edgeTo: new Uint32Array(e),
      strings: new Map(),
    };
    this.#phase = 'nodes';
    this.#count = 0;
  }

  /** An array named `key` starts. */
  #open(key: string): void {
    this.#count = 0;
    this.#num = 0;
    this.#digits = false;
    if (key === 'edges') this.#phase = 'edges';
    else if (key === 'strings') this.#phase = 'strings';
    else {
      this.#phase = 'skip';
      this.#depth = 1;
    }
  }

  /** Reads the integers of `nodes` or `edges` up to their `]`. */
  #numbers(text: string, at: number): number {
    let num = this.#num;
    let digits = this.#digits;
    let count = this.#count;
    const nodes = this.#phase === 'nodes';
    const width = nodes ? this.#nodeFields : this.#edgeFields;
    const g = this.#g!;
    const f = this.#f;
    const expected = (nodes ? g.nodeCount : g.edgeCount) * width;
    let k = count % width;
    let row = (count - k) / width;
    let i = at;
    let closed = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        num = num * 10 + (c - 48);
        digits = true;
        continue;
      }
      if (c !== 44 && c !== 93) continue; // whitespace
      if (digits) {
        if (count >= expected) throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', `More ${this.#phase} than the header's count`);
        if (nodes) {
          if (k === f.type) g.type[row] = num;
          else if (k === f.name) g.name[row] = num;
          else if (k === f.id) g.id[row] = num;
          else if (k === f.size) g.selfSize[row] = num;
          else if (k === f.edges) g.firstEdge[row + 1] = g.firstEdge[row]! + num;
        } else if (k === f.edgeType) g.edgeType[row] = num;
        else if (k === f.edgeTo) g.edgeTo[row] = num / this.#nodeFields;
        count++;
        if (++k === width) {
          // A constructor's name: a string to keep.
          if (nodes && (g.type[row] === this.#object || g.type[row] === this.#native)) this.#needed.add(g.name[row]!);
          k = 0;
          row++;
        }
        num = 0;
        digits = false;
      }
      if (c === 93) {
        closed = true;
        i++;
        break;
      }
    }
    this.#num = num;
    this.#digits = digits;
    this.#count = count;
    if (closed) {
      if (count !== expected) throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', `${count / width} ${this.#phase} where the header says ${expected / width}`);
      if (nodes && g.firstEdge[g.nodeCount] !== g.edgeCount) throw new HeapSnapshotError('HEAP_SNAPSHOT_FORMAT', `The nodes' edge counts add up to ${g.firstEdge[g.nodeCount]}, the header says ${g.edgeCount}`);
      this.#phase = 'seek';
    }
    return i;
  }

  /** Skips an array this parser does not use (the trace arrays), nested or not. */
  #skip(text: string, at: number): number {
    let depth = this.#depth;
    let i = at;
    for (; i < text.length && depth > 0; i++) {
      const c = text.charCodeAt(i);
      if (c === 91) depth++;
      else if (c === 93) depth--;
    }
    this.#depth = depth;
    if (depth === 0) this.#phase = 'seek';
    return i;
  }

  /** Reads the strings up to their `]`, keeping the needed ones. */
  #strings(text: string, at: number): number {
    const len = text.length;
    let i = at;
    // The next quote and backslash at or after the scan (-2: not looked for yet, -1: none), found once per piece.
    let q = -2;
    let s = -2;
    while (i < len) {
      if (!this.#inString) {
        const c = text.charCodeAt(i++);
        if (c === 34) {
          this.#inString = true;
          this.#escaped = false;
          this.#piece = '';
        } else if (c === 93) {
          this.#phase = 'seek';
          return i;
        }
        continue;
      }
      const start = i;
      let j = i;
      if (this.#escapeNext) {
        this.#escapeNext = false;
        j++;
      }
      let end = -1;
      for (;;) {
        if (q !== -1 && q < j) q = text.indexOf('"', j);
        if (s !== -1 && s < j) s = text.indexOf('\\', j);
        if (s !== -1 && (q === -1 || s < q)) {
          this.#escaped = true;
          // A backslash that ends the piece escapes the next piece's first character.
          if (s + 1 >= len) {
            this.#escapeNext = true;
            break;
          }
          j = s + 2;
          continue;
        }
        end = q;
        break;
      }
      if (end === -1) {
        if (this.#keep()) this.#piece += text.slice(start);
        return len;
      }
      if (this.#keep()) {
        const raw = this.#piece + text.slice(start, end);
        this.#g!.strings.set(this.#stringIndex, this.#escaped ? (JSON.parse(`"${raw}"`) as string) : raw);
      }
      this.#stringIndex++;
      this.#inString = false;
      this.#piece = '';
      i = end + 1;
    }
    return i;
  }

  #keep(): boolean {
    return this.#needed.has(this.#stringIndex);
  }
}
