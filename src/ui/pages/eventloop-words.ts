import type { BlockEvent, EventLoopInfo, NoStackReason, StackFrame } from '../../client/index.js';

/**
 * The Event loop page's words: frames as `fn file:line`, the top frame of a
 * stack, why a block has no stack, and the detail's key in the URL. Pure, so
 * that tests read them without a browser.
 */

/** A script's URL as it is read: `file:///srv/app/src/x.js` → `/srv/app/src/x.js`; `node:internal/…` as it is. */
export function scriptPath(url: string): string {
  if (!url.startsWith('file://')) return url;
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return url.slice('file://'.length);
  }
}

/** The last part of a script's path: `/srv/app/src/x.js` → `x.js` (a URL without a path, as it is). */
export function fileName(url: string): string {
  const path = scriptPath(url).replace(/[?#].*$/, '');
  const i = path.lastIndexOf('/');
  return i >= 0 && i < path.length - 1 ? path.slice(i + 1) : path || url;
}

/** A frame's function, `(anonymous)` when it has no name. */
export function functionOf(f: StackFrame): string {
  return f.functionName === '' ? '(anonymous)' : f.functionName;
}

/** Where a frame is, the original position when a source map gives one: `x.ts:12` (short) or `/srv/app/src/x.ts:12:5` (full). */
export function whereOf(f: StackFrame, full = false): string {
  const at = f.source ?? f;
  return full ? `${scriptPath(at.url)}:${at.line}:${at.column}` : `${fileName(at.url)}:${at.line}`;
}

/** One frame in a table cell: `blockTheEventLoop block.ts:19`. */
export function frameText(f: StackFrame | undefined): string {
  return f === undefined ? '–' : `${functionOf(f)} ${whereOf(f)}`;
}

/**
 * The frame that names the block: the innermost one outside Node's own code
 * (`node:`), since a busy loop often sits in a built-in helper it calls; the
 * innermost frame when every frame is Node's. The full stack shows them all.
 */
export function topFrame(stack: readonly StackFrame[] | null): StackFrame | undefined {
  if (stack === null || stack.length === 0) return undefined;
  return stack.find((f) => !f.url.startsWith('node:')) ?? stack[0];
}

/** Why a block has no stack, in words; `limits` for the rate's figure, `note` for a failure's message. */
export function noStackText(reason: NoStackReason | null, limits?: EventLoopInfo['limits'], note?: string): string {
  switch (reason) {
    case 'rate-limited':
      return `not captured: over the limit of ${limits?.capturesPerMinute ?? 'N'} stacks a minute, only its duration is counted`;
    case 'capture-in-flight':
      return 'not captured: another capture was still in flight';
    case 'inspector-in-use':
      return 'no stack: the inspector is taken (a debugger is attached, or --inspect), durations only';
    case 'too-short':
      return 'no stack: the loop turned again before the stack arrived';
    case 'failed':
      return `the stack could not be taken${note ? `: ${note}` : ''}`;
    case 'stacks-off':
      return 'no stack: stacks are off (eventLoop.stacks: false)';
    default:
      return 'no stack';
  }
}

/** What a block's row says it was: its top frame, or why it has no stack. */
export function eventWhat(e: BlockEvent, limits?: EventLoopInfo['limits']): string {
  const top = topFrame(e.stack);
  return top === undefined ? noStackText(e.noStack, limits, e.note) : frameText(top);
}

/** How long a block lasted, or has lasted so far while it is still blocked (`now` − start). */
export function durationOf(e: BlockEvent, now: number): number {
  return e.durationMs ?? Math.max(0, now - e.startedAt);
}

/** What the page's detail shows, from the route's argument: a group (`g:<signature>`) or one block (`e:<id>`). */
export type Selection = { kind: 'group'; signature: string } | { kind: 'event'; id: number };

/** The selection of `#/eventloop/<arg>`; undefined for no argument or one of neither shape. */
export function parseSelection(arg: string | undefined): Selection | undefined {
  if (arg?.startsWith('g:')) return { kind: 'group', signature: arg.slice(2) };
  if (arg?.startsWith('e:') && /^\d+$/.test(arg.slice(2))) return { kind: 'event', id: Number(arg.slice(2)) };
  return undefined;
}

/** The route's argument that opens a group (`g:<signature>`), and one that opens a block (`e:<id>`). */
export const groupArg = (signature: string): string => `g:${signature}`;
export const eventArg = (id: number): string => `e:${id}`;
