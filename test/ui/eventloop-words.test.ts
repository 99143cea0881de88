import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockEvent, NoStackReason, StackFrame } from '../../src/protocol/index.js';
import { durationOf, eventWhat, fileName, frameText, noStackText, parseSelection, scriptPath, topFrame, whereOf } from '../../src/ui/pages/eventloop-words.js';

const frame = (functionName: string, url: string, line: number, column: number, source: StackFrame['source'] = null): StackFrame => ({ functionName, url, line, column, source });
const LIMITS = { events: 100, capturesPerMinute: 6, groups: 50, frames: 32 };

test('a frame reads as "fn file:line", the source-mapped position when there is one, (anonymous) without a name', () => {
  const plain = frame('blockTheEventLoop', 'file:///srv/app/src/demo/block.ts', 19, 10);
  assert.equal(frameText(plain), 'blockTheEventLoop block.ts:19');
  assert.equal(whereOf(plain, true), '/srv/app/src/demo/block.ts:19:10');
  const mapped = frame('render', 'file:///srv/app/dist/render.js', 211, 17, { url: 'file:///srv/app/src/render.ts', line: 188, column: 5 });
  assert.equal(frameText(mapped), 'render render.ts:188');
  assert.equal(whereOf(mapped, true), '/srv/app/src/render.ts:188:5');
  assert.equal(frameText(frame('', 'node:events', 517, 28)), '(anonymous) node:events:517');
  assert.equal(frameText(undefined), '–');
});

test('script paths: file URLs decoded to paths, node: and other URLs as they are', () => {
  assert.equal(scriptPath('file:///srv/my%20app/x.js'), '/srv/my app/x.js');
  assert.equal(scriptPath('node:internal/timers'), 'node:internal/timers');
  assert.equal(fileName('file:///srv/app/x.js?v=2'), 'x.js');
  assert.equal(fileName('node:internal/perf/utils'), 'utils');
  assert.equal(fileName('evalmachine.<anonymous>'), 'evalmachine.<anonymous>');
});

test('the top frame is the innermost one outside Node\'s own code, else the innermost', () => {
  const app = frame('blockTheEventLoop', 'file:///srv/a.js', 3, 1);
  assert.equal(topFrame([frame('now', 'node:internal/perf/utils', 40, 3), app, frame('emit', 'node:events', 1, 1)]), app);
  const internal = frame('processTicksAndRejections', 'node:internal/process/task_queues', 95, 5);
  assert.equal(topFrame([internal]), internal);
  assert.equal(topFrame([]), undefined);
  assert.equal(topFrame(null), undefined);
});

test('every reason for a missing stack is said in words; a failure carries its note, the rate its limit', () => {
  const reasons: NoStackReason[] = ['rate-limited', 'capture-in-flight', 'inspector-in-use', 'too-short', 'failed', 'stacks-off'];
  const texts = reasons.map((r) => noStackText(r, LIMITS, 'Debugger.pause timed out'));
  assert.equal(new Set(texts).size, reasons.length, 'one text per reason');
  assert.match(texts[0]!, /limit of 6 stacks a minute/);
  assert.match(texts[2]!, /debugger is attached, or --inspect/);
  assert.match(texts[4]!, /: Debugger\.pause timed out$/);
  assert.match(texts[5]!, /eventLoop\.stacks: false/);
  assert.equal(noStackText('failed', LIMITS), 'the stack could not be taken');
});

test('a block reads as its top frame or its reason; one still blocked lasts until now', () => {
  const base: BlockEvent = { id: 1, thread: { id: 0, name: 'main' }, startedAt: 10_000, durationMs: 250, stack: [frame('spin', 'file:///a/b.js', 7, 3)], signature: 's', captureMs: 5, noStack: null };
  assert.equal(eventWhat(base), 'spin b.js:7');
  assert.match(eventWhat({ ...base, stack: null, signature: null, noStack: 'capture-in-flight' }), /another capture was still in flight/);
  assert.equal(durationOf(base, 99_999), 250);
  assert.equal(durationOf({ ...base, durationMs: null }, 10_700), 700);
});

test('the detail\'s key in the URL: g:<signature> a group, e:<id> a block, anything else nothing', () => {
  assert.deepEqual(parseSelection('g:ab12'), { kind: 'group', signature: 'ab12' });
  assert.deepEqual(parseSelection('e:42'), { kind: 'event', id: 42 });
  for (const bad of [undefined, 'e:x', 'e:', 'h:1', 'ab12']) assert.equal(parseSelection(bad), undefined, String(bad));
});
