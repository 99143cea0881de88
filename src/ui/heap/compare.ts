// What grew between two snapshots of one process, by constructor. V8 gives an
// object the same id in every snapshot of the process, so an id only in the
// later snapshot is a new object and one only in the earlier is a deleted one.
import type { Work } from './slices.js';
import type { KeptNodes } from './summary.js';
import { NO_CLASS } from './summary.js';

/** One constructor's change from the earlier snapshot to the later. */
export interface GrowthRow {
  name: string;
  /** Objects in the later snapshot minus in the earlier. */
  countDelta: number;
  /** Their shallow size, later minus earlier. */
  sizeDelta: number;
  /** Objects only in the later snapshot, and their size. */
  added: number;
  addedSize: number;
  /** Objects only in the earlier snapshot, and their size. */
  deleted: number;
  deletedSize: number;
}

const STEP = 1 << 12;

/** The comparison: rows by constructor, and how far the two snapshots' ids agree. */
export interface Comparison {
  rows: GrowthRow[];
  /** Objects whose id is in both snapshots. */
  common: number;
  /** Of those, how many have a different constructor in the two: many means the ids were reset between them. */
  mismatched: number;
  /**
   * The ids do not identify the same objects in both snapshots (more than 10 %
   * of the common ids changed constructor): the heap profiler was reset in
   * between (a sampling heap profile stopped, the process restarted), so new
   * and deleted objects mean nothing; the deltas still hold.
   */
  idsReset: boolean;
}

/**
 * The ordinals of the nodes sorted by id: a radix sort by 16 bits twice, in
 * steps that yield (a comparison sort of millions would block the tab).
 */
function* byId(k: KeptNodes): Work<Uint32Array> {
  const n = k.id.length;
  let from = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const start = new Uint32Array(65537);
    for (let i = 0; i < n; i++) {
      if ((i & (STEP - 1)) === 0) yield { phase: 'sorting ids', done: i, total: n };
      start[((k.id[i]! >>> shift) & 0xffff) + 1]!++;
    }
    for (let b = 0; b < 65536; b++) start[b + 1]! += start[b]!;
    for (let i = 0; i < n; i++) {
      if (i % STEP === 0) yield { phase: 'sorting ids', done: i, total: n };
      const v = from[i]!;
      to[start[(k.id[v]! >>> shift) & 0xffff]!++] = v;
    }
    [from, to] = [to, from];
  }
  return from;
}

function rowsFor(k: KeptNodes, into: Map<string, GrowthRow>): GrowthRow[] {
  return k.classes.map((name) => {
    let r = into.get(name);
    if (r === undefined) {
      r = { name, countDelta: 0, sizeDelta: 0, added: 0, addedSize: 0, deleted: 0, deletedSize: 0 };
      into.set(name, r);
    }
    return r;
  });
}

/**
 * Compares two snapshots of one process by constructor: the rows that changed,
 * the most grown first (by size, then by count), so that a leak's constructor
 * heads the list; new and deleted objects by id, found by walking both
 * snapshots in id order.
 */
export function* compare(earlier: KeptNodes, later: KeptNodes): Work<Comparison> {
  const all = new Map<string, GrowthRow>();
  const rowA = rowsFor(earlier, all);
  const rowB = rowsFor(later, all);
  const a = yield* byId(earlier);
  const b = yield* byId(later);
  let i = 0;
  let j = 0;
  let common = 0;
  let mismatched = 0;
  const total = a.length + b.length;
  for (let steps = 0; i < a.length || j < b.length; steps++) {
    if (steps % STEP === 0) yield { phase: 'new and deleted objects', done: i + j, total };
    const va = i < a.length ? a[i]! : -1;
    const vb = j < b.length ? b[j]! : -1;
    const ida = va < 0 ? Number.POSITIVE_INFINITY : earlier.id[va]!;
    const idb = vb < 0 ? Number.POSITIVE_INFINITY : later.id[vb]!;
    const ca = va < 0 ? NO_CLASS : earlier.classOf[va]!;
    const cb = vb < 0 ? NO_CLASS : later.classOf[vb]!;
    if (ida === idb) {
      i++;
      j++;
      if (ca === NO_CLASS || cb === NO_CLASS) continue;
      const ra = rowA[ca]!;
      const rb = rowB[cb]!;
      common++;
      if (ra !== rb) mismatched++;
      ra.countDelta--;
      ra.sizeDelta -= earlier.selfSize[va]!;
      rb.countDelta++;
      rb.sizeDelta += later.selfSize[vb]!;
    } else if (ida < idb) {
      i++;
      if (ca === NO_CLASS) continue;
      const r = rowA[ca]!;
      const size = earlier.selfSize[va]!;
      r.countDelta--;
      r.sizeDelta -= size;
      r.deleted++;
      r.deletedSize += size;
    } else {
      j++;
      if (cb === NO_CLASS) continue;
      const r = rowB[cb]!;
      const size = later.selfSize[vb]!;
      r.countDelta++;
      r.sizeDelta += size;
      r.added++;
      r.addedSize += size;
    }
  }
  const rows = [...all.values()].filter((r) => r.countDelta !== 0 || r.sizeDelta !== 0 || r.added !== 0 || r.deleted !== 0).sort((x, y) => y.sizeDelta - x.sizeDelta || y.countDelta - x.countDelta || x.name.localeCompare(y.name));
  return { rows, common, mismatched, idsReset: common > 0 && mismatched / common > 0.1 };
}
