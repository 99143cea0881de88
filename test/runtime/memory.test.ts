import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryInfo, memoryWarnings } from '../../src/runtime/memory.js';

test('the Memory page lists every V8 heap space and the heap, code and process figures', () => {
  const m = memoryInfo();
  const names = m.spaces.map((s) => s.name);
  for (const n of ['new_space', 'old_space', 'code_space', 'large_object_space']) assert.ok(names.includes(n), n);
  for (const s of m.spaces) assert.ok(s.used <= s.size || s.size === 0, s.name);
  assert.ok(m.heap.usedHeapSize > 0 && m.heap.usedHeapSize <= m.heap.totalHeapSize);
  assert.ok(m.heap.mallocedMemory > 0 && m.heap.peakMallocedMemory >= m.heap.mallocedMemory);
  assert.ok(m.heap.numberOfNativeContexts >= 1);
  assert.ok(m.code.bytecodeAndMetadataSize > 0);
  assert.ok(m.process.rss > 0);
  assert.doesNotThrow(() => JSON.stringify(m));
});

test('detached contexts and a heap near its limit are reported in words', () => {
  assert.deepEqual(memoryWarnings({ number_of_detached_contexts: 0, used_heap_size: 10, heap_size_limit: 100 }), []);
  const w = memoryWarnings({ number_of_detached_contexts: 2, used_heap_size: 90, heap_size_limit: 100 });
  assert.equal(w.length, 2);
  assert.match(w[0]!, /^2 detached context\(s\): .*leak/);
  assert.match(w[1]!, /heap used is 90% of the heap size limit/);
  // The live page uses the same rule on the live figures.
  const m = memoryInfo();
  assert.deepEqual(m.warnings, memoryWarnings({ number_of_detached_contexts: m.heap.numberOfDetachedContexts, used_heap_size: m.heap.usedHeapSize, heap_size_limit: m.heap.heapSizeLimit }));
});
