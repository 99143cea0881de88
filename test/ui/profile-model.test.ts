import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { test } from 'node:test';
import { type CpuProfile, type HeapProfile, ProfileFormatError, buildTree } from '../../src/ui/profile/model.js';
import { functionTable, matchFunctions, matchedTotal, nextSibling, previousSibling } from '../../src/ui/profile/queries.js';

const frame = (functionName: string, line = 1) => ({ functionName, url: 'file:///app.js', lineNumber: line - 1, columnNumber: 0, scriptId: '1' });

/** Every node's total is its self plus its children's totals, and children lie side by side inside their parent. */
function assertConsistent(t: ReturnType<typeof buildTree>): void {
  for (let i = 0; i < t.count; i++) {
    let sum = t.self[i]!;
    let x = t.start[i]!;
    for (let c = i + 1; c < t.end[i]!; c = t.end[c]!) {
      assert.equal(t.parent[c], i);
      assert.equal(t.depth[c], t.depth[i]! + 1);
      assert.ok(Math.abs(t.start[c]! - x) < 1e-6, `child ${c} starts where its left sibling ends`);
      x += t.total[c]!;
      sum += t.total[c]!;
    }
    assert.ok(Math.abs(sum - t.total[i]!) < 1e-6, `node ${i}: total ${t.total[i]} = self + children ${sum}`);
  }
}

test('a hand-written .cpuprofile: each sample lasts until the next, same calls merge, recursion counts once in the table', () => {
  // root → a → b → a (recursion), and root → a (a second node for the same call, merged with the first).
  const p: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', 0), children: [2, 5] },
      { id: 2, callFrame: frame('a', 10), children: [3] },
      { id: 3, callFrame: frame('b', 20), children: [4] },
      { id: 4, callFrame: frame('a', 10) },
      { id: 5, callFrame: frame('a', 10) },
    ],
    startTime: 1000,
    endTime: 1100,
    // Samples at 1010, 1030, 1060, 1070; the last lasts until endTime.
    samples: [2, 4, 3, 5],
    timeDeltas: [10, 20, 30, 10],
  };
  const t = buildTree(p);
  assertConsistent(t);
  assert.equal(t.kind, 'cpu');
  assert.equal(t.count, 4, 'root, a (merged), b, a');
  assert.equal(t.total[0], 90);
  const name = (i: number) => t.functions[t.fn[i]!]!.name;
  assert.deepEqual([...Array(t.count).keys()].map((i) => `${'  '.repeat(t.depth[i]!)}${name(i)} ${t.self[i]}/${t.total[i]}`), ['(root) 0/90', '  a 50/90', '    b 10/40', '      a 30/30']);
  const rows = new Map(functionTable(t).map((r) => [r.name, r]));
  assert.deepEqual({ self: rows.get('a')!.self, total: rows.get('a')!.total }, { self: 80, total: 90 }, 'a: total counted once per stack, not 90 + 30');
  assert.deepEqual({ self: rows.get('b')!.self, total: rows.get('b')!.total }, { self: 10, total: 40 });
  assert.equal(rows.get('a')!.line, 10, 'lines are 1-based');
  const m = matchFunctions(t, 'A');
  assert.equal(matchedTotal(t, m), 90, 'a match inside a match is not added again');
  assert.equal(matchedTotal(t, matchFunctions(t, 'b')), 40);
  assert.equal(matchedTotal(t, matchFunctions(t, '')), 0);
});

test('a .cpuprofile with sparse ids and its root last, or without samples: the same tree', () => {
  const base: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', 0), children: [2, 3] },
      { id: 2, callFrame: frame('a', 10), hitCount: 3 },
      { id: 3, callFrame: frame('b', 20), hitCount: 1 },
    ],
    startTime: 0,
    endTime: 40,
    samples: [2, 2, 3, 2],
    timeDeltas: [0, 10, 10, 10],
  };
  const shape = (t: ReturnType<typeof buildTree>) => [...Array(t.count).keys()].map((i) => `${t.depth[i]} ${t.functions[t.fn[i]!]!.name} ${t.self[i]}/${t.total[i]}`);
  const expected = ['0 (root) 0/40', '1 a 30/30', '1 b 10/10'];
  assert.deepEqual(shape(buildTree(base)), expected);
  // Ids far apart (a map, not a table) and the root listed last.
  const big = (id: number) => id * 1_000_003;
  const sparse: CpuProfile = { ...base, nodes: [...base.nodes].reverse().map((n) => ({ ...n, id: big(n.id), children: n.children?.map(big) })), samples: base.samples!.map(big) };
  assert.deepEqual(shape(buildTree(sparse)), expected);
  // No samples: the length spread over the hit counts.
  const { samples: _s, timeDeltas: _d, ...noSamples } = base;
  assert.deepEqual(shape(buildTree(noSamples)), expected);
});

test('a hand-written .heapprofile: bytes by allocation site, siblings largest first', () => {
  const p: HeapProfile = {
    head: {
      callFrame: frame('(root)', 0),
      selfSize: 0,
      children: [
        { callFrame: frame('small', 5), selfSize: 100 },
        { callFrame: frame('big', 7), selfSize: 1000, children: [{ callFrame: frame('inner', 9), selfSize: 24 }] },
      ],
    },
  };
  const t = buildTree(p);
  assertConsistent(t);
  assert.equal(t.unit, 'bytes');
  assert.equal(t.total[0], 1124);
  assert.equal(t.functions[t.fn[1]!]!.name, 'big', 'the largest child comes first');
  assert.equal(nextSibling(t, 1), 3);
  assert.equal(previousSibling(t, 3), 1);
  assert.equal(nextSibling(t, 3), -1);
  assert.equal(previousSibling(t, 1), -1);
});

test('anything else is a PROFILE_FORMAT error', () => {
  assert.throws(() => buildTree({ hello: 1 }), (e: unknown) => e instanceof ProfileFormatError && e.code === 'PROFILE_FORMAT');
  assert.throws(() => buildTree(null), ProfileFormatError);
});

function flameModelHotLoop(ms: number): number {
  // The clock read once per 100,000 steps, so that the loop's own arithmetic holds the samples.
  const until = Date.now() + ms;
  let x = 0;
  do for (let i = 0; i < 100_000; i++) x = (x * 1.000001 + i) % 1e9;
  while (Date.now() < until);
  return x;
}

function flameModelRecurse(depth: number, ms: number): number {
  return depth === 0 ? flameModelHotLoop(ms) : flameModelRecurse(depth - 1, ms) + 1;
}

test('a real CPU profile taken in-process: the hot function holds the self time, recursion does not double its total', async () => {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    flameModelHotLoop(300);
    for (let i = 0; i < 20; i++) flameModelRecurse(8, 10);
    const { profile } = await session.post('Profiler.stop');
    const t = buildTree(profile);
    assertConsistent(t);
    assert.ok(t.total[0]! <= profile.endTime - profile.startTime + 1, 'no more time than the profile lasted');
    const rows = functionTable(t);
    const hot = rows.find((r) => r.name === 'flameModelHotLoop');
    assert.ok(hot !== undefined, rows.map((r) => r.name).join(', '));
    assert.match(hot.url, /profile-model\.test\.ts$/);
    const bySelf = [...rows].sort((a, b) => b.self - a.self);
    assert.equal(bySelf[0]!.name, 'flameModelHotLoop', bySelf.slice(0, 5).map((r) => `${r.name} ${r.self}`).join(', '));
    assert.ok(hot.self > t.total[0]! / 2, `${hot.self} of ${t.total[0]}`);
    // The recursive function: the table's total is the sum over its outermost calls only.
    const rec = rows.find((r) => r.name === 'flameModelRecurse')!;
    let outermost = 0;
    let everyNode = 0;
    for (let i = 0; i < t.count; i++) {
      if (t.fn[i] !== rec.fn) continue;
      everyNode += t.total[i]!;
      let a = t.parent[i]!;
      while (a >= 0 && t.fn[a] !== rec.fn) a = t.parent[a]!;
      if (a < 0) outermost += t.total[i]!;
    }
    assert.ok(Math.abs(rec.total - outermost) < 1e-6, `${rec.total} = ${outermost}`);
    assert.ok(everyNode > rec.total * 2, 'summing every recursive node would count it many times over');
    assert.ok(rec.total <= t.total[0]!);
  } finally {
    session.disconnect();
  }
});

const kept: unknown[] = [];
function flameModelAllocate(): void {
  for (let i = 0; i < 20_000; i++) kept.push({ i, s: `entry ${i}`, a: [i, i + 1, i + 2] });
}

test('a real sampling heap profile taken in-process: the allocating function holds the bytes, the root the sum of all', async () => {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 1024 });
    flameModelAllocate();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const t = buildTree(profile);
    assertConsistent(t);
    let sum = 0;
    const walk = (n: HeapProfile['head']): void => {
      sum += n.selfSize;
      for (const c of n.children ?? []) walk(c);
    };
    walk(profile.head as HeapProfile['head']);
    assert.equal(t.total[0], sum);
    const rows = functionTable(t);
    const alloc = rows.find((r) => r.name === 'flameModelAllocate');
    assert.ok(alloc !== undefined, rows.map((r) => r.name).join(', '));
    assert.equal([...rows].sort((a, b) => b.self - a.self)[0]!.name, 'flameModelAllocate');
    assert.ok(alloc.self > 500_000, `${alloc.self} bytes sampled of about 2 MB kept`);
  } finally {
    session.disconnect();
    kept.length = 0;
  }
});
