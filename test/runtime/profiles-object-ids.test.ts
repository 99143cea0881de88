import assert from 'node:assert/strict';
import { Session } from 'node:inspector';
import { test } from 'node:test';
import { Diagnostics } from '../../src/runtime/diagnostics.js';
import { createRedactor } from '../../src/runtime/redact.js';

function post(s: Session, method: string, params: object = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => s.post(method, params, (err, r) => (err ? reject(err) : resolve(r as Record<string, unknown>))));
}

class KeptAcrossProfiles {
  readonly born = Date.now();
}

/** V8's heap-snapshot id of a global, read through a session of its own. */
async function heapId(s: Session): Promise<string> {
  const { result } = (await post(s, 'Runtime.evaluate', { expression: 'globalThis.keptAcrossProfiles' })) as { result: { objectId: string } };
  const { heapSnapshotObjectId } = (await post(s, 'HeapProfiler.getHeapObjectId', { objectId: result.objectId })) as { heapSnapshotObjectId: string };
  return heapSnapshotObjectId;
}

test('a sampling heap profile leaves V8\'s object ids alone, so heap snapshots taken around it compare object by object', async () => {
  (globalThis as { keptAcrossProfiles?: object }).keptAcrossProfiles = new KeptAcrossProfiles();
  const d = new Diagnostics(createRedactor());
  const s = new Session();
  s.connect();
  try {
    await post(s, 'HeapProfiler.enable');
    // A snapshot gives every object its id (the chunks are not needed here).
    await post(s, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const before = await heapId(s);
    assert.notEqual(before, '0', 'the snapshot gave the object an id');
    await d.startHeapProfile();
    await d.stopHeapProfile();
    const after = await heapId(s);
    assert.equal(after, before, 'the object kept its id: HeapProfiler.disable (which clears the ids) was not called');
  } finally {
    s.disconnect();
    d.close();
    delete (globalThis as { keptAcrossProfiles?: object }).keptAcrossProfiles;
  }
});
