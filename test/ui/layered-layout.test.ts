import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Layout, layeredLayout } from '../../src/ui/components/layered-layout.js';
import { generateTree, treeGraph } from '../fixtures/dependency-tree.js';

const box = (id: string) => ({ id, width: 40 + id.length * 7, height: 24 });

let fixture: { layout: Layout; edges: [string, string][] } | undefined;
/** The generated 500-package tree, laid out once for the tests that read it. */
function fixtureLayout(): { layout: Layout; edges: [string, string][] } {
  const g = treeGraph(generateTree(500));
  fixture ??= { layout: layeredLayout(g.ids.map(box), g.edges, g.root), edges: g.edges };
  return fixture;
}

test('layers follow the longest path from the root, which sits alone in the first column', () => {
  const l = layeredLayout(['app', 'a', 'b', 'c'].map(box), [['app', 'a'], ['app', 'b'], ['a', 'b'], ['b', 'c']], 'app');
  assert.deepEqual(l.layers, [['app'], ['a'], ['b'], ['c']]);
  assert.deepEqual([...l.nodes.values()].map((n) => n.layer), [0, 1, 2, 3]);
});

test('a cycle is broken by marking one edge as a back edge, drawn towards the earlier layer', () => {
  const l = layeredLayout(['app', 'a', 'b'].map(box), [['app', 'a'], ['a', 'b'], ['b', 'a']], 'app');
  const back = l.edges.filter((e) => e.back);
  assert.deepEqual(back.map((e) => [e.from, e.to]), [['b', 'a']]);
  const [first, last] = [back[0]!.points[0]!, back[0]!.points.at(-1)!];
  assert.ok(first.x > last.x, 'the back edge runs right to left, ending at its target');
});

test('in the 500-package fixture no two boxes overlap', () => {
  const boxes = [...fixtureLayout().layout.nodes.values()];
  assert.equal(boxes.length, 501);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${a.id} and ${b.id} overlap`);
    }
  }
});

test('every edge goes to a later layer, or is marked as a back edge that goes to an earlier one', () => {
  const { layout, edges } = fixtureLayout();
  assert.equal(layout.edges.length, new Set(edges.map((e) => e.join(' '))).size);
  let backs = 0;
  for (const e of layout.edges) {
    const from = layout.nodes.get(e.from)!.layer;
    const to = layout.nodes.get(e.to)!.layer;
    if (e.back) backs++;
    assert.ok(e.back ? to < from : to > from, `${e.from} (layer ${from}) -> ${e.to} (layer ${to}), back: ${e.back}`);
  }
  assert.equal(backs, 1, 'the fixture has one cycle');
});

test('no edge passes through a box: straight runs stay in their own row, curves in the gaps between columns', () => {
  const { layout } = fixtureLayout();
  const boxes = [...layout.nodes.values()];
  for (const e of layout.edges) {
    for (let i = 1; i < e.points.length; i++) {
      const p = e.points[i - 1]!;
      const q = e.points[i]!;
      const [x1, x2] = [Math.min(p.x, q.x), Math.max(p.x, q.x)];
      for (const b of boxes) {
        const acrossX = b.x < x2 && x1 < b.x + b.width;
        if (!acrossX) continue;
        if (p.y !== q.y) assert.fail(`a curve of ${e.from} -> ${e.to} crosses the column of ${b.id}`);
        const inRow = b.y < p.y && p.y < b.y + b.height;
        assert.ok(!inRow || b.id === e.from || b.id === e.to, `${e.from} -> ${e.to} runs through ${b.id}`);
      }
    }
  }
});

test('barycenter sweeps cut the crossings of the input order by more than half', () => {
  const { crossings } = fixtureLayout().layout;
  assert.ok(crossings.final < crossings.initial / 2, `${crossings.initial} -> ${crossings.final}`);
});

test('every edge ends at its target box side', () => {
  const { layout } = fixtureLayout();
  for (const e of layout.edges) {
    const t = layout.nodes.get(e.to)!;
    const end = e.points.at(-1)!;
    assert.equal(end.x, e.back ? t.x + t.width : t.x, `${e.from} -> ${e.to}`);
    assert.ok(end.y > t.y && end.y < t.y + t.height);
  }
});
