import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { test } from 'node:test';
import { compare } from '../../src/ui/heap/compare.js';
import { type HeapGraph, HeapSnapshotError, SnapshotParser } from '../../src/ui/heap/parse.js';
import { runSliced, runSync } from '../../src/ui/heap/slices.js';
import { analyse, type HeapAnalysis, type HeapSummary, summaryOf } from '../../src/ui/heap/summary.js';
import { readSnapshot, SnapshotTooLargeError } from '../../src/ui/heap/take.js';

// Classes whose instances the snapshots count; their names are unique to this file.
class HeapModelWidget {
  constructor(
    readonly n: number,
    readonly m: number,
  ) {}
}
class HeapModelChild {
  readonly payload: number[];
  constructor(n: number) {
    this.payload = [n, n + 1, n + 2, n + 3];
  }
}
class HeapModelHolder {
  readonly items: HeapModelChild[] = [];
}

/**
 * A heap snapshot of this process, as the chunks the inspector sends. Object
 * ids hold across the snapshots of one session (the server keeps one too):
 * disconnecting resets them.
 */
async function snapshot(session?: Session): Promise<string[]> {
  const s = session ?? new Session();
  if (session === undefined) s.connect();
  const chunks: string[] = [];
  const onChunk = (m: { params: { chunk: string } }): number => chunks.push(m.params.chunk);
  s.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await s.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    s.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    if (session === undefined) s.disconnect();
  }
  return chunks;
}

function parse(chunks: readonly string[]): HeapGraph {
  const p = new SnapshotParser();
  for (const c of chunks) p.feed(c);
  return p.end();
}

/** Ordinals of the `object` nodes named `name`. */
function objectsNamed(g: HeapGraph, name: string): number[] {
  const object = g.nodeTypes.indexOf('object');
  const out: number[] = [];
  for (let n = 0; n < g.nodeCount; n++) if (g.type[n] === object && g.strings.get(g.name[n]!) === name) out.push(n);
  return out;
}

/** The same figures straight from JSON.parse of the whole text, as a reference that shares no code with the parser. */
function reference(text: string, name: string): { count: number; shallow: number; sizes: Set<number> } {
  const s = JSON.parse(text) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const f = s.snapshot.meta.node_fields;
  const [type, nameAt, size] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const object = s.snapshot.meta.node_types[0].indexOf('object');
  let count = 0;
  let shallow = 0;
  const sizes = new Set<number>();
  for (let i = 0; i < s.nodes.length; i += f.length) {
    if (s.nodes[i + type] !== object || s.strings[s.nodes[i + nameAt]!] !== name) continue;
    count++;
    shallow += s.nodes[i + size]!;
    sizes.add(s.nodes[i + size]!);
  }
  return { count, shallow, sizes };
}

test('a real snapshot: a class with 10,000 instances is counted exactly and its shallow size matches the file', async () => {
  const widgets = Array.from({ length: 10_000 }, (_, i) => new HeapModelWidget(i, i * 2));
  const chunks = await snapshot();
  const a = runSync(analyse(parse(chunks)));
  const row = a.rows.find((r) => r.name === 'HeapModelWidget');
  assert.ok(row, 'HeapModelWidget is in the summary');
  const ref = reference(chunks.join(''), 'HeapModelWidget');
  assert.equal(row.count, 10_000);
  assert.equal(ref.count, 10_000);
  assert.equal(row.shallow, ref.shallow);
  // Instances of one shape have one size: the sum is 10,000 of it.
  assert.equal(ref.sizes.size, 1);
  assert.equal(row.shallow, 10_000 * [...ref.sizes][0]!);
  // No object is dominated by another widget, so their class's retained size is the sum of theirs.
  const ordinals = objectsNamed(a.graph, 'HeapModelWidget');
  assert.equal(row.retained, ordinals.reduce((s, n) => s + a.dominance.retained[n]!, 0));
  assert.ok(row.retained >= row.shallow);
  // Every object's bytes are counted once: the root keeps everything alive.
  assert.equal(a.dominance.retained[0], a.totalSize);
  assert.equal(widgets.length, 10_000);
});

test('a real snapshot: a holder retains at least what its children retain, and dominates them through its array', async () => {
  const holder = new HeapModelHolder();
  for (let i = 0; i < 1000; i++) holder.items.push(new HeapModelChild(i));
  const a: HeapAnalysis = runSync(analyse(parse(await snapshot())));
  const [h] = objectsNamed(a.graph, 'HeapModelHolder');
  const children = objectsNamed(a.graph, 'HeapModelChild');
  assert.ok(h !== undefined);
  assert.equal(children.length, 1000);
  const { idom, retained } = a.dominance;
  for (const c of children) assert.equal(idom[idom[c]!], h, 'child → its array → the holder');
  const childrenRetained = children.reduce((s, c) => s + retained[c]!, 0);
  assert.ok(retained[h]! >= a.graph.selfSize[h]! + childrenRetained, `${retained[h]} ≥ ${a.graph.selfSize[h]} + ${childrenRetained}`);
  // Each child keeps its payload array alive: more than its own size.
  for (const c of children) assert.ok(retained[c]! > a.graph.selfSize[c]!);
  const holderRow = a.rows.find((r) => r.name === 'HeapModelHolder')!;
  assert.equal(holderRow.retained, retained[h]);
  assert.equal(holder.items.length, 1000);
});

test('the comparison of two snapshots around 5,000 more instances shows exactly +5,000 new and none deleted', async () => {
  const widgets = Array.from({ length: 2000 }, (_, i) => new HeapModelWidget(i, 0));
  const session = new Session();
  session.connect();
  let before: HeapSummary;
  let after: HeapSummary;
  try {
    before = summaryOf(runSync(analyse(parse(await snapshot(session)))));
    for (let i = 0; i < 5000; i++) widgets.push(new HeapModelWidget(i, 1));
    after = summaryOf(runSync(analyse(parse(await snapshot(session)))));
  } finally {
    session.disconnect();
  }
  const { rows, idsReset, common } = runSync(compare(before.kept, after.kept));
  assert.equal(idsReset, false);
  assert.ok(common >= 2000);
  const row = rows.find((r) => r.name === 'HeapModelWidget');
  assert.ok(row, 'HeapModelWidget grew');
  assert.equal(row.countDelta, 5000);
  assert.equal(row.added, 5000);
  assert.equal(row.deleted, 0);
  const one = after.rows.find((r) => r.name === 'HeapModelWidget')!;
  assert.equal(row.sizeDelta, (one.shallow / one.count) * 5000);
  assert.equal(widgets.length, 7000);
});

test('the parse does not depend on where the text is cut', async () => {
  const keep = Array.from({ length: 3000 }, (_, i) => new HeapModelWidget(i, 3));
  const chunks = await snapshot();
  const text = chunks.join('');
  const whole = runSync(analyse(parse([text])));
  // Pieces of pseudo-random sizes from 1 character to 64 KB.
  let seed = 42;
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const len = 1 + (seed % (seed % 7 === 0 ? 16 : 65536));
    pieces.push(text.slice(at, at + len));
    at += len;
  }
  const cut = runSync(analyse(parse(pieces)));
  assert.deepEqual(cut.rows, whole.rows);
  assert.equal(keep.length, 3000);
});

/** A hand-made snapshot: nodes [type, name, selfSize], edges [from, type, to]. */
function tiny(nodes: Array<[string, string, number]>, edges: Array<[number, string, number]>, extraStrings: string[] = []): string {
  const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
  const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
  const strings = [...new Set([...nodes.map((n) => n[1]), ...extraStrings, 'e'])];
  const flatNodes = nodes.flatMap(([t, name, size], i) => [nodeTypes.indexOf(t), strings.indexOf(name), i * 2 + 1, size, edges.filter((e) => e[0] === i).length, 0]);
  const sorted = [...edges].sort((x, y) => x[0] - y[0]);
  const flatEdges = sorted.flatMap(([, t, to]) => [edgeTypes.indexOf(t), strings.indexOf('e'), to * 6]);
  const meta = { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id'], node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number'], edge_fields: ['type', 'name_or_index', 'to_node'], edge_types: [edgeTypes, 'string_or_number', 'node'] };
  return `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${nodes.length},"edge_count":${edges.length},"trace_function_count":0},\n"nodes":[${flatNodes.join(',')}],\n"edges":[${flatEdges.join(',')}],\n"trace_function_infos":[],\n"trace_tree":[[1,2,[]]],\n"samples":[],\n"locations":[],\n"strings":${JSON.stringify(strings)}}`;
}

test('dominators of a known graph: two paths meet, weak edges and the root\'s shortcuts keep nothing alive', () => {
  // root → A, root → B; A → C, B → C; C → D; A ⇢(weak) E; root ⇢(shortcut) F; A → F.
  const text = tiny(
    [
      ['synthetic', '', 0],
      ['object', 'A', 10],
      ['object', 'B', 20],
      ['object', 'C', 30],
      ['object', 'D', 40],
      ['object', 'E', 50],
      ['object', 'F', 60],
    ],
    [
      [0, 'element', 1],
      [0, 'element', 2],
      [0, 'shortcut', 6],
      [1, 'property', 3],
      [1, 'weak', 5],
      [1, 'property', 6],
      [2, 'property', 3],
      [3, 'property', 4],
    ],
  );
  const a = runSync(analyse(parse([text])));
  assert.deepEqual([...a.dominance.idom], [0, 0, 0, 0, 3, 0, 1]);
  assert.deepEqual([...a.dominance.retained], [210, 70, 20, 70, 40, 50, 60]);
  assert.deepEqual(
    Object.fromEntries(a.rows.map((r) => [r.name, [r.count, r.shallow, r.retained]])),
    { A: [1, 10, 70], B: [1, 20, 20], C: [1, 30, 70], D: [1, 40, 40], E: [1, 50, 50], F: [1, 60, 60] },
  );
});

test('a class\'s retained size counts an object dominated by another of its class once', () => {
  // root → L1 → L2 → L3 (a linked list of one class) and root → X.
  const text = tiny(
    [
      ['synthetic', '', 0],
      ['object', 'Link', 8],
      ['object', 'Link', 8],
      ['object', 'Link', 8],
      ['object', 'X', 5],
    ],
    [
      [0, 'property', 1],
      [0, 'property', 4],
      [1, 'property', 2],
      [2, 'property', 3],
    ],
  );
  const a = runSync(analyse(parse([text])));
  const link = a.rows.find((r) => r.name === 'Link')!;
  assert.deepEqual([link.count, link.shallow, link.retained], [3, 24, 24]);
});

test('strings with escapes are read right wherever the text is cut', () => {
  const names = ['Plain', 'With "quotes"', 'Back\\slash\\', 'Accent é and \u2028', 'Tab\tnew\nline'];
  const text = tiny([['synthetic', '', 0], ...names.map((n): [string, string, number] => ['object', n, 1])], names.map((_, i): [number, string, number] => [0, 'property', i + 1]));
  for (let cut = 1; cut < text.length; cut++) {
    const a = runSync(analyse(parse([text.slice(0, cut), text.slice(cut)])));
    assert.deepEqual(a.rows.map((r) => r.name).sort(), [...names].sort(), `cut at ${cut}`);
  }
});

test('a text that is not a snapshot, or ends early, fails with a stable code', () => {
  assert.throws(() => parse(['{"hello": 1}', ']']), (e: unknown) => e instanceof HeapSnapshotError && e.code === 'HEAP_SNAPSHOT_TRUNCATED');
  assert.throws(() => parse(['{"snapshot":{},"nodes":[1]}']), (e: unknown) => e instanceof HeapSnapshotError && e.code === 'HEAP_SNAPSHOT_FORMAT');
  const text = tiny([['synthetic', '', 0], ['object', 'A', 1]], [[0, 'property', 1]]);
  assert.throws(() => parse([text.slice(0, text.indexOf('"strings"') + 15)]), (e: unknown) => e instanceof HeapSnapshotError && e.code === 'HEAP_SNAPSHOT_TRUNCATED');
  assert.throws(() => parse([text.replace('"node_count":2', '"node_count":3')]), (e: unknown) => e instanceof HeapSnapshotError && e.code === 'HEAP_SNAPSHOT_FORMAT');
});

/** The text as a byte stream in pieces of `size` bytes, as a response body arrives. */
function stream(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) c.close();
      else c.enqueue(bytes.subarray(at, (at += size)));
    },
  });
}

test('readSnapshot() parses a byte stream as the page reads it, in slices, and keeps the file to save', async () => {
  const keep = Array.from({ length: 2500 }, (_, i) => new HeapModelWidget(i, 4));
  const text = (await snapshot()).join('');
  const phases = new Set<string>();
  const { parser, blob } = await readSnapshot(stream(text, 10_000), { sliceMs: 0, onProgress: (p) => phases.add(p.phase) });
  assert.equal(await blob.text(), text);
  const a = await runSliced(analyse(parser.end()), { sliceMs: 0, onProgress: (p) => phases.add(p.phase) });
  assert.equal(a.rows.find((r) => r.name === 'HeapModelWidget')?.count, 2500);
  assert.deepEqual(a.rows, runSync(analyse(parse([text]))).rows);
  // It yielded in every phase.
  for (const p of ['reading', 'ordering', 'retainers', 'dominators (pass 1)', 'retained sizes', 'classes', 'retained by class', 'totals']) assert.ok(phases.has(p), `${p} in ${[...phases].join(', ')}`);
  assert.equal(keep.length, 2500);
});

test('readSnapshot() past maxBytes stops parsing but reads the whole file, to be saved', async () => {
  const text = tiny([['synthetic', '', 0], ['object', 'A', 1]], [[0, 'property', 1]]);
  await assert.rejects(readSnapshot(stream(text, 16), { maxBytes: 100 }), (e: unknown) => e instanceof SnapshotTooLargeError && e.code === 'HEAP_SNAPSHOT_TOO_LARGE' && e.blob.size === text.length);
  const { parser } = await readSnapshot(stream(text, 16), { maxBytes: text.length });
  assert.equal(parser.end().nodeCount, 2);
});

test('a comparison across a reset of the heap profiler\'s ids says so (a sampling heap profile stopped in between)', async () => {
  const widgets = Array.from({ length: 3000 }, (_, i) => new HeapModelWidget(i, 5));
  const session = new Session();
  session.connect();
  try {
    const before = summaryOf(runSync(analyse(parse(await snapshot(session)))));
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {});
    await session.post('HeapProfiler.stopSampling');
    await session.post('HeapProfiler.disable');
    const after = summaryOf(runSync(analyse(parse(await snapshot(session)))));
    const c = runSync(compare(before.kept, after.kept));
    assert.equal(c.idsReset, true, `${c.mismatched} of ${c.common} shared ids changed constructor`);
    // The deltas do not depend on the ids.
    assert.equal(c.rows.find((r) => r.name === 'HeapModelWidget')?.countDelta ?? 0, 0);
  } finally {
    session.disconnect();
  }
  assert.equal(widgets.length, 3000);
});
