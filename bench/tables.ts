// A sorted page of a big table: what the Tables page asks when a heading is clicked.
// Ours walks the table once, keeping one page in a bounded heap (yielding every 8 ms);
// the anchor is the obvious way, copying the whole table into an array and sorting it.
import { natural } from '../src/runtime/table-sort.js';
import { TableRegistry } from '../src/runtime/tables.js';
import { compareTime, type Result } from './harness.js';

type Row = { id: number; name: string; score: number; city: string };

function table(size: number): Map<string, Row> {
  const m = new Map<string, Row>();
  // A fixed permutation, so both sides sort the same scattered scores.
  for (let i = 0; i < size; i++) m.set(`item${i}`, { id: i, name: `user ${(i * 7919) % size}`, score: (i * 104_729) % size, city: ['Oslo', 'Lima', 'Bern'][i % 3]! });
  return m;
}

const naive = (m: Map<string, Row>, cmp: (a: [string, Row], b: [string, Row]) => number): unknown => [...m].sort(cmp).slice(0, 50);

export async function tables(): Promise<Result[]> {
  const out: Result[] = [];
  for (const size of [100_000, 1_000_000]) {
    const registry = new TableRegistry();
    const m = table(size);
    registry.register('t', m);
    const label = size.toLocaleString('en-US');
    const rounds = size > 100_000 ? 3 : 7;
    out.push(await compareTime({
      name: `tables: page sorted by value.score desc, ${label} entries`,
      target: 1,
      rounds,
      ours: () => registry.page('t', { sort: 'value.score', order: 'desc', pageSize: 50 }),
      theirs: () => naive(m, (a, b) => b[1].score - a[1].score),
      note: 'vs copy + Array.sort',
    }));
    out.push(await compareTime({
      name: `tables: page sorted by key (natural), ${label} entries`,
      target: 1,
      rounds,
      ours: () => registry.page('t', { sort: 'key', pageSize: 50 }),
      theirs: () => naive(m, (a, b) => natural(a[0], b[0])),
      note: 'vs copy + Array.sort, same comparison',
    }));
    out.push(await compareTime({
      name: `tables: page sorted by whole object value, ${label} entries`,
      target: 0.5,
      rounds,
      ours: () => registry.page('t', { sort: 'value', pageSize: 50 }),
      theirs: () => [...m].map((e) => [JSON.stringify(e[1]), e] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 50),
      note: 'canonical JSON vs copy + JSON.stringify once each + sort',
    }));
  }
  return out;
}
