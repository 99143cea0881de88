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

/**
 * A sorted copy of the ids, for binary search: a radix sort by 16 bits twice,
 * in steps that yield (a typed array's own sort of millions would block the tab).
 */
function* sortedIds(k: KeptNodes): Work<Uint32Array> {
  const n = k.id.length;
  let from = k.id.slice();
  let to = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const start = new Uint32Array(65537);
    for (let i = 0; i < n; i++) start[((from[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) start[b + 1]! += start[b]!;
    for (let i = 0; i < n; i++) {
      if (i % STEP === 0) yield { phase: 'sorting ids', done: i, total: n };
      const v = from[i]!;
      to[start[(v >>> shift) & 0xffff]!++] = v;
    }
    [from, to] = [to, from];
  }
  return from;
}

function has(sorted: Uint32Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Growth by name: of each snapshot's objects, those whose id the other lacks, and the totals. */
function* tally(k: KeptNodes, other: Uint32Array, into: Map<string, GrowthRow>, later: boolean): Work<void> {
  const rowOf = k.classes.map((name) => {
    let r = into.get(name);
    if (r === undefined) {
      r = { name, countDelta: 0, sizeDelta: 0, added: 0, addedSize: 0, deleted: 0, deletedSize: 0 };
      into.set(name, r);
    }
    return r;
  });
  const sign = later ? 1 : -1;
  for (let v = 0; v < k.id.length; v++) {
    if (v % STEP === 0) yield { phase: later ? 'new objects' : 'deleted objects', done: v, total: k.id.length };
    const c = k.classOf[v]!;
    if (c === NO_CLASS) continue;
    const r = rowOf[c]!;
    const size = k.selfSize[v]!;
    r.countDelta += sign;
    r.sizeDelta += sign * size;
    if (has(other, k.id[v]!)) continue;
    if (later) {
      r.added++;
      r.addedSize += size;
    } else {
      r.deleted++;
      r.deletedSize += size;
    }
  }
}

/**
 * Compares two snapshots of one process by constructor: the rows that changed,
 * the most grown first (by size, then by count), so that a leak's constructor
 * heads the list.
 */
export function* compare(earlier: KeptNodes, later: KeptNodes): Work<GrowthRow[]> {
  const a = yield* sortedIds(earlier);
  const b = yield* sortedIds(later);
  const rows = new Map<string, GrowthRow>();
  yield* tally(earlier, b, rows, false);
  yield* tally(later, a, rows, true);
  return [...rows.values()].filter((r) => r.countDelta !== 0 || r.sizeDelta !== 0 || r.added !== 0 || r.deleted !== 0).sort((x, y) => y.sizeDelta - x.sizeDelta || y.countDelta - x.countDelta || x.name.localeCompare(y.name));
}
